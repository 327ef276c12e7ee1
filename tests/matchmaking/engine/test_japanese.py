"""Japanese words by SudachiPy (split mode A, normalized forms, content parts of speech)."""

import subprocess
import sys
from pathlib import Path

from matchmaking.engine.japanese import MAX_PIECE, forms, has_japanese, words

ROOT = Path(__file__).resolve().parents[3]


def test_forms_fold_spelling_variants() -> None:
    assert forms("セパレータ") == forms("セパレーター") == ("セパレーター",)
    assert forms("組立") == forms("組み立て") == ("組み立て",)
    assert forms("リン酸") == ("燐酸",)


def test_forms_split_mode_a_cuts_compounds_into_parts() -> None:
    assert forms("リチウムイオン電池") == ("リチウム", "イオン", "電池")
    assert forms("再生医療") == ("再生", "医療")


def test_words_content_flags_keep_nouns_and_verbs_only() -> None:
    found = [(w.form, w.content) for w in words("電池を製造する企業です")]
    # particles, the light verb する, the auxiliary です and the stop word 企業 are not content
    assert found == [("電池", True), ("を", False), ("製造", True), ("為る", False), ("企業", False), ("です", False)]


def test_words_latin_and_numbers_as_written_never_content() -> None:
    found = [(w.surface, w.form, w.content) for w in words("mrnaワクチンを2025年に開発")]
    assert found == [
        ("mrna", "mrna", False),
        ("ワクチン", "ワクチン", True),
        ("を", "を", False),
        ("2025", "2025", False),
        ("年", "年", False),
        ("に", "に", False),
        ("開発", "開発", True),
    ]


def test_words_cached_per_piece() -> None:
    assert words("正極材の製造") is words("正極材の製造")


def test_words_piece_longer_than_the_analyser_limit() -> None:
    assert len(words("電池" * MAX_PIECE)) == MAX_PIECE


def test_has_japanese() -> None:
    assert [has_japanese(t) for t in ("nickel", "ニッケル", "黒鉛", "ｾﾙ", "café")] == [False, True, True, True, False]


def test_english_text_never_loads_the_analyser() -> None:
    # A fresh interpreter, so that other tests' use of the analyser does not hide a load.
    check = (
        "import sys\n"
        "from matchmaking.engine.text import tokenize\n"
        "tokenize('Battery-grade nickel sulphate for cathode makers')\n"
        "print('sudachipy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "False"
