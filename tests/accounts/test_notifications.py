"""Notifications: rows written in the caller's transaction, e-mails rendered in the recipient's language,
sent once after commit by the retrying task, the daily digest and the sweep of lost e-mails."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils import timezone, translation

from accounts import services
from accounts.enums import EmailFrequency, NotificationKind
from accounts.models import Notification
from accounts.notifications import meeting_place, notification_email_render, notification_title
from accounts.tasks import notification_email_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUEST = {"mission": "Battery mission Tokyo", "firm": "Beta Refining KK", "message": "Nickel offtake?"}
LINK = "/missions/7/me/requests/"
FOOTER_EN = (
    "-- \nKizuna sent you this e-mail because of your account. Choose the language of these e-mails, and "
    "whether they come at once or in one digest a day: http://kizuna.test/accounts/settings/\n"
)

# Parameters of every kind, as the services write them.
PARAMS = {
    NotificationKind.REQUEST_RECEIVED: REQUEST,
    NotificationKind.REQUEST_ACCEPTED: {"mission": "M", "firm": "F"},
    NotificationKind.REQUEST_DECLINED: {"mission": "M", "firm": "F"},
    NotificationKind.REQUEST_WITHDRAWN: {"mission": "M", "firm": "F"},
    NotificationKind.REQUEST_EXPIRED: {"mission": "M", "firm": "F"},
    NotificationKind.PHASE_CHANGED: {
        "mission": "M", "phase": "scheduling", "opened": [], "closed": ["send_request", "show_interest"],
    },
    NotificationKind.MEETING_CANCELLED: {
        "mission": "M", "firm": "F", "zone": "Asia/Tokyo", "after": {}, "by_firm": True, "reason": "R",
        "before": {"status": "confirmed", "local_start": "2025-10-06 09:00", "table": "Table 6"},
    },
    NotificationKind.MEETING_MOVED: {
        "mission": "M", "firm": "F", "zone": "Asia/Tokyo",
        "before": {"status": "confirmed", "local_start": "2025-10-06 09:00", "table": "Table 6"},
        "after": {"status": "confirmed", "local_start": "2025-10-06 09:30", "table": "Table 2"},
    },
    NotificationKind.MEETING_REMINDER: {
        "mission": "M", "firm": "F", "time": "2025-10-06 09:00", "zone": "Asia/Tokyo", "table": "T1", "venue": "V",
    },
    NotificationKind.SCHEDULE_PUBLISHED: {
        "mission": "M", "n": 2, "zone": "Asia/Tokyo",
        "meetings": [{"status": "confirmed", "local_start": "2025-10-06 09:00", "table": "T1", "firm": "F"}],
    },
    NotificationKind.SCHEDULE_CHANGED: {
        "mission": "M", "n": 3, "zone": "Asia/Tokyo",
        "moved": [{"firm": "F", "before": {"status": "confirmed", "local_start": "2025-10-06 09:00", "table": "T1"},
                   "after": {"status": "confirmed", "local_start": "2025-10-06 09:30", "table": "T2"}}],
        "added": [{"status": "confirmed", "local_start": "2025-10-07 10:00", "table": None, "firm": "G"}],
        "removed": [{"status": "confirmed", "local_start": "2025-10-06 11:00", "table": "T3", "firm": "H"}],
    },
    NotificationKind.SUGGESTIONS_APPROVED: {"count": 3},
    NotificationKind.PROFILE_APPROVED: {"company": "Alpha"},
    NotificationKind.PROFILE_REJECTED: {"company": "Alpha", "reason": "Add your stages."},
    NotificationKind.REVISION_APPROVED: {"company": "Alpha", "note": ""},
    NotificationKind.REVISION_REJECTED: {"company": "Alpha", "note": "Keep the old city."},
    NotificationKind.ORGANISER_ADDED: {"mission": "M", "by": "Olivia"},
    NotificationKind.MISSION_ENROLLED: {"mission": "M", "firm": "F"},
    NotificationKind.MUTUAL_INTEREST: {"mission": "M", "firm": "F", "outcome": "pending", "limit_firm": "G"},
    NotificationKind.MUTUAL_INTEREST_REFERRED: {"mission": "M", "eu": "E", "jp": "J"},
    NotificationKind.ORGANISERS_CONVERTED: {"mission": "M", "arranged": 0, "sent": 2, "received": 1},
}  # fmt: skip


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://kizuna.test"


@pytest.fixture
def ada(db):
    return UserFactory(email="ada@example.com", full_name="Ada Lovelace", language="en")


@pytest.fixture
def kenji(db):
    return UserFactory(email="kenji@example.jp", full_name="山田 健二", language="ja")


def _send(recipients, *, kind=NotificationKind.REQUEST_RECEIVED, params=REQUEST, link=LINK, **extra):
    return services.notification_send(recipients=recipients, kind=kind, params=params, link=link, **extra)


def test_notification_send_writes_rows_and_emails_after_commit(ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (row,) = _send([ada, ada])
    # Nothing leaves before the commit; one e-mail task per batch (and the badges' new generation).
    assert (mail.outbox, _email_tasks(callbacks)) == ([], [callbacks[0]])

    callbacks[0]()

    row.refresh_from_db()
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["ada@example.com"],
        "Battery mission Tokyo: Beta Refining KK asks to meet you",
    )
    assert message.body == (
        "Hello Ada Lovelace,\n\n"
        "Beta Refining KK asks to meet your firm at Battery mission Tokyo.\n\n"
        "Their message:\nNickel offtake?\n\n"
        "Accept or decline the request on your requests page:\n"
        "http://kizuna.test/missions/7/me/requests/\n\n" + FOOTER_EN
    )
    assert (row.recipient, row.kind, row.params, row.link, row.read_at, row.emailed_at is not None) == (
        ada, NotificationKind.REQUEST_RECEIVED, REQUEST, LINK, None, True,
    )  # fmt: skip


def test_email_in_recipients_language_not_the_actors(ada, kenji, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _send([ada, kenji])

    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["kenji@example.jp"].subject == (
        "Battery mission Tokyo：Beta Refining KK から面談のリクエストが届きました"
    )
    assert by_address["kenji@example.jp"].body == (
        "山田 健二 様\n\n"
        "Battery mission Tokyo で Beta Refining KK が貴社との面談を希望しています。\n\n"
        "先方からのメッセージ：\nNickel offtake?\n\n"
        "リクエストのページで承諾または辞退してください：\n"
        "http://kizuna.test/missions/7/me/requests/\n\n"
        "-- \nこのメールは Kizuna のアカウントにお送りしています。メールの言語と、すぐに受け取るか 1 日 1 回の"
        "まとめで受け取るかは、こちらで設定できます：http://kizuna.test/accounts/settings/\n"
    )
    assert by_address["ada@example.com"].subject == "Battery mission Tokyo: Beta Refining KK asks to meet you"


def test_english_recipient_gets_english_while_actor_uses_japanese(ada, django_capture_on_commit_callbacks):
    with translation.override("ja"), django_capture_on_commit_callbacks(execute=True):
        _send([ada], kind=NotificationKind.PROFILE_REJECTED, params=PARAMS[NotificationKind.PROFILE_REJECTED],
              link="/companies/me/")  # fmt: skip

    (message,) = mail.outbox
    assert (message.subject, message.body.splitlines()[:5]) == (
        "Your profile needs changes",
        ["Hello Ada Lovelace,", "", "The profile of Alpha was not approved. The reason:", "", "Add your stages."],
    )


@pytest.mark.parametrize("kind", NotificationKind.values)
@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_kind_renders_in_both_languages(db, kind, language):
    user = UserFactory(full_name="Ada", language=language)
    notification = Notification(recipient=user, kind=kind, params=PARAMS[kind], link="/x/")

    subject, body = notification_email_render(notification)

    assert body.startswith("Hello Ada," if language == "en" else "Ada 様")
    assert "\nhttp://kizuna.test/x/\n\n-- \n" in body
    assert subject == " ".join(subject.split()) and subject != notification.get_kind_display()
    assert "{" not in body and "%(" not in subject + body


def test_every_kind_has_a_title_and_a_template():
    base = Path(settings.BASE_DIR) / "templates" / "accounts" / "email"
    assert sorted(p.stem for p in base.glob("*.txt") if p.stem in NotificationKind.values) == sorted(
        NotificationKind.values
    )
    for kind in NotificationKind.values:
        get_template(f"accounts/email/{kind}.txt")


def test_meeting_place_names_the_table_once():
    state = {"status": "confirmed", "local_start": "2025-10-06 09:00", "table": "Table 6"}

    with translation.override("en"):
        english = meeting_place(state, "Asia/Tokyo")
    with translation.override("ja"):
        japanese = meeting_place(state, "Asia/Tokyo")

    assert (english, japanese) == ("2025-10-06 09:00 (Asia/Tokyo) at Table 6", "2025-10-06 09:00（Asia/Tokyo）Table 6")


def test_meeting_moved_email_says_before_and_now(ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send([ada], kind=NotificationKind.MEETING_MOVED, params=PARAMS[NotificationKind.MEETING_MOVED],
              link="/missions/7/me/agenda/")  # fmt: skip

    (message,) = mail.outbox
    assert message.body.split("\n\n")[1:3] == [
        "Your meeting with F at M changed.\n"
        "Before: 2025-10-06 09:00 (Asia/Tokyo) at Table 6\nNow: 2025-10-06 09:30 (Asia/Tokyo) at Table 2",
        "Your agenda:\nhttp://kizuna.test/missions/7/me/agenda/",
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_schedule_changed_email_lists_moved_new_and_cancelled(db, language):
    user = UserFactory(full_name="Ada", language=language)
    notification = Notification(
        recipient=user, kind=NotificationKind.SCHEDULE_CHANGED, params=PARAMS[NotificationKind.SCHEDULE_CHANGED]
    )

    subject, body = notification_email_render(notification)

    assert (subject, body.split("\n\n")[1:5]) == {
        "en": ("M: your meetings changed (schedule version 3)", [
            "The organisers of M published version 3 of the schedule, which changes your meetings.",
            "Moved:\nF: 2025-10-06 09:00 (Asia/Tokyo) at T1 → 2025-10-06 09:30 (Asia/Tokyo) at T2",
            "New:\n2025-10-07 10:00 (Asia/Tokyo): G",
            "Cancelled:\nH (was 2025-10-06 11:00 (Asia/Tokyo) at T3)",
        ]),
        "ja": ("M：面談の予定が変更されました（スケジュール第 3 版）", [
            "M の主催者がスケジュールの第 3 版を公開しました。貴社の面談に変更があります。",
            "日時・テーブルが変わった面談：\nF：2025-10-06 09:00（Asia/Tokyo）T1 → 2025-10-06 09:30（Asia/Tokyo）T2",
            "追加された面談：\n2025-10-07 10:00（Asia/Tokyo）：G",
            "キャンセルされた面談：\nH（元の予定：2025-10-06 11:00（Asia/Tokyo）T3）",
        ]),
    }[language]  # fmt: skip


def test_notifications_email_twice_sends_once(ada):
    rows = _send([ada])

    first = services.notifications_email(notification_ids=[r.pk for r in rows])
    second = services.notifications_email(notification_ids=[r.pk for r in rows])

    assert (first, second, len(mail.outbox)) == (1, 0, 1)


def test_read_notification_is_not_emailed(ada):
    (row,) = _send([ada])
    services.notification_mark_read(user=ada, notification_id=row.pk)

    assert (services.notifications_email(notification_ids=[row.pk]), mail.outbox) == (0, [])


def test_inactive_user_gets_nothing(ada):
    ada.is_active = False
    ada.save()

    assert (_send([ada]), Notification.objects.count()) == ([], 0)


def test_unknown_kind_refused(ada):
    with pytest.raises(ValueError, match="unknown notification kind 'nope'"):
        _send([ada], kind="nope")


def test_key_gives_one_notification_per_recipient(ada):
    _send([ada], key="meeting-reminder:1:2")

    with pytest.raises(IntegrityError), transaction.atomic():
        _send([ada], key="meeting-reminder:1:2")
    assert Notification.objects.filter(key="meeting-reminder:1:2").count() == 1


def test_coalesce_adds_up_unread_unsent_rows(ada, kenji):
    kind, link = NotificationKind.SUGGESTIONS_APPROVED, "/matches/mine/"
    services.notification_send(recipients=[ada], kind=kind, params={"count": 1}, link=link, coalesce=True)
    services.notification_send(recipients=[ada, kenji], kind=kind, params={"count": 1}, link=link, coalesce=True)

    rows = sorted((n.recipient.email, n.params["count"]) for n in Notification.objects.all())
    assert rows == [("ada@example.com", 2), ("kenji@example.jp", 1)]
    with translation.override("en"):
        assert notification_title(Notification.objects.get(recipient=ada)) == (
            "2 new suggested partners are waiting for your answer"
        )


# SMTP failures ----------------------------------------------------------------------------------


def test_smtp_down_action_commits_and_row_waits(ada, failing_smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _send([ada])  # the after-commit e-mail fails: no exception reaches the caller

    row.refresh_from_db()
    # In-process tasks (no broker) propagate instead of retrying; the pending sweep sends the row later.
    assert (failing_smtp.attempts, row.emailed_at, mail.outbox) == (1, None, [])


@pytest.fixture
def eager_retries():
    """In-process tasks that keep their errors, as a worker does, so Celery's retries run (at once)."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_task_retries_on_smtp_error_then_delivers(ada, flaky_smtp, eager_retries):
    (row,) = _send([ada])

    result = notification_email_task.apply(args=[[row.pk]])

    row.refresh_from_db()
    assert (result.state, result.get(), flaky_smtp.attempts, len(mail.outbox)) == ("SUCCESS", 1, 2, 1)
    assert row.emailed_at is not None


