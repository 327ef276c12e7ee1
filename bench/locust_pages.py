"""Locust users for bench/load_pages.py: firm members browsing the directory and their suggestions.

Run by bench/load_pages.py (which builds the data, starts gunicorn and writes the plan); it needs
only locust (requirements-bench.txt), not Django. The plan (JSON, path in BENCH_PLAN) gives each
user a logged-in session of its own (a firm member; Japanese firms' members browse in Japanese),
the search words, filter values and page counts to draw from, and the think time between requests.

Every request is named by page kind, so the statistics come per kind; the two "baseline" kinds
(a static file through whitenoise, and /healthz: Django's middleware and two trivial queries)
show what the machine and the server stack do at the same moment without the pages' own work.

The users are locust's FastHttpUser (geventhttpclient), not HttpUser (python-requests): locust's
documentation recommends it when the load generator's own CPU matters, and here it shares the two
cores with the server under test (less CPU per request: docs/benchmarks.md). Each user
keeps its connection open between requests (HTTP keep-alive, as browsers do), where the server
allows it.
"""

import itertools
import json
import os
import random
from http.cookiejar import Cookie
from pathlib import Path

from locust import FastHttpUser, between, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
_accounts = itertools.cycle(PLAN["accounts"])


def _session_cookie(value: str) -> Cookie:
    """The session cookie as Django sets it (host-only, path /), for the user's cookie jar: the
    server's own cookies (csrftoken) then join it as a browser's would."""
    return Cookie(version=0, name="sessionid", value=value, port=None, port_specified=False, domain="",
                  domain_specified=False, domain_initial_dot=False, path="/", path_specified=True, secure=False,
                  expires=None, discard=True, comment=None, comment_url=None, rest={})  # fmt: skip


class FirmMember(FastHttpUser):
    wait_time = between(*PLAN["wait"])

    def on_start(self) -> None:
        account = next(_accounts)
        self.client.cookiejar.set_cookie(_session_cookie(account["session"]))
        self.headers = {"Accept-Language": account["language"]}
        self.rng = random.Random(account["session"])

    def _get(self, url: str, name: str, params: dict | None = None) -> None:
        # A redirect (to the login page, to register a company) is a failure: the page was not served.
        with self.client.get(
            url, params=params, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(4)
    def directory(self) -> None:
        self._get("/companies/", "directory")

    @task(2)
    def directory_page(self) -> None:
        self._get("/companies/", "directory ?page=N", {"page": self.rng.randint(2, PLAN["directory_pages"])})

    @task(2)
    def directory_search(self) -> None:
        self._get("/companies/", "directory ?q=word", {"q": self.rng.choice(PLAN["search_words"])})

    @task(1)
    def directory_search_name(self) -> None:
        self._get("/companies/", "directory ?q=name (uncached)", {"q": self.rng.choice(PLAN["name_words"])})

    @task(2)
    def directory_filtered(self) -> None:
        keys = self.rng.sample(sorted(PLAN["filters"]), self.rng.randint(1, 2))
        params = {key: self.rng.choice(PLAN["filters"][key]) for key in keys}
        params["page"] = self.rng.choice((1, 1, 2, 3))
        self._get("/companies/", "directory filtered", params)

    @task(4)
    def suggestions(self) -> None:
        self._get("/matches/mine/", "suggestions")

    @task(2)
    def suggestions_sorted(self) -> None:
        params = {"sort": self.rng.choice(("name", "country", "score")), "page": self.rng.choice((1, 2))}
        self._get("/matches/mine/", "suggestions ?sort&page", params)

    @task(1)
    def baseline_static(self) -> None:
        self._get(PLAN["static_url"], "baseline: static file")

    @task(1)
    def baseline_healthz(self) -> None:
        self._get("/healthz", "baseline: /healthz")
