"""Fill a scratch PostgreSQL database with a province-sized history: `manage.py bench_fill`.

    createdb -h 127.0.0.1 -U postgres smartcommune_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcommune_bench
    .venv/bin/python bench/fill.py --migrate --dossiers 1000000

Every option of the command passes through (`--dossiers`, `--communes`, `--reset`, `--force`, ...;
see `manage.py bench_fill --help`). `--database-url` (default $DATABASE_URL) chooses the database
before Django starts; `--migrate` migrates it first. Settings are the production ones
(config.settings.base) with a throw-away secret key when none is set.
"""

import argparse
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--migrate", action="store_true")
    known, rest = parser.parse_known_args()
    if not known.database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit("Give --database-url or DATABASE_URL: a PostgreSQL database (bench_fill writes with COPY).")
    os.environ["DATABASE_URL"] = known.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    from django.core.management import execute_from_command_line

    if known.migrate:
        execute_from_command_line(["manage.py", "migrate", "--no-input"])
    execute_from_command_line(["manage.py", "bench_fill", *rest])


if __name__ == "__main__":
    main()
