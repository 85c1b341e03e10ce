"""Run the benchmarks: every ``bench/bench_*.py`` module's ``main()``, in name order.

Each run gets a fresh, migrated database so that figures do not depend on what is already
there: with DATABASE_URL set (PostgreSQL), a throw-away ``test_<name>`` database beside it,
created and dropped the way the test runner does; without it, a temporary SQLite file.

    python bench/run.py             # all benchmarks
    python bench/run.py seed        # only bench_seed.py

Benchmarks print their figure, the target and the ratio against a naive baseline measured in
the same run. They never fail on a slow machine; they report.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"


def _modules(names: list[str]) -> list[Path]:
    paths = sorted(BENCH_DIR.glob("bench_*.py"))
    if names:
        wanted = {f"bench_{name.removeprefix('bench_').removesuffix('.py')}" for name in names}
        paths = [path for path in paths if path.stem in wanted]
        missing = wanted - {path.stem for path in paths}
        if missing:
            raise SystemExit(f"no such benchmark: {', '.join(sorted(missing))}")
    return paths


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    temp_dir = None
    if not os.environ.get("DATABASE_URL"):
        temp_dir = tempfile.mkdtemp(prefix="safetynet-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temp_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query in memory
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    sqlite = connection.vendor == "sqlite"
    old_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    if sqlite:
        call_command("migrate", verbosity=0)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']} "
        f"(migrated in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    try:
        for path in _modules(argv):
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            print(f"== {path.stem}", flush=True)
            module.main()
    finally:
        if not sqlite:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
