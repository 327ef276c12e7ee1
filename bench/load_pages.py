"""The directory and the suggestions page under load: gunicorn + PostgreSQL + Redis, locust users.

    .venv/bin/python bench/load_pages.py [--users 50] [--duration 120] [--wait 1,3] [--rebuild]

Target (issue 12, item 7): p95 at most 300 ms for the directory and the suggestions page with 50
concurrent clients on gunicorn with PostgreSQL. Not a test: it prints figures; docs/benchmarks.md
keeps them with the machine's load at the time.

What it does:
1. Builds (once; `--rebuild` builds again) the database `kizuna_bench_pages`: `--firms` approved
   synthetic firms (companies_generate, as `manage.py generate_companies`), a mission in its
   meeting-requests phase with `--participants` of them enrolled, a match run of all approved
   firms and one of the mission (the real engine, top 10), and `--accounts` firm members (half EU,
   half Japanese, the Japanese ones browsing in Japanese), whose suggestions an admin approved
   through the review service. 4,000 firms take a few minutes on a quiet 2-core machine.
2. Starts gunicorn as production runs it (DEBUG=false, Redis cache, `--workers` as the README
   says for 2 cores, static files collected and served by whitenoise).
3. Runs locust headless (bench/locust_pages.py; locust from requirements-bench.txt, in its own
   virtualenv: `--locust` or $LOCUST, default .venv-bench/bin/locust): first a short warm-up whose
   figures are dropped, then `--users` users, each logged in as a firm member (its session made
   by Django's own login), waiting `--wait` seconds (uniform) between requests.
4. Prints p50/p95/p99, requests/s and failures per page kind, beside two baselines served at the
   same moment (a static file, /healthz), the load average during the run, and the CPU the web
   server spent per request (what a busy neighbour disturbs least).

Uses (and keeps, for the next run) the database on the local PostgreSQL; BENCH_DATABASE_URL
overrides it, BENCH_CACHE_URL the Redis cache (flushed before each run), `--port` the port.
"""

import argparse
import csv
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kizuna_bench_pages")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DATABASE_URL": DB_URL,
    "CACHE_URL": CACHE_URL,
    "CELERY_BROKER_URL": "",  # no page under test enqueues; building runs the engine in this process
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Plain HTTP on localhost (production has TLS at the proxy): no redirect, cookies sent over HTTP.
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)
PASSWORD = "bench-pages-2026"
MISSION = {
    "title": "EU–Japan battery and minerals mission (bench)", "city": "Osaka", "time_zone": "Asia/Tokyo",
    "venue": "Grand Front Osaka", "days": [dt.date(2027, 3, 8), dt.date(2027, 3, 9), dt.date(2027, 3, 10)],
    "sessions": [(dt.time(9, 0), dt.time(12, 30)), (dt.time(14, 0), dt.time(17, 30))],
    "meeting_minutes": 30, "break_minutes": 0, "tables": [f"T{i}" for i in range(1, 121)],
}  # fmt: skip
SEARCH_WORDS = ["nickel", "lithium", "graphite", "cathode", "recycling", "precursor", "GmbH", "Osaka",
                "antibody", "リチウム", "電池", "黒鉛", "株式会社", "rare earth"]  # fmt: skip


# --- The data -------------------------------------------------------------------------------------


def _recreate_database() -> None:
    import psycopg

    admin_url, _, name = DB_URL.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def _database_exists() -> bool:
    import psycopg

    admin_url, _, name = DB_URL.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        return c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _step(text: str, started: float) -> None:
    print(f"  {text} ({time.perf_counter() - started:.0f} s)", flush=True)


