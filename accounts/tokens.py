"""Signed, expiring tokens for e-mail verification links; the calendar feed's URL token.

The token carries the user id and the address being verified, so a link stops working for an address
the account no longer has. No database state: a link may be used more than once, which is harmless.
"""

import base64
import hashlib
from datetime import timedelta

from django.core import signing
from django.utils.crypto import salted_hmac

VERIFICATION_MAX_AGE = timedelta(days=3)
_SALT = "accounts.email-verification"


def verification_token_make(*, user_id: int, email: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"id": user_id, "email": email})


def verification_token_read(*, token: str) -> tuple[int, str] | None:
    """The (user id, e-mail) a token was made for, or None when it is forged, malformed or expired."""
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not isinstance(data.get("email"), str):
        return None
    return data["id"], data["email"]


# --- Calendar feed tokens ---------------------------------------------------------------------------

_CALENDAR_SALT = "accounts.calendar-feed"


def calendar_token_make(*, nonce: str) -> str:
    """The feed's URL token: 43 URL-safe characters (an HMAC-SHA256 of the stored nonce under SECRET_KEY)."""
    digest = salted_hmac(_CALENDAR_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def calendar_token_hash(token: str) -> str:
    """What the database keeps to find a feed by its token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()
