"""Client address behind reverse proxies (login throttling per IP), and the security headers."""

from django.conf import settings


class ForwardedForMiddleware:
    """With TRUSTED_PROXY_COUNT = N > 0, REMOTE_ADDR becomes the address that the outermost of our
    N proxies saw (the N-th entry from the right of X-Forwarded-For). Entries further left are
    written by the client and cannot be trusted, so they are never used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.TRUSTED_PROXY_COUNT
        if count:
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            if len(hops) >= count:
                request.META["REMOTE_ADDR"] = hops[-count]
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    The policy forbids inline script and style everywhere except under CSP_RELAXED_PATHS (DRF's
    browsable API writes style attributes that we do not control): there the same policy also
    allows inline *style*, never inline script.
    A response that already carries a header (a view that sets its own) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.strict = _policy(settings.CONTENT_SECURITY_POLICY)
        relaxed = dict(settings.CONTENT_SECURITY_POLICY)
        relaxed["style-src"] = [*relaxed["style-src"], "'unsafe-inline'"]
        self.relaxed = _policy(relaxed)
        self.relaxed_paths = tuple(settings.CSP_RELAXED_PATHS)
        self.permissions = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.relaxed if request.path.startswith(self.relaxed_paths) else self.strict
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())