def build(*, firms: int, participants: int, accounts: int) -> None:
    """The bench's world, through the project's own services (see the module docstring)."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from accounts.models import User
    from companies.importing import companies_generate

    admin = User.objects.create_user(email="admin@bench.example", password=PASSWORD, is_staff=True,
                                     is_superuser=True, email_verified=True)  # fmt: skip
    organiser = User.objects.create_user(email="organiser@bench.example", password=PASSWORD, is_organiser=True,
                                         email_verified=True)  # fmt: skip
    result = companies_generate(count=firms, seed=12, approve_by=admin)
    assert result.ok, result.errors[:5]
    _step(f"{result.created} approved firms", started)
    mission = _mission(organiser, participants)
    _step(f"mission {mission.pk} with {mission.participations.count()} firms, in phase {mission.phase}", started)
    members = _members(mission, accounts)
    _step(f"{len(members)} firm members", started)
    for scope in (None, mission):
        run = _match(scope)
        _step(f"match run {run.pk} ({'mission' if scope else 'all firms'}): {run.suggestions_created} suggestions",
              started)  # fmt: skip
    approved = _approve(admin, members)
    _step(f"{approved} suggestions of the members' firms approved by the admin", started)


def _mission(organiser, participants: int):  # type: ignore[no-untyped-def]
    """The mission, in its meeting-requests phase, with half EU and half Japanese participants."""
    from companies.models import Company
    from events.services import missions, phases
    from events.services.enrolment import ENROL_MAX, participations_enrol

    mission = missions.mission_create(user=organiser, data=dict(MISSION))
    eu = list(Company.objects.exclude(country="JP").order_by("id")[: participants // 2])
    jp = list(Company.objects.filter(country="JP").order_by("id")[: participants - len(eu)])
    chosen = eu + jp
    for start in range(0, len(chosen), ENROL_MAX):
        participations_enrol(mission=mission, user=organiser, companies=chosen[start : start + ENROL_MAX])
    for phase in ("registration", "matching", "requests"):
        mission = phases.phase_move(mission=mission, user=organiser, to=phase)
    return mission


def _members(mission, accounts: int) -> list:  # type: ignore[no-untyped-def]
    """One member account per firm for `accounts` participating firms, half of each side; the password
    hashed once (hashing is slow on purpose, and the bench logs in with sessions, not passwords)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from companies.enums import MemberRole
    from companies.models import Membership

    parts = mission.participations.select_related("company").order_by("id")
    eu = [p.company for p in parts if p.company.country != "JP"][: accounts // 2]
    jp = [p.company for p in parts if p.company.country == "JP"][: accounts - len(eu)]
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"member{i:03d}@bench.example", password=hashed, email_verified=True,
             language="ja" if company.country == "JP" else "en", full_name=f"Member {i}")
        for i, company in enumerate(eu + jp)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(user=user, company=company, role=MemberRole.OWNER)
        for user, company in zip(users, eu + jp, strict=True)
    )
    return users


def _match(mission):  # type: ignore[no-untyped-def]
    from matchmaking import services
    from matchmaking.enums import RunSource

    run = services.match_run_start(user=None, mission=mission, source=RunSource.COMMAND, enqueue=False)
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == "succeeded", run.error
    return run


def _approve(admin, members: list) -> int:  # type: ignore[no-untyped-def]
    """The admin approves every suggestion of the members' firms (the review service, in batches)."""
    from django.db.models import Q

    from companies.models import Membership
    from matchmaking.enums import SuggestionStatus
    from matchmaking.models import Suggestion
    from matchmaking.services.review import suggestions_bulk_review

    firms = list(Membership.objects.filter(user__in=members).values_list("company_id", flat=True))
    ids = list(
        Suggestion.objects.filter(
            Q(eu_company_id__in=firms) | Q(jp_company_id__in=firms), status=SuggestionStatus.PROPOSED
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), 200):
        suggestions_bulk_review(suggestion_ids=ids[start : start + 200], admin=admin, approve=True)
    return len(ids)


