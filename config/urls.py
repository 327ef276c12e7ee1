from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import admin_login
from config import views
from events.views_feed import calendar_feed

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("companies.api.urls")),
    path("", include("events.api.urls")),
    path("", include("matchmaking.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("companies/", include("companies.urls")),
    path("missions/", include("events.urls")),
    # The personal calendar feed: no login, the token is the credential (accounts.CalendarFeed).
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{1,100})\.ics$", calendar_feed, name="calendar_feed"),
    path("matches/", include("matchmaking.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file (?script), so the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin has no password form of its own: staff log in on the site's page, under its throttle.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]
handler404 = "config.views.not_found"
