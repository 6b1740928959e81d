"""Throughput and latency of the main one-stop screens against a filled PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcommune_bench .venv/bin/python bench/load.py

Serves the app with gunicorn (2 sync workers, production settings, plain http on 127.0.0.1), signs
in two bench one-stop officers (no second factor needed for that role; nothing is bypassed), and
drives each scenario with wrk (or, without wrk, a small threaded Python client) for a fixed time:

    floor      GET  /__bench/floor/             the same stack answering bare JSON (measured first and last)
    detail     GET  /dossiers/<code>/           1,000 random dossiers of the officer's commune (views repeat)
    first-view GET  /dossiers/<code>/           the commune's other dossiers: mostly first views
    at-step    GET  /dossiers/<code>/           the dossiers on the officer's worklist: the page with its action forms
    worklist   GET  /dossiers/mine/             the officer's worklist, first page
    list       GET  /dossiers/?status=4&q=...   the unit's list filtered by status and a name
    intake     POST /dossiers/new/<procedure>/  a complete dossier with two small PDF scans

Prints requests/s, p50 and p99 for each, each one's throughput as a ratio to the floor, the CPU
time the gunicorn workers and PostgreSQL spent per request (read from /proc: robust to other load
on the machine), then the intake rate in dossiers/s. See bench/README.md. The database must have been filled by `manage.py bench_fill`
(bench/fill.py). Dossiers created by the intake scenario are deleted afterwards (--keep-intake keeps
them); uploaded files go to a temporary media folder that is removed.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
LUA = Path(__file__).with_name("wrk_scenario.lua")
DEFAULT_PASSWORD = "Bench-mat-khau-2026"  # noqa: S105 - bench_fill's default, scratch databases only
TARGET_P99_MS = 150
TARGET_FLOOR_RATIO = 0.40
TARGET_INTAKE_PER_S = 50

PDF_1 = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PDF_2 = PDF_1.replace(b"%%EOF", b"% scan 2\n%%EOF")


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unrecorded load first (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--connections", type=int, default=0, help="default: 2 per worker")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port on 127.0.0.1")
    parser.add_argument("--user", default="bench_001_motcua_1", help="the officer whose pages are read")
    parser.add_argument("--intake-user", default="bench_001_motcua_2", help="the officer who receives")
    parser.add_argument("--password", default=os.environ.get("SMARTCOMMUNE_BENCH_PASSWORD", DEFAULT_PASSWORD))
    parser.add_argument("--procedure", default="", help="procedure code for intake (default: chosen)")
    parser.add_argument(
        "--scenarios",
        default="floor,first-view,detail,at-step,worklist,list,intake",
        help="comma-separated subset, in order",
    )
    parser.add_argument("--no-gzip", action="store_true", help="do not send Accept-Encoding: gzip")
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python client even if wrk exists"
    )
    parser.add_argument("--keep-intake", action="store_true", help="keep the dossiers the intake run created")
    return parser.parse_args()


# --- the server -----------------------------------------------------------------------------------


def server_env(tmp: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL database filled by bench/fill.py.")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        SMARTCOMMUNE_VAR_DIR=str(tmp / "var"),
        SMARTCOMMUNE_BENCH_FLOOR="1",
        LOG_LEVEL="WARNING",
        CELERY_BROKER_URL="",
        # Two worker processes share one cache, as production must (see .env.example).
        CACHE_URL=env.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15"),
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [str(VENV_BIN / "gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning", "--timeout", "60"]
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            status, _h, _b = Client(port).get("/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(server)
    sys.exit("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # the process group this script started for gunicorn
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- server CPU per request (robust to other load on the machine) ---------------------------------


def _cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _backends() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def cpu_snapshot(server_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds used so far by the gunicorn workers and by the database's client backends."""
    app = {pid: _cpu_seconds(pid) for pid in _children(server_pid)}
    db = {pid: _cpu_seconds(pid) for pid in _backends()}
    return {
        "app": {p: t for p, t in app.items() if t is not None},
        "db": {p: t for p, t in db.items() if t is not None},
    }


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {side: sum(t - before[side].get(pid, 0.0) for pid, t in after[side].items()) for side in after}


# --- a small HTTP client (sign-in, preparation, the fallback load generator) -----------------------


