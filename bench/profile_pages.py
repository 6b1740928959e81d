"""Where a page's time goes: the load scenarios run in-process, with CPU time, SQL count and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcommune_bench .venv/bin/python bench/profile_pages.py
    ... bench/profile_pages.py --profile detail --top 40

Uses the same production settings, officers and requests as `load.py` (it imports its plan), but
drives Django's test client in one process, so the figures are free of HTTP and of other load:

    scenario   requests   CPU ms/request (this process: Python + driver)   db ms (its PostgreSQL
    backend's CPU)   wall ms   SQL queries/request

`--profile NAME` prints cProfile's top functions for that scenario (by own time and cumulative).
Intake dossiers it creates are deleted at the end, as in `load.py`.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import load  # the plan and settings of the load benchmark


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=100, help="measured requests per scenario (default 100)"
    )
    parser.add_argument("--scenarios", default="floor,first-view,detail,at-step,worklist,list,intake")
    parser.add_argument("--profile", default="", help="print a cProfile of this scenario")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--dump", default="", help="save the cProfile stats to this file")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request per scenario")
    parser.add_argument("--user", default="bench_001_motcua_1")
    parser.add_argument("--intake-user", default="bench_001_motcua_2")
    parser.add_argument("--procedure", default="")
    return parser.parse_args()


class QueryCounter:
    def __init__(self, keep: bool = False):
        self.count = 0
        self.statements = [] if keep else None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.statements is not None:
            self.statements.append(sql)
        return execute(sql, params, many, context)


def _backend_pid(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sc-profile-"))
    os.environ.update(load.server_env(tmp))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    load.collect_static()
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client

    from smartcommune.directory.models import User

    plan = load.prepare(args)
    reader, receiver = Client(), Client()
    reader.force_login(User.objects.get(username=args.user))
    receiver.force_login(User.objects.get(username=args.intake_user))

    def intake_request(i):
        data = dict(plan["intake"]["fields"])
        for name, filename, content in plan["intake"]["files"]:
            data.setdefault(name, []).append(SimpleUploadedFile(filename, content, "application/pdf"))
        response = receiver.post(plan["intake"]["path"], data)
        # A browser follows the redirect and the dossier page shows the "received" message; unread,
        # the messages cookie would grow with every request (wrk in load.py never sends it back).
        receiver.cookies.pop("messages", None)
        return response

    scenarios = {
        "floor": (200, lambda i: reader.get("/__bench/floor/")),
        # Distinct dossiers, after the cache is emptied: the page rendered from the database.
        "first-view": (200, lambda i: reader.get(plan["first_view_paths"][i])),
        # Five dossiers seen again and again (the warm-up sees them first): the cached record.
        "detail": (200, lambda i: reader.get(plan["detail_paths"][i % 5])),
        "at-step": (200, lambda i: reader.get(plan["at_step_paths"][i % len(plan["at_step_paths"])])),
        "worklist": (200, lambda i: reader.get("/dossiers/mine/")),
        "list": (200, lambda i: reader.get(plan["list_paths"][i % len(plan["list_paths"])])),
        "intake": (302, intake_request),
    }
    print(
        f"{plan['dossiers']:,} dossiers; {args.user} sees {plan['commune_dossiers']:,}, {plan['worklist']} on the worklist"
    )
    print(f"{'scenario':<10} {'requests':>8} {'CPU ms':>8} {'db ms':>8} {'wall ms':>8} {'queries':>8}")
    try:
        for name in args.scenarios.split(","):
            expected, run = scenarios[name]
            if name == "intake" and not plan.get("intake"):
                print("intake: no suitable procedure/citizen")
                continue
            if name == "first-view":
                cache.clear()
            for i in range(5):  # warm caches, as the load test's warm-up does
                response = run(i)
                assert response.status_code == expected, (name, response.status_code)
            if args.sql:
                shown = QueryCounter(keep=True)
                with connection.execute_wrapper(shown):
                    run(5)
                for number, sql in enumerate(shown.statements, 1):
                    print(f"{name} {number:>3}: {sql[:300]}")
            counter = QueryCounter()
            # CPU time, as the table: time waiting for PostgreSQL is its own CPU, not ours
            profiler = cProfile.Profile(time.process_time) if name == args.profile else None
            backend = _backend_pid(connection)
            with connection.execute_wrapper(counter):
                db0 = load._cpu_seconds(backend)
                cpu0, wall0 = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                for i in range(args.requests):
                    response = run(i + 5)
                    assert response.status_code == expected, (name, response.status_code)
                if profiler:
                    profiler.disable()
                cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
                db1 = load._cpu_seconds(backend)
            n = args.requests
            # The PostgreSQL backend's CPU, as load.py's "db ms" (none when the connection changed).
            db = f"{(db1 - db0) * 1000 / n:.1f}" if _backend_pid(connection) == backend and db1 else "-"
            print(
                f"{name:<10} {n:>8} {cpu * 1000 / n:>8.1f} {db:>8} {wall * 1000 / n:>8.1f} {counter.count / n:>8.1f}"
            )
            if profiler:
                if args.dump:
                    profiler.dump_stats(args.dump)
                stats = pstats.Stats(profiler).strip_dirs()
                stats.sort_stats("tottime").print_stats(args.top)
                stats.sort_stats("cumulative").print_stats(args.top)
    finally:
        if plan.get("intake"):
            print(f"deleted {load.delete_intake(plan)} intake dossiers")


if __name__ == "__main__":
    main()