def plan(*, wait: tuple[float, float]) -> dict:
    """What the locust users need: a session per member (Django's login), words, filters, pages."""
    from django.test import Client

    from accounts.models import User
    from companies import vocabulary
    from companies.models import Company
    from companies.views import DIRECTORY_PAGE_SIZE

    accounts = []
    for user in User.objects.filter(email__startswith="member", email__endswith="@bench.example").order_by("email"):
        client = Client()
        client.force_login(user)
        accounts.append({"session": client.cookies["sessionid"].value, "language": user.language})
    approved = Company.objects.filter(status="approved").count()
    return {
        "accounts": accounts,
        "wait": list(wait),
        "directory_pages": max(2, -(-approved // DIRECTORY_PAGE_SIZE)),
        "search_words": SEARCH_WORDS,
        # 1,766 different words (the first of each firm's name): searches the cache has mostly not
        # seen, so the uncached path is measured too.
        "name_words": sorted({name.split()[0] for name in Company.objects.values_list("name", flat=True)}),
        "filters": {
            "side": ["EU", "JP"],
            "country": ["DE", "FR", "JP", "IT", "NL", "SE"],
            "sector": list(vocabulary.SECTORS),
            "stage": list(vocabulary.STAGES)[:8],
            "material": ["nickel", "lithium", "graphite", "cobalt"],
        },
        "static_url": "/static/css/site.css",
        "firms": approved,
    }


# --- The server, the load and the figures ---------------------------------------------------------


def _server_cpu(master: int) -> float:
    """CPU seconds of gunicorn's master and its live workers."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(stat.parent.name) == master or int(fields[1]) == master:
                total += sum(int(v) for v in fields[11:13]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def _services_cpu() -> dict[str, float]:
    """CPU seconds so far of PostgreSQL's and Redis's processes (by name; with the backends that
    ended, which their parent counts) and of the whole machine (every process, ours or not)."""
    found = {"PostgreSQL": 0.0, "Redis": 0.0}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
            seconds = sum(int(v) for v in fields[11:15]) / tick
        except (OSError, ValueError, IndexError):
            continue
        if name.startswith("postgres"):
            found["PostgreSQL"] += seconds
        elif name.startswith("redis"):
            found["Redis"] += seconds
    with Path("/proc/stat").open() as stat:
        ticks = [int(v) for v in stat.readline().split()[1:]]
    found["machine"] = (sum(ticks) - ticks[3] - ticks[4]) / tick  # all but idle and I/O wait
    return found


class LoadSampler(threading.Thread):
    """The 1-minute load average every 5 s while the load runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])