class Client:
    """A keep-alive connection to 127.0.0.1 with a cookie jar; never follows redirects."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def get(self, path: str):
        return self.request("GET", path)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if k in ("sessionid", "csrftoken"))


def csrf_field(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        sys.exit("No CSRF token in the page.")
    return match.group(1).decode()


def sign_in(port: int, username: str, password: str) -> Client:
    client = Client(port)
    _status, _headers, page = client.get("/accounts/login/")
    body = urlencode({"csrfmiddlewaretoken": csrf_field(page), "username": username, "password": password})
    status, headers, _page = client.request(
        "POST", "/accounts/login/", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status != 302 or "sessionid" not in client.cookies:
        sys.exit(f"Signing in as {username} failed ({status}): was the database filled by bench_fill?")
    status, headers, _page = client.get("/dossiers/mine/")
    if status != 200:
        sys.exit(f"{username} cannot open /dossiers/mine/ ({status} {headers.get('Location', '')})")
    return client


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----smartcommune-bench-" + secrets.token_hex(8)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- what to request (read from the database with the app's own policies) --------------------------


def collect_static() -> None:
    """Collect the static files the pages name (the manifest), without compressing them: WhiteNoise's
    compression takes minutes here and only matters for the static files, which are not measured."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": manifest}
    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def prepare(args) -> dict:
    from django.db import connection

    from smartcommune.catalog.models import Procedure, ProcessTemplate
    from smartcommune.directory.models import Citizen, User
    from smartcommune.dossiers.choices import DossierStatus
    from smartcommune.dossiers.models import Dossier
    from smartcommune.dossiers.policies import dossier_qs_for
    from smartcommune.dossiers.selectors import receiving_units

    try:
        reader = User.objects.get(username=args.user)
        receiver = User.objects.get(username=args.intake_user)
    except User.DoesNotExist:
        sys.exit(f"No user {args.user} / {args.intake_user}: fill the database with bench/fill.py first.")
    scope = dossier_qs_for(user=reader)
    codes = list(scope.order_by("?").values_list("code", flat=True)[:1000])
    if not codes:
        sys.exit(f"{args.user} sees no dossier: fill the database with bench/fill.py first.")
    names = list(
        scope.filter(status=DossierStatus.PROCESSING)
        .order_by("?")
        .values_list("applicant_name", flat=True)[:100]
    ) or list(scope.order_by("?").values_list("applicant_name", flat=True)[:100])
    queries = [name if i % 2 else name.split()[-1] for i, name in enumerate(names)]
    plan = {
        "dossiers": Dossier.objects.count(),
        "commune_dossiers": scope.count(),
        "worklist": Dossier.objects.filter(current_assignee=reader).open().count(),
        "detail_paths": [f"/dossiers/{code}/" for code in codes],
        # The page of a dossier version is cached once rendered: these are seldom seen twice in a run.
        "first_view_paths": [
            f"/dossiers/{code}/" for code in scope.exclude(code__in=codes).values_list("code", flat=True)
        ],
        # Where an officer works: dossiers waiting at their step, whose page offers the action forms.
        "at_step_paths": [
            f"/dossiers/{code}/"
            for code in Dossier.objects.filter(current_assignee=reader).open().values_list("code", flat=True)
        ],
        "list_paths": [f"/dossiers/?{urlencode({'status': 4, 'q': q})}" for q in queries],
        "max_dossier_id": Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "receiver_id": receiver.pk,
    }

    units = receiving_units(user=receiver)
    if not units:
        sys.exit(f"{args.intake_user} receives for no unit.")
    unit = units[0]
    citizen = Citizen.objects.filter(home_unit__path__startswith=unit.path).order_by("pk").first()
    candidates = Procedure.objects.filter(is_active=True, applicant_types__contains=["citizen"]).order_by(
        "code"
    )
    if args.procedure:
        candidates = candidates.filter(code=args.procedure)
    procedure = None
    for candidate in candidates.prefetch_related("components", "fee_rules", "fee_exemptions"):
        process = ProcessTemplate.objects.filter(procedure=candidate, org_unit__isnull=True).first()
        first = process.steps.order_by("order").first() if process else None
        components = list(candidate.components.all())
        if (
            first is not None
            and first.route_to_id is None
            and components
            and all("pdf" in (c.accepted_types or ["pdf"]) for c in components)
        ):
            procedure = candidate
            break
    if procedure is None or citizen is None:
        plan["intake"] = None
    else:
        kinds = {r.kind for r in procedure.fee_rules.all()}
        fields = [("client_token", ""), ("org_unit", str(unit.pk)), ("applicant_kind", "citizen")]
        fields += [("personal_id", citizen.personal_id), ("channel", "1"), ("intent", "receive")]
        if "per_page" in kinds:
            fields += [("pages", "1"), ("copies", "1")]
        if "per_case" in kinds:
            fields += [("cases", "1")]
        files = []
        for i, component in enumerate(procedure.components.all()):
            prefix = f"c{component.pk}"
            fields += [(f"{prefix}_given", "on"), (f"{prefix}_originals", str(component.originals))]
            fields += [(f"{prefix}_copies", str(component.copies))]
            if i == 0:
                files = [(f"{prefix}_files", "to-khai.pdf", PDF_1), (f"{prefix}_files", "giay-to.pdf", PDF_2)]
        plan["intake"] = {"path": f"/dossiers/new/{procedure.code}/", "fields": fields, "files": files}
        plan["intake_procedure"] = f"{procedure.code} {procedure.name}"
    connection.close()
    return plan


