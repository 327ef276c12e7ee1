"""Values every page's header needs."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.selectors import notifications_unread_count


def notifications(request: HttpRequest) -> dict:
    """`unread_notifications`: counted (one query) only when a template shows it, and for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
