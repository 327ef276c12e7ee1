import pytest
from django.urls import reverse

from matchmaking.enums import SuggestionStatus
from matchmaking.models import MatchRun, Suggestion
from tests.matchmaking.helpers import run_now

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
    ]

    assert [client.get(url).status_code for url in pages] == [200] * 4
    assert MatchRun.objects.count() == 1
