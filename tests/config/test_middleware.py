from django.test import RequestFactory, override_settings

from config.middleware import ForwardedForMiddleware


def _remote_addr(forwarded_for: str | None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    ForwardedForMiddleware(lambda r: None)(request)
    return request.META["REMOTE_ADDR"]


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_forwarded_for_ignored_without_trusted_proxies():
    assert _remote_addr("203.0.113.9") == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_forwarded_for_one_proxy_takes_rightmost_entry():
    assert _remote_addr("1.2.3.4, 203.0.113.9") == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_forwarded_for_too_few_hops_keeps_socket_address():
    assert _remote_addr("203.0.113.9") == "10.0.0.1"
