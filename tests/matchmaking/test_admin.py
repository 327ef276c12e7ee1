import pytest
from django.urls import reverse
from django.utils.html import escape

from matchmaking.enums import SuggestionStatus
from matchmaking.models import MatchRun, Reason, Suggestion
from tests.matchmaking.helpers import engine_reasons, run_now

pytestmark = pytest.mark.django_db


def test_admin_suggestion_approve_action_goes_through_the_service(client, admin_user, profiles):
    run_now(user=admin_user)
    ids = list(Suggestion.objects.values_list("pk", flat=True))
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:matchmaking_suggestion_changelist"), {"action": "approve", "_selected_action": ids}
    )

    assert response.status_code == 302
    assert set(Suggestion.objects.values_list("status", flat=True)) == {SuggestionStatus.APPROVED}
    assert (
        sorted(Suggestion.objects.values_list("decisions__action", "decisions__user"))
        == [("approved", admin_user.pk)] * 3
    )


def test_admin_pages_render(client, admin_user, profiles):
    run = run_now(user=admin_user)
    suggestion = Suggestion.objects.first()
    client.force_login(admin_user)

    pages = [
        reverse("admin:matchmaking_matchrun_changelist"),
        reverse("admin:matchmaking_matchrun_change", args=[run.pk]),
        reverse("admin:matchmaking_suggestion_changelist"),
        reverse("admin:matchmaking_suggestion_change", args=[suggestion.pk]),
        reverse("admin:matchmaking_reason_changelist"),
        reverse("admin:matchmaking_reason_change", args=[Reason.objects.first().pk]),
    ]

    responses = [client.get(url) for url in pages]

    assert [r.status_code for r in responses] == [200] * 6
    reason = Reason.objects.get(pk=suggestion.reasons_eu[0])
    assert escape(reason.en) in responses[4].content.decode()  # the reasons list shows the sentences
    assert MatchRun.objects.count() == 1


def test_admin_suggestion_page_shows_both_firms_reasons_in_both_languages(client, admin_user, profiles):
    a, b = profiles[0], profiles[1]
    run_now(user=admin_user)
    client.force_login(admin_user)

    content = client.get(
        reverse("admin:matchmaking_suggestion_change", args=[Suggestion.objects.get(eu_company=a, jp_company=b).pk])
    ).content.decode()

    for firm, partner in ((a, b), (b, a)):
        expected = engine_reasons(firm, partner)
        items = "".join(
            f"<li>{escape(en)}<br>{escape(ja)}</li>" for en, ja in zip(expected["en"], expected["ja"], strict=True)
        )
        assert f"<ul>{items}</ul>" in content


def test_admin_reasons_cannot_be_added_changed_or_deleted(client, admin_user, profiles):
    run_now(user=admin_user)
    reason = Reason.objects.first()
    client.force_login(admin_user)

    response = client.post(reverse("admin:matchmaking_reason_delete", args=[reason.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert client.get(reverse("admin:matchmaking_reason_add")).status_code == 403
    assert Reason.objects.filter(pk=reason.pk, en=reason.en).exists()