def start_server(port: int, workers: int, worker_class: str, threads: int) -> subprocess.Popen:
    with socket.socket() as probe:  # another server there would answer for ours
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"Port {port} is taken; choose another with --port.")
    log = (OUT / "load_pages-gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", worker_class, "--threads", str(threads), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **SERVER_ENV}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    (OUT / "load_pages-gunicorn.pid").write_text(str(server.pid))  # its process group, should all else fail
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200 and server.poll() is None:
                    return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log.name}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run_locust(locust: str, *, port: int, users: int, seconds: int, prefix: Path) -> None:
    subprocess.run(
        [locust, "-f", str(ROOT / "bench" / "locust_pages.py"), "--headless", "--host", f"http://127.0.0.1:{port}",
         "--users", str(users), "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{seconds}s",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
        check=False, env={**os.environ, "BENCH_PLAN": str(OUT / "load_pages-plan.json")}, timeout=seconds + 60,
        stdout=subprocess.DEVNULL, stderr=(OUT / "load_pages-locust.log").open("w"),
    )  # fmt: skip


def report(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"{'page':<30}{'requests':>9}{'fail':>6}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"].startswith("baseline"), r["Name"])):
        print(f"{row['Name']:<30}{int(row['Request Count']):>9,}{int(row['Failure Count']):>6}"
              f"{float(row['Requests/s']):>7.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
              f"{float(row['Max Response Time']):>8.0f}")  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent locust users (default 50)")
    parser.add_argument("--duration", type=int, default=120, help="seconds measured (default 120)")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of warm-up, not counted (default 20)")
    parser.add_argument("--wait", default="1,3", help="think time between a user's requests, MIN,MAX seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (README: 3 on 2 cores)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (README: sync)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--firms", type=int, default=4000)
    parser.add_argument("--participants", type=int, default=600, help="firms enrolled in the mission")
    parser.add_argument("--accounts", type=int, default=50, help="firm members (sessions) the users log in as")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--locust", default=os.environ.get("LOCUST", str(ROOT / ".venv-bench" / "bin" / "locust")))
    args = parser.parse_args()
    wait = tuple(float(v) for v in args.wait.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    fresh = args.rebuild or not _database_exists()
    if fresh:
        _recreate_database()
    import django

    django.setup()
    if fresh:
        print(f"Building {DB_URL.rpartition('/')[2]}:", flush=True)
        build(firms=args.firms, participants=args.participants, accounts=args.accounts)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # the code under test may bring indexes of its own
    with connection.cursor() as cursor:
        # The planner's statistics and the visibility map, as autovacuum keeps them in service.
        cursor.execute("VACUUM ANALYZE")
    if args.build_only:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    the_plan = plan(wait=wait)
    (OUT / "load_pages-plan.json").write_text(json.dumps(the_plan), encoding="utf-8")
    # A stop (Ctrl-C, `timeout`) still stops gunicorn: it runs in a session of its own.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = start_server(args.port, args.workers, args.worker_class, args.threads)
    try:
        run_locust(args.locust, port=args.port, users=min(10, args.users), seconds=args.warmup,
                   prefix=OUT / "load_pages-warmup")  # fmt: skip
        sampler, cpu_before, child_before = LoadSampler(), _server_cpu(server.pid), os.times()
        services_before = _services_cpu()
        sampler.start()
        run_locust(args.locust, port=args.port, users=args.users, seconds=args.duration, prefix=OUT / "load_pages")
        sampler.stop.set()
        cpu = _server_cpu(server.pid) - cpu_before
        locust_cpu = sum(os.times()[2:4]) - sum(child_before[2:4])
        services = {name: seconds - services_before[name] for name, seconds in _services_cpu().items()}
    finally:
        stop_server(server)
    print(f"\n{the_plan['firms']:,} approved firms; {args.users} users, think time {wait[0]:g}–{wait[1]:g} s, "
          f"{args.duration} s measured after {args.warmup} s of warm-up; gunicorn {args.workers} workers "
          f"({args.worker_class}, {args.threads} thread(s) each), DEBUG=false, Redis cache; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")  # fmt: skip
    rows = report(OUT / "load_pages")
    total = next(int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated")
    loads = sampler.samples or [os.getloadavg()[0]]
    per = 1000 / max(total, 1)
    print(f"web server CPU: {cpu:.1f} s for {total:,} requests = {cpu * per:.1f} ms per request; "
          f"locust CPU {locust_cpu:.1f} s")  # fmt: skip
    others = services["machine"] - cpu - locust_cpu - services["PostgreSQL"] - services["Redis"]
    print(f"CPU per request (ms): web server {cpu * per:.2f}, locust {locust_cpu * per:.2f}, PostgreSQL "
          f"{services['PostgreSQL'] * per:.2f}, Redis {services['Redis'] * per:.2f}, anything else {others * per:.2f}; "
          f"the machine {services['machine'] * per:.2f} ({services['machine'] / args.duration:.2f} of "
          f"{os.cpu_count()} cores busy)")  # fmt: skip
    print(f"load average (1 min) during the run: min {min(loads):.1f}, mean {sum(loads) / len(loads):.1f}, "
          f"max {max(loads):.1f} ({os.cpu_count()} cores)")  # fmt: skip


if __name__ == "__main__":
    main()
