"""The main pages of each role, for the checks that go through all of them (phone layout, accessibility)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from tests.e2e.world import World


@dataclass(frozen=True)
class MainPage:
    name: str
    viewer: str  # "anonymous" or a World attribute: "firm_user", "organiser", "admin"
    url: Callable[[World], str]


MAIN_PAGES = [
    MainPage("home", "anonymous", lambda w: reverse("home")),
    MainPage("login", "anonymous", lambda w: reverse("accounts:login")),
    MainPage("directory", "firm_user", lambda w: reverse("companies:directory")),
    MainPage("company profile", "firm_user", lambda w: reverse("companies:detail", args=[w.partner.company.pk])),
    MainPage("my company", "firm_user", lambda w: reverse("companies:my_profile")),
    MainPage("suggestions", "firm_user", lambda w: reverse("matchmaking:my_suggestions")),
    MainPage("agenda", "firm_user", lambda w: reverse("events:my_agenda", args=[w.mission.pk])),
    MainPage("mission", "organiser", lambda w: reverse("events:detail", args=[w.mission.pk])),
    MainPage("schedule grid", "organiser", lambda w: reverse("events:schedule", args=[w.mission.pk])),
    MainPage("review queue", "admin", lambda w: reverse("matchmaking:review")),
]


def visit_all(page, w: World, *, base_url: str, log_in, lang: str, check: Callable) -> dict[str, object]:
    """Open every main page as its viewer, in `lang`, and return {page name: check(page)}."""
    from django.conf import settings

    results, viewer = {}, None
    for main in MAIN_PAGES:
        if main.viewer != viewer:  # the next viewer: a fresh session and the language cookie again
            page.context.clear_cookies()
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base_url}])
            if main.viewer != "anonymous":
                log_in(getattr(w, main.viewer))
            viewer = main.viewer
        response = page.goto(main.url(w))
        assert response is not None and response.ok, f"{main.name}: HTTP {response and response.status}"
        results[main.name] = check(page)
    return results


def known_reasons(known: dict[str, str]) -> str:
    """ "reason (page, page); other reason (page)": the known failures an xfail reports, each reason once."""
    pages: dict[str, list[str]] = {}
    for name, reason in known.items():
        pages.setdefault(reason, []).append(name)
    return "; ".join(f"{reason} ({', '.join(names)})" for reason, names in pages.items())
