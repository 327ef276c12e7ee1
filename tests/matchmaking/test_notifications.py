"""Approved suggestions are announced to both firms' members, one growing notification per firm until read."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.enums import NotificationKind
from accounts.models import Notification
from matchmaking import services

pytestmark = pytest.mark.django_db


def _rows():
    rows = Notification.objects.select_related("recipient").order_by("recipient__email")
    return [(n.recipient.email, n.kind, n.params, n.link) for n in rows]


def test_approving_a_suggestion_notifies_both_firms(matched, member_a, member_b, admin_user):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)

    assert _rows() == sorted([
        (member_a.email, NotificationKind.SUGGESTIONS_APPROVED, {"count": 1}, "/matches/mine/"),
        (member_b.email, NotificationKind.SUGGESTIONS_APPROVED, {"count": 1}, "/matches/mine/"),
    ])  # fmt: skip


def test_rejecting_a_suggestion_notifies_nobody(matched, member_a, member_b, admin_user):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=False)

    assert _rows() == []


def test_bulk_approval_gives_one_notification_per_member_and_one_email(
    matched, member_a, member_b, admin_user, django_capture_on_commit_callbacks
):
    member_a.language = "ja"
    member_a.save()
    ids = [matched["ab"].pk, matched["ae"].pk]

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.suggestions_bulk_review(suggestion_ids=ids, admin=admin_user, approve=True)

    assert [(email, params) for email, _kind, params, _link in _rows()] == sorted(
        [(member_a.email, {"count": 2}), (member_b.email, {"count": 1})]
    )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted([
        (member_a.email, "新しいおすすめパートナー 2 社があなたの回答を待っています"),
        (member_b.email, "1 new suggested partner is waiting for your answer"),
    ])  # fmt: skip
