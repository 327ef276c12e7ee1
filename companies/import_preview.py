"""What every import's preview and confirmation share (companies and delegation lists).

An import is shown first (a plan, companies.import_plan, with its fingerprint) and written only
when confirmed: `confirmation_check` refuses when the fingerprint computed again inside the
writing transaction differs from the preview's (the file or the stored data changed), or when
firms with meetings would change without being confirmed by name. A web page keeps the uploaded
file between the two requests (`import_preview_store`); the API and the command send it again.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from companies.import_plan import ImportPlan
from companies.models import CompanyImportPreview

PREVIEW_KEPT = timedelta(days=1)


class ImportRefused(Exception):
    """The confirmation does not hold: the data changed since the preview (`stale`), or firms with
    meetings would change without being confirmed. `message` says which, for a person."""

    def __init__(self, message: str, *, stale: bool):
        super().__init__(message)
        self.message = message
        self.stale = stale


def confirmation_check(
    plan: ImportPlan,
    *,
    fingerprint: str,
    confirm_committed: bool,
    stale_message: Callable[[], str],
    committed_message: Callable[[list[str]], str],
) -> None:
    """Raise ImportRefused unless `plan` (computed again under locks) is the one previewed and its
    committed firms are confirmed. The import words the refusals: what changed, and the firms named."""
    if plan.fingerprint != fingerprint:
        raise ImportRefused(stale_message(), stale=True)
    if plan.committed and not confirm_committed:
        raise ImportRefused(committed_message([row.name for row in plan.committed]), stale=False)


def import_preview_store(
    *, user: User, content: bytes, filename: str, encoding: str, approve: bool = False, scope: str = ""
) -> CompanyImportPreview:
    """Keep an uploaded file until its preview is confirmed; forget previews older than a day.
    `scope` says which import it is for ("" companies, "mission:<id>" a delegation list)."""
    CompanyImportPreview.objects.filter(created_at__lt=timezone.now() - PREVIEW_KEPT).delete()
    return CompanyImportPreview.objects.create(
        token=secrets.token_urlsafe(32), user=user, content=content, filename=filename, encoding=encoding,
        approve=approve, scope=scope,
    )  # fmt: skip


def import_preview_get(*, token: str, user: User, scope: str = "") -> CompanyImportPreview | None:
    """The user's own stored preview of that import, if it is still kept."""
    since = timezone.now() - PREVIEW_KEPT
    return CompanyImportPreview.objects.filter(token=token, user=user, scope=scope, created_at__gte=since).first()
