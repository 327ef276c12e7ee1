"""Preview, then confirm: the delegation import shows what it will do on the page, in the API and in
the command, and writes exactly that plan or nothing (the ugly files organisers send included)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from companies.import_plan import FieldChange, PlannedRow
from events import services
from events.enums import RequestStatus
from events.models import Delegate, Participation
from tests.clients import xlsx_bytes
from tests.events.factories import (
    DelegateFactory,
    MeetingFactory,
    MeetingRequestFactory,
    MissionFactory,
    ParticipationFactory,
)
from tests.events.test_api import client_for as api_client_for
from tests.events.test_views import client_for

SEMICOLON_BOM = (
    "\ufeffCompany name;Delegate name;Delegate e-mail;Delegate role\n"
    "Alpha Cathodes GmbH;Anna Example;anna@alpha.example;CEO\n"
).encode()
SHIFT_JIS = (
    "企業名,出席者氏名,出席者メールアドレス,希望する面談の上限数\nBeta Refining KK,佐藤花子,sato@beta.example,4\n"
).encode("cp932")
UGLY_FILES = {
    "semicolon+BOM": ("list.csv", SEMICOLON_BOM, [("Alpha Cathodes GmbH", "Anna Example", "anna@alpha.example")]),
    "Shift-JIS": ("list.csv", SHIFT_JIS, [("Beta Refining KK", "佐藤花子", "sato@beta.example")]),
    "xlsx": (
        "list.xlsx",
        xlsx_bytes(["company_name", "delegate_name", "max_meetings"], ["Alpha Cathodes GmbH", "Anna", 3]),
        [("Alpha Cathodes GmbH", "Anna", "")],
    ),
}


def _delegates(mission) -> list[tuple]:
    return sorted(
        (d.participation.company.name, d.name, d.email)
        for d in Delegate.objects.filter(participation__mission=mission).select_related("participation__company")
    )


def _csv(*rows: str) -> bytes:
    return ("company_name,delegate_name,delegate_email,max_meetings\n" + "".join(r + "\n" for r in rows)).encode()


# The service ---------------------------------------------------------------------------------------


def test_preview_writes_nothing_and_shows_joins_changes_and_unchanged(mission, organiser, company_a, company_b, part_a):
    DelegateFactory(participation=part_a, name="Anna", email="anna@alpha.example", role="")
    other = Participation.objects.create(mission=mission, company=company_b, max_meetings=4)
    DelegateFactory(participation=other, name="Ken", email="", role="")
    content = _csv(
        "Alpha Cathodes GmbH,Anna,anna@alpha.example,6", "Alpha Cathodes GmbH,Bernd,,", "Beta Refining KK,Ken,,4"
    )
    company_c = Participation.objects.filter(mission=mission).count()

    plan = services.delegation_import_preview(mission=mission, user=organiser, content=content)

    anna = {"name": "Anna", "email": "anna@alpha.example", "role": ""}
    bernd = {"name": "Bernd", "email": "", "role": ""}
    assert (plan.errors, plan.created, plan.unchanged) == ([], [], [PlannedRow(4, None, "Beta Refining KK")])
    assert plan.updated == [PlannedRow(2, None, "Alpha Cathodes GmbH", (
        FieldChange("delegates", [anna], [anna, bernd]), FieldChange("max_meetings", None, 6),
    ))]  # fmt: skip
    assert Participation.objects.filter(mission=mission).count() == company_c
    assert _delegates(mission) == [
        ("Alpha Cathodes GmbH", "Anna", "anna@alpha.example"),
        ("Beta Refining KK", "Ken", ""),
    ]


def test_confirm_refused_when_the_participation_changed_since_the_preview(mission, organiser, company_a, part_a):
    content = _csv("Alpha Cathodes GmbH,Anna,,")
    plan = services.delegation_import_preview(mission=mission, user=organiser, content=content)
    # The firm edits its delegation meanwhile.
    DelegateFactory(participation=part_a, name="Someone else", email="", role="")

    with pytest.raises(services.ImportRefused) as refused:
        services.delegation_import_confirm(mission=mission, user=organiser, content=content,
                                           fingerprint=plan.fingerprint)  # fmt: skip

    assert (refused.value.stale, refused.value.message) == (True, (
        "The file or the mission's participants it changes changed since the preview. Nothing was written; "
        "preview again."
    ))  # fmt: skip
    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Someone else", "")]


def test_changing_a_firm_with_meetings_needs_its_confirmation_by_name(mission, organiser, part_a, part_b):
    MeetingFactory(mission=mission, a=part_a, b=part_b)
    content = _csv("Alpha Cathodes GmbH,Anna,,", "Beta Refining KK,Ken,,")
    plan = services.delegation_import_preview(mission=mission, user=organiser, content=content)

    with pytest.raises(services.ImportRefused) as refused:
        services.delegation_import_confirm(mission=mission, user=organiser, content=content,
                                           fingerprint=plan.fingerprint)  # fmt: skip
    result = services.delegation_import_confirm(mission=mission, user=organiser, content=content,
                                                fingerprint=plan.fingerprint, confirm_committed=True)  # fmt: skip

    assert [row.name for row in plan.committed] == ["Alpha Cathodes GmbH", "Beta Refining KK"]
    assert (refused.value.stale, refused.value.message) == (False, (
        "These firms have confirmed meetings or accepted requests in this mission (possibly in its published "
        "schedule); confirm that their delegation is to change: Alpha Cathodes GmbH; Beta Refining KK."
    ))  # fmt: skip
    assert (result.participations_updated, result.delegates) == (2, 2)


def test_too_long_delegate_texts_and_huge_numbers_are_row_errors(mission, organiser, company_a):
    content = _csv(f"Alpha Cathodes GmbH,{'A' * 201},,99999")

    plan = services.delegation_import_preview(mission=mission, user=organiser, content=content)

    assert [(e.row, e.field, e.reason) for e in plan.errors] == [
        (2, "delegate_name", "At most 200 characters; this text has 201."),
        (2, "max_meetings", "At most 32767."),
    ]


# The page ------------------------------------------------------------------------------------------


def _page_preview(client, mission, name: str, content: bytes):
    return client.post(f"/missions/{mission.pk}/participants/import/", {"file": SimpleUploadedFile(name, content)})


def _page_confirm(client, mission, preview, **extra):
    confirm = preview.context["confirm"]
    data = {"token": confirm["token"].value(), "fingerprint": confirm["fingerprint"].value(), **extra}
    return client.post(f"/missions/{mission.pk}/participants/import/", data)


@pytest.mark.parametrize("kind", UGLY_FILES)
def test_page_previews_then_imports_ugly_files(mission, organiser, company_a, company_b, kind):
    name, content, expected = UGLY_FILES[kind]
    client = client_for(organiser)

    preview = _page_preview(client, mission, name, content)
    written_before = _delegates(mission)
    response = _page_confirm(client, mission, preview)

    assert [row.name for row in preview.context["plan"].created] == [expected[0][0]]
    assert written_before == []
    assert (response.status_code, response["Location"]) == (302, f"/missions/{mission.pk}/participants/")
    assert _delegates(mission) == expected


def test_page_refuses_a_preview_whose_data_changed_and_shows_the_new_plan(mission, organiser, company_a, part_a):
    client = client_for(organiser)
    preview = _page_preview(client, mission, "list.csv", _csv("Alpha Cathodes GmbH,Anna,,"))
    DelegateFactory(participation=part_a, name="Jonas", email="", role="")

    response = _page_confirm(client, mission, preview)

    assert [str(m) for m in response.context["messages"]] == [
        "The file or the mission's participants it changes changed since the preview. Nothing was written; "
        "preview again."
    ]
    assert response.context["plan"].updated[0].changes == (
        FieldChange(
            "delegates", [{"name": "Jonas", "email": "", "role": ""}], [{"name": "Anna", "email": "", "role": ""}]
        ),
    )
    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Jonas", "")]


def test_page_names_firms_with_meetings_and_needs_the_checkbox(mission, organiser, part_a, part_b):
    MeetingFactory(mission=mission, a=part_a, b=part_b)
    client = client_for(organiser)
    preview = _page_preview(client, mission, "list.csv", _csv("Alpha Cathodes GmbH,Anna,,"))

    refused = _page_confirm(client, mission, preview)
    accepted = _page_confirm(client, mission, preview, confirm_committed="on")

    assert "Alpha Cathodes GmbH" in preview.content.decode().split('id="committed"')[1].split("</ul>")[0]
    assert [str(m) for m in refused.context["messages"]][0].startswith("These firms have confirmed meetings")
    assert accepted.status_code == 302
    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Anna", "")]


def test_page_confirm_with_an_unknown_token_writes_nothing(mission, organiser, company_a):
    client = client_for(organiser)
    preview = _page_preview(client, mission, "list.csv", _csv("Alpha Cathodes GmbH,Anna,,"))

    response = _page_confirm(client, mission, preview, token="forged")

    assert (response.status_code, response["Location"]) == (302, f"/missions/{mission.pk}/participants/import/")
    assert _delegates(mission) == []


# The API -------------------------------------------------------------------------------------------


def _api(user, mission, name: str, content: bytes, **data):
    url = f"/api/v1/missions/{mission.pk}/delegation-import/"
    return api_client_for(user).post(url, {"file": SimpleUploadedFile(name, content), **data}, format="multipart")


@pytest.mark.parametrize("kind", UGLY_FILES)
def test_api_previews_then_imports_ugly_files(mission, organiser, company_a, company_b, kind):
    name, content, expected = UGLY_FILES[kind]

    preview = _api(organiser, mission, name, content)
    written_before = _delegates(mission)
    confirmed = _api(organiser, mission, name, content, fingerprint=preview.json()["fingerprint"])

    assert (preview.status_code, [row["name"] for row in preview.json()["created"]]) == (200, [expected[0][0]])
    assert written_before == []
    assert (confirmed.status_code, confirmed.json()) == (201, {
        "participations_created": 1, "participations_updated": 0, "unchanged": 0, "delegates": 1,
    })  # fmt: skip
    assert _delegates(mission) == expected


def test_api_refuses_a_file_changed_between_preview_and_confirm(mission, organiser, company_a):
    preview = _api(organiser, mission, "list.csv", _csv("Alpha Cathodes GmbH,Anna,,"))

    changed = _api(organiser, mission, "list.csv", _csv("Alpha Cathodes GmbH,Anne,,"),
                   fingerprint=preview.json()["fingerprint"])  # fmt: skip

    assert (changed.status_code, changed.json()) == (409, {"detail": (
        "The file or the mission's participants it changes changed since the preview. Nothing was written; "
        "preview again."
    )})  # fmt: skip
    assert _delegates(mission) == []


def test_api_preview_shows_changes_with_labels(mission, organiser, part_a):
    DelegateFactory(participation=part_a, name="Anna", email="anna@alpha.example", role="CEO")

    preview = _api(organiser, mission, "list.csv", _csv("Alpha Cathodes GmbH,Bernd,,2"))

    assert preview.json()["updated"][0]["changes"] == [
        {"field": "delegates", "label": "Delegates",
         "old": [{"name": "Anna", "email": "anna@alpha.example", "role": "CEO"}],
         "new": [{"name": "Bernd", "email": "", "role": ""}],
         "old_text": "Anna (CEO, anna@alpha.example)", "new_text": "Bernd"},
        {"field": "max_meetings", "label": "Most meetings", "old": None, "new": 2, "old_text": "—", "new_text": "2"},
    ]  # fmt: skip


def test_api_names_firms_with_meetings_in_a_400(mission, organiser, part_a, part_b):
    MeetingFactory(mission=mission, a=part_a, b=part_b)
    content = _csv("Alpha Cathodes GmbH,Anna,,")
    preview = _api(organiser, mission, "list.csv", content)

    refused = _api(organiser, mission, "list.csv", content, fingerprint=preview.json()["fingerprint"])

    assert [row["name"] for row in preview.json()["committed"]] == ["Alpha Cathodes GmbH"]
    assert (refused.status_code, list(refused.json())) == (400, ["confirm_committed"])
    assert _delegates(mission) == []


# The command ---------------------------------------------------------------------------------------


def test_command_dry_run_prints_the_plan_and_writes_nothing(mission, company_a, tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(SEMICOLON_BOM)

    call_command("import_delegation", str(mission.pk), str(path), "--dry-run")
    out = capsys.readouterr().out
    fingerprint = out.rsplit("Fingerprint: ", 1)[1].strip()
    call_command("import_delegation", str(mission.pk), str(path), "--fingerprint", fingerprint, "--no-input")

    assert out.splitlines()[:2] == ["Plan: 1 firms join, 0 delegations change, 0 unchanged.",
                                    "  + row 2: Alpha Cathodes GmbH"]  # fmt: skip
    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Anna Example", "anna@alpha.example")]


def test_command_refuses_a_stale_fingerprint(mission, company_a, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(_csv("Alpha Cathodes GmbH,Anna,,"))

    with pytest.raises(CommandError, match="changed since the preview"):
        call_command("import_delegation", str(mission.pk), str(path), "--fingerprint", "0" * 64, "--no-input")

    assert _delegates(mission) == []


def test_an_accepted_request_counts_as_meetings_but_another_missions_do_not(mission, organiser, part_a, part_b, part_c):
    MeetingRequestFactory(mission=mission, requester=part_a, recipient=part_b, status=RequestStatus.ACCEPTED)
    other = MissionFactory()
    MeetingFactory(mission=other, a=ParticipationFactory(mission=other, company=part_c.company))  # Gamma's, elsewhere
    content = _csv("Alpha Cathodes GmbH,Anna,,", "Beta Refining KK,Ken,,", "Gamma Recycling SAS,Luc,,")

    plan = services.delegation_import_preview(mission=mission, user=organiser, content=content)

    assert [(row.name, row.committed) for row in plan.updated] == [
        ("Alpha Cathodes GmbH", True), ("Beta Refining KK", True), ("Gamma Recycling SAS", False),
    ]  # fmt: skip


def test_api_confirming_a_preview_with_errors_answers_its_plan(mission, organiser):
    content = _csv("Nobody Ltd,Eva,,")
    preview = _api(organiser, mission, "list.csv", content)

    confirmed = _api(organiser, mission, "list.csv", content, fingerprint=preview.json()["fingerprint"])

    assert (confirmed.status_code, confirmed.json()) == (400, preview.json())
    assert Participation.objects.filter(mission=mission).count() == 0
