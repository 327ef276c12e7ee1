from pathlib import Path

from companies import vocabulary as vocab

DOC = (Path(__file__).resolve().parents[2] / "docs" / "vocabulary.md").read_text(encoding="utf-8")


def test_vocabulary_doc_lists_every_code():
    codes = [*vocab.MEMBER_COUNTRIES, *vocab.SECTORS, *vocab.STAGES, *vocab.PARTNERSHIP_TYPES, *vocab.MATERIALS,
             *vocab.SIZE_BANDS, *vocab.LANGUAGES]  # fmt: skip
    missing = [code for code in codes if f"`{code}`" not in DOC]
    assert missing == []


def test_vocabulary_doc_rows_match_both_labels():
    vocabularies = (vocab.MEMBER_COUNTRIES, vocab.SECTORS, vocab.STAGES, vocab.PARTNERSHIP_TYPES, vocab.MATERIALS,
                    vocab.SIZE_BANDS, vocab.LANGUAGES)  # fmt: skip
    rows = [f"| `{code}` | {english} | {japanese} |" for terms in vocabularies
            for code, (english, japanese) in terms.items()]  # fmt: skip
    assert [row for row in rows if row not in DOC] == []


def test_vocabulary_stage_flows_name_known_stages():
    unknown = [s for src, dst in vocab.STAGE_FLOWS.items() for s in (src, *dst) if s not in vocab.STAGES]
    assert unknown == []


def test_vocabulary_eu_has_27_member_states_and_japan_is_separate():
    assert len(vocab.EU_COUNTRIES) == 27
    assert vocab.side_of("JP") == "JP"
    assert vocab.side_of("FR") == "EU"


def test_vocabulary_materials_are_the_34_crm_act_materials():
    assert len(vocab.MATERIALS) == 34
