"""make restore-test: prove that a backup restores.

On the PostgreSQL server of DATABASE_URL, with two scratch databases named after it
(<name>_backup_src and <name>_restored, made afresh and dropped at the end):
1. fill the source as `make run` does (reference data, demo accounts) and render Kenya's
   PDF gap report through the real report job;
2. back it up with deploy/backup.sh (pg_dump + media archive);
3. restore into the fresh database and an empty media folder with deploy/restore.sh;
4. check: every table has the same number of rows, the restored site sees no missing
   migration, and the restored report is the same PDF (checksum) and opens with its pages.
Exits non-zero on any difference.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import environ
import psycopg
from psycopg import sql
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
MAKE_REPORT = """
from django.contrib.auth import get_user_model
from assessments.models import Assessment
from reports.services import report_request
kenya = Assessment.objects.get(country__iso3="KEN", cycle__is_baseline=False)
job = report_request(assessment=kenya, user=get_user_model().objects.get(username="ken-focal"))
job.refresh_from_db()
print("REPORT", job.status, job.file.name)
"""


def database_url(base: dict, name: str) -> str:
    auth = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    return f"postgres://{auth}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"


def admin_connection(base: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres", user=base["USER"], password=base["PASSWORD"] or None,
        host=base["HOST"] or None, port=base["PORT"] or None, autocommit=True,
    )


def recreate(base: dict, name: str, *, drop_only: bool = False) -> None:
    with admin_connection(base) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"{' '.join(args[:3])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]
        return {
            t: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))
            ).fetchone()[0]
            for t in tables
        }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    base = environ.Env.db_url_config(url) if url else {}
    if base.get("ENGINE") != "django.db.backends.postgresql":
        sys.exit("make restore-test needs DATABASE_URL=postgres://user@host:port/name")
    source_name, restored_name = f"{base['NAME']}_backup_src", f"{base['NAME']}_restored"
    source, restored = database_url(base, source_name), database_url(base, restored_name)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="tanneeds-restore-") as folder:
        tmp = Path(folder)
        env = {
            **os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(tmp / "media-source"),
            "SECRET_KEY": "restore-test-only-" + "x" * 40, "DEBUG": "0", "REDIS_URL": "",
            "ENV_FILE": "/nonexistent", "LOG_LEVEL": "WARNING",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        try:
            print(f"1. Source database {source_name}: reference data, demo accounts, a report")
            recreate(base, source_name)
            run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
            run([python, "manage.py", "load_reference", "-v0"], env)
            run([python, "manage.py", "seed_demo", "--force", "--password", "restore-test"], env)
            output = run([python, "manage.py", "shell", "-c", MAKE_REPORT], env)
            _, status, pdf_name = next(
                line for line in output.splitlines() if line.startswith("REPORT ")
            ).split()
            if status != "done":
                sys.exit(f"the report job ended {status}")

            print("2. Backup: deploy/backup.sh (pg_dump + media)")
            dump, media = run(["sh", "deploy/backup.sh", str(tmp / "backup")], env).split()[-2:]

            print(f"3. Restore into a fresh database {restored_name} and an empty media folder")
            recreate(base, restored_name)
            restored_env = {**env, "DATABASE_URL": restored, "MEDIA_ROOT": str(tmp / "media")}
            run(["sh", "deploy/restore.sh", dump, media], restored_env)

            print("4. Checks")
            before, after = row_counts(source), row_counts(restored)
            differences = {t: (before.get(t), after.get(t)) for t in before.keys() | after.keys()
                           if before.get(t) != after.get(t)}
            print(f"   {len(after)} tables, {sum(after.values())} rows; differences: "
                  f"{differences or 'none'}")
            run([python, "manage.py", "migrate", "--check"], restored_env)
            print("   the restored database needs no migration")
            original, copy = tmp / "media-source" / pdf_name, tmp / "media" / pdf_name
            pages = len(PdfReader(copy).pages)
            same = sha256(original) == sha256(copy)
            print(f"   report {pdf_name}: {pages} pages, same bytes as the original: {same}")
            if differences or not same or pages < 1:
                sys.exit("RESTORE TEST FAILED")
            print("Restore test passed.")
        finally:
            if "--keep" not in sys.argv:
                recreate(base, source_name, drop_only=True)
                recreate(base, restored_name, drop_only=True)


if __name__ == "__main__":
    main()
