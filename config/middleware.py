"""Client address behind reverse proxies, for login throttling per IP."""

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
