"""Signed, expiring tokens for e-mail verification links.

The token carries the user id and the address being verified, so a link stops working for an address
the account no longer has. No database state: a link may be used more than once, which is harmless.
"""

from datetime import timedelta

from django.core import signing

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