def test_task_gives_up_after_max_retries(ada, failing_smtp, eager_retries):
    (row,) = _send([ada])

    result = notification_email_task.apply(args=[[row.pk]])

    row.refresh_from_db()
    assert (result.state, type(result.result).__name__, failing_smtp.attempts, row.emailed_at) == (
        "FAILURE", "SMTPServerDisconnected", 1 + notification_email_task.max_retries, None,
    )  # fmt: skip


def test_pending_sweep_sends_old_unsent_rows_only(ada):
    old, new = _send([ada]), _send([ada])
    Notification.objects.filter(pk=old[0].pk).update(created_at=timezone.now() - timedelta(minutes=11))

    sent = services.notifications_email_pending()

    assert (sent, [m.to for m in mail.outbox]) == (1, [["ada@example.com"]])
    assert Notification.objects.get(pk=new[0].pk).emailed_at is None


# Daily digest -----------------------------------------------------------------------------------


@pytest.fixture
def digest_user(db):
    return UserFactory(email="dora@example.com", full_name="Dora", language="en",
                       email_frequency=EmailFrequency.DAILY)  # fmt: skip


def test_digest_user_gets_no_immediate_email(digest_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _send([digest_user])

    assert (_email_tasks(callbacks), mail.outbox) == ([], [])


def _email_tasks(callbacks):
    """The on-commit callbacks that enqueue e-mails (the others give the badges a new generation)."""
    return [c for c in callbacks if getattr(c, "func", None) is services._email_enqueue]


def test_digest_lists_unread_unsent_once(digest_user, ada):
    _send([digest_user])
    _send([digest_user], kind=NotificationKind.PROFILE_APPROVED, params={"company": "Alpha"}, link="/companies/me/")
    (read,) = _send([digest_user], kind=NotificationKind.SUGGESTIONS_APPROVED, params={"count": 1}, link="/m/")
    services.notification_mark_read(user=digest_user, notification_id=read.pk)
    _send([ada])  # immediate users are not in the digest

    first, second = services.notifications_digest_send(), services.notifications_digest_send()

    (message,) = mail.outbox
    assert (first, second, message.to, message.subject) == (1, 0, ["dora@example.com"], "Kizuna: 2 new notifications")
    assert message.body == (
        "Hello Dora,\n\nWhat happened on Kizuna since your last digest:\n\n"
        "- Battery mission Tokyo: Beta Refining KK asks to meet you\n  http://kizuna.test/missions/7/me/requests/\n\n"
        "- Your profile is approved\n  http://kizuna.test/companies/me/\n\n"
        "All your notifications: http://kizuna.test/accounts/notifications/\n\n" + FOOTER_EN
    )
    assert Notification.objects.filter(recipient=digest_user, emailed_at__isnull=True).count() == 1  # the read one


def test_digest_in_japanese(digest_user):
    digest_user.language = "ja"
    digest_user.save()
    _send([digest_user])

    services.notifications_digest_send()

    (message,) = mail.outbox
    assert (message.subject, message.body.splitlines()[2]) == (
        "Kizuna：新しい通知 1 件", "前回のまとめメール以降の Kizuna でのお知らせ：",
    )  # fmt: skip


def test_digest_smtp_down_raises_for_retry_and_sends_later(digest_user, settings, failing_smtp):
    _send([digest_user])

    with pytest.raises(OSError):
        services.notifications_digest_send()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert (services.notifications_digest_send(), len(mail.outbox)) == (1, 1)


# Reading ------------------------------------------------------------------------------------------


def test_mark_read_only_own_and_once(ada, kenji):
    (mine,) = _send([ada])
    (theirs,) = _send([kenji])

    assert services.notification_mark_read(user=ada, notification_id=theirs.pk) == 0
    assert services.notification_mark_read(user=ada, notification_id=mine.pk) == 1
    assert services.notification_mark_read(user=ada, notification_id=mine.pk) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read(ada, kenji):
    _send([ada, kenji])
    _send([ada])

    assert services.notifications_mark_all_read(user=ada) == 2
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