def intake_body(client: Client, intake: dict) -> tuple[bytes, str]:
    _status, _headers, page = client.get(intake["path"])
    return multipart([("csrfmiddlewaretoken", csrf_field(page)), *intake["fields"]], intake["files"])


def intake_count(plan: dict) -> int:
    from django.db import connection

    from smartcommune.dossiers.models import Dossier

    count = Dossier.objects.filter(pk__gt=plan["max_dossier_id"], received_by_id=plan["receiver_id"]).count()
    connection.close()
    return count


def delete_intake(plan: dict) -> int:
    from django.db import connection, transaction
    from django.db.models import ProtectedError

    from smartcommune.dossiers.models import Dossier

    created = Dossier.objects.filter(pk__gt=plan["max_dossier_id"], received_by_id=plan["receiver_id"])
    try:
        with transaction.atomic():
            deleted = created.count()
            created.delete()
    except ProtectedError as exc:
        print(f"intake dossiers kept: {exc.args[0]}", file=sys.stderr)
        deleted = 0
    connection.close()
    return deleted


# --- load generators --------------------------------------------------------------------------------


def run_wrk(port: int, scenario: dict, *, duration: int, connections: int, threads: int, tmp: Path) -> dict:
    paths_file = tmp / f"{scenario['name']}.paths"
    paths_file.write_text("\n".join(scenario["paths"]) + "\n")
    env = dict(os.environ)
    env.update(
        BENCH_PATHS=str(paths_file),
        BENCH_METHOD=scenario.get("method", "GET"),
        BENCH_COOKIE=scenario["cookie"],
        BENCH_ACCEPT_ENCODING=scenario.get("accept_encoding", ""),
        BENCH_CONTENT_TYPE=scenario.get("content_type", ""),
        BENCH_BODY="",
        BENCH_EXPECT=str(scenario.get("expect", 200)),
    )
    if scenario.get("body") is not None:
        body_file = tmp / f"{scenario['name']}.body"
        body_file.write_bytes(scenario["body"])
        env["BENCH_BODY"] = str(body_file)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
    ]
    command.append(f"http://127.0.0.1:{port}")
    done = subprocess.run(  # noqa: S603 - wrk with fixed arguments
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    match = re.search(r"BENCH_RESULT (\{.*\})", done.stdout)
    if not match:
        sys.exit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    return json.loads(match.group(1))


def run_python(port: int, scenario: dict, *, duration: int, connections: int, **_ignored) -> dict:
    """A fallback when wrk is missing: one thread and keep-alive connection per connection."""
    import random

    latencies, errors, wrong, lock = [], [0], [0], threading.Lock()
    cookies = dict(part.split("=", 1) for part in scenario["cookie"].split("; ") if "=" in part)
    expect = scenario.get("expect", 200)
    headers = {"Accept": "text/html,application/json"}
    if scenario.get("accept_encoding"):
        headers["Accept-Encoding"] = scenario["accept_encoding"]
    if scenario.get("content_type"):
        headers["Content-Type"] = scenario["content_type"]
    deadline = time.monotonic() + duration

    def worker():
        client, mine, failed, unexpected = Client(port, cookies), [], 0, 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _h, _b = client.request(
                    scenario.get("method", "GET"),
                    random.choice(scenario["paths"]),
                    scenario.get("body"),
                    headers,
                )
            except (http.client.HTTPException, OSError):
                failed += 1
                continue
            mine.append(time.perf_counter() - started)
            failed += status >= 400
            unexpected += status != expect
        with lock:
            latencies.extend(mine)
            errors[0] += failed
            wrong[0] += unexpected

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return (
            int(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1e6) if latencies else 0
        )

    return {
        "requests": len(latencies),
        "duration_us": int(elapsed * 1e6),
        "p50_us": pct(50),
        "p90_us": pct(90),
        "p99_us": pct(99),
        "max_us": int(latencies[-1] * 1e6) if latencies else 0,
        "mean_us": sum(latencies) / len(latencies) * 1e6 if latencies else 0,
        "status_errors": errors[0],
        "connect_errors": 0,
        "read_errors": 0,
        "write_errors": 0,
        "timeouts": 0,
        "unexpected": wrong[0],
    }


# --- the run ---------------------------------------------------------------------------------------------


def check(client: Client, scenario: dict) -> str:
    """One request first: a scenario that does not answer as expected is not measured."""
    status, headers, _body = client.request(
        scenario.get("method", "GET"),
        scenario["paths"][0],
        scenario.get("body"),
        {"Content-Type": scenario["content_type"]} if scenario.get("content_type") else None,
    )
    expected = scenario.get("expect", 200)
    if status != expected:
        return f"answered {status} {headers.get('Location', '')} instead of {expected}"
    return ""


def cpu_calibration() -> float:
    """CPU seconds of a fixed pure-Python loop: compares runs on machines or moments of unequal speed."""
    started = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.process_time() - started


def main() -> None:
    args = parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    runner = run_wrk if use_wrk else run_python
    connections = args.connections or 2 * args.workers
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="smartcommune-bench-"))
    env = server_env(tmp)
    os.environ.update(env)
    try:
        collect_static()
        from django.core.cache import cache

        cache.clear()  # a refilled database must not meet entries cached from the previous one
        plan = prepare(args)
        port = args.port or free_port()
        load_before = os.getloadavg()
        calibration = cpu_calibration()
        server = start_gunicorn(env, port, args.workers, tmp / "gunicorn.log")
        try:
            results, skipped = measure(args, plan, port, server.pid, runner, connections, wanted, tmp)
        except SystemExit:
            print((tmp / "gunicorn.log").read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            stop_gunicorn(server)
        load_after = os.getloadavg()
        created = intake_count(plan) if "intake" in results else 0
        deleted = 0 if args.keep_intake or not created else delete_intake(plan)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    report(
        args, plan, results, skipped, deleted, use_wrk, connections, (load_before, load_after, calibration)
    )


def measure(args, plan, port, server_pid, runner, connections, wanted, tmp):
    reader = sign_in(port, args.user, args.password)
    gzip = "" if args.no_gzip else "gzip, deflate"
    base = {"cookie": reader.cookie_header(), "accept_encoding": gzip}
    scenarios = {
        "floor": {**base, "paths": ["/__bench/floor/"]},
        "detail": {**base, "paths": plan["detail_paths"]},
        "first-view": {**base, "paths": plan["first_view_paths"]},
        "at-step": {**base, "paths": plan["at_step_paths"]},
        "worklist": {**base, "paths": ["/dossiers/mine/"]},
        "list": {**base, "paths": plan["list_paths"]},
    }
    skipped, receiver = {}, None
    if "intake" in wanted:
        if plan["intake"] is None:
            skipped["intake"] = "no procedure or citizen to receive for"
        else:
            receiver = sign_in(port, args.intake_user, args.password)
            body, content_type = intake_body(receiver, plan["intake"])
            scenarios["intake"] = {
                "cookie": receiver.cookie_header(),
                "accept_encoding": gzip,
                "paths": [plan["intake"]["path"]],
                "method": "POST",
                "body": body,
                "content_type": content_type,
                "expect": 302,
            }
    order = [name for name in wanted if name in scenarios]
    if "floor" in order:
        order.append("floor")  # once more at the end: the ratio uses the mean of both
    clients = {"intake": receiver} if "intake" in scenarios else {}
    for name in dict.fromkeys(order):
        problem = check(clients.get(name, reader), scenarios[name])
        if problem:
            skipped[name] = problem
    order = [name for name in order if name not in skipped]

    results: dict[str, list[dict]] = {}
    for name in order:
        scenario = {**scenarios[name], "name": name}
        print(f"  {name}: {args.duration} s, {connections} connections ...", file=sys.stderr, flush=True)
        if args.warmup and name not in results:
            runner(
                port, scenario, duration=args.warmup, connections=connections, threads=args.threads, tmp=tmp
            )
        received_before = intake_count(plan) if name == "intake" else 0
        cpu_before = cpu_snapshot(server_pid)
        result = runner(
            port, scenario, duration=args.duration, connections=connections, threads=args.threads, tmp=tmp
        )
        result["cpu"] = cpu_used(cpu_before, cpu_snapshot(server_pid))
        if name == "intake":
            result["received"] = intake_count(plan) - received_before
        results.setdefault(name, []).append(result)
    return results, skipped


def report(args, plan, results, skipped, deleted, use_wrk, connections, machine):
    def rps(r):
        return r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0

    floors = [rps(r) for r in results.get("floor", [])]
    floor = sum(floors) / len(floors) if floors else 0.0
    cpus = os.cpu_count() or 1
    tool = "wrk" if use_wrk else "Python client"
    print()
    print(
        f"SmartCommune load benchmark: {plan['dossiers']:,} dossiers ({plan['commune_dossiers']:,} in "
        f"{args.user}'s commune, {plan['worklist']} on the worklist); gunicorn {args.workers} sync workers; "
        f"{tool}, {connections} connections, {args.duration} s a scenario; gzip {'off' if args.no_gzip else 'on'}"
    )
    load_before, load_after, calibration = machine
    print(
        f"machine: {cpus} CPUs, load average {load_before[0]:.2f} before / {load_after[0]:.2f} after; "
        f"calibration loop {calibration:.2f} s CPU (lower is faster: compare runs by it)"
    )
    print()
    print(
        f"{'scenario':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>6} "
        f"{'app ms':>7} {'db ms':>6} {'cpu-bound':>9}  target"
    )
    for name in ("floor", "first-view", "detail", "at-step", "worklist", "list", "intake"):
        for i, r in enumerate(results.get(name, [])):
            label = name if len(results[name]) == 1 else f"{name} {i + 1}"
            errors = sum(
                r[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "unexpected")
            )
            ratio = rps(r) / floor if floor else 0.0
            app_ms = r["cpu"]["app"] * 1000 / r["requests"] if r["requests"] else 0.0
            db_ms = r["cpu"]["db"] * 1000 / r["requests"] if r["requests"] else 0.0
            bound = cpus * 1000 / (app_ms + db_ms) if app_ms + db_ms else 0.0
            target = ""
            if errors:
                target = "NOT VALID: answers with another status than expected (a lost session?)"
            elif name in ("first-view", "detail", "worklist"):
                ok = r["p99_us"] / 1000 < TARGET_P99_MS and ratio >= TARGET_FLOOR_RATIO
                target = f"p99 < {TARGET_P99_MS} ms, >= {TARGET_FLOOR_RATIO:.0%} of floor: {'met' if ok else 'MISSED'}"
            print(
                f"{label:<10} {rps(r):8.1f} {r['p50_us'] / 1000:8.1f} {r['p99_us'] / 1000:8.1f} {ratio:6.2f} "
                f"{errors:6d} {app_ms:7.1f} {db_ms:6.1f} {bound:9.0f}  {target}"
            )
    for name, reason in skipped.items():
        print(f"{name:<10} not measured: {reason}")
    for r in results.get("intake", []):
        rate = r["received"] / (r["duration_us"] / 1e6)
        print()
        print(
            f"intake: {r['received']} dossiers received in {r['duration_us'] / 1e6:.0f} s = {rate:.1f} dossiers/s; "
            f"target >= {TARGET_INTAKE_PER_S}: {'met' if rate >= TARGET_INTAKE_PER_S else 'MISSED'} "
            f"({plan.get('intake_procedure', '')}; {deleted} deleted afterwards)"
        )
    print()
    print(
        "ratio: throughput / the floor's (mean of its two runs). errors: answers with another status than "
        "expected (200; 302 for intake) and socket errors. app ms, db ms: CPU time the gunicorn "
        "workers and the PostgreSQL backends spent per request; cpu-bound: the req/s those costs allow "
        f"on {cpus} otherwise idle CPUs (load generator excluded)."
    )


if __name__ == "__main__":
    main()
