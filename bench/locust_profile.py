"""What each request type of the load test (``bench/locustfile.py``) costs on the server, one
at a time: run before the load test to find the request that saturates the workers.

Runs the requests of the mix in-process through Django's test client, with the settings and
database of the environment (the production start's: ``DJANGO_SETTINGS_MODULE``,
``DATABASE_URL``…), signed in as each of ``BENCH_USERS`` (``force_login``: the password is not
needed; the login itself is measured with ``BENCH_PASSWORD`` when given):

    set -a; . /etc/safetynet.env; set +a
    BENCH_USERS=demo_county,demo_township .venv/bin/python bench/locust_profile.py [REPEAT]

Prints one line per request type and user: median and worst wall time, the process's CPU time,
the number of SQL queries and their time (median of ``REPEAT``, default 5, after one warm-up),
then the slowest statements seen. Writes nothing but what the mix writes (a phone number of one
household per user, an export job, the audited reads).
"""

from __future__ import annotations

import html
import itertools
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# The searches and form fields of bench/locustfile.py.
SEARCHES = ["王", "李", "张", "zh", "wl", "wangjun", "liuyang", "陈勇", "gaohao"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = {
    "region": re.compile(r'name="region" value="([^"]*)"'),
    "address": re.compile(r'name="address" value="([^"]*)"'),
    "residence": re.compile(r'<option value="(rural|urban)" selected>'),
}


class Recorder:
    """Every SQL statement of a request with its time (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - started, sql))


class Profile:
    """The requests of the mix for one signed-in user, each measured ``repeat`` times."""

    def __init__(self, repeat: int, slowest: list[tuple[float, str, str]]) -> None:
        self.repeat = repeat
        self.slowest = slowest

    def measure(self, label: str, client: Any, call: Callable[[Any], Any]) -> None:
        from django.db import connection

        call(client)  # warm-up
        walls, cpus, counts, sqls = [], [], [], []
        response = None
        for _ in range(self.repeat):
            recorder = Recorder()
            wall, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(recorder):
                response = call(client)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            counts.append(len(recorder.statements))
            sqls.append(sum(t for t, _ in recorder.statements))
            self.slowest.extend((t, label, sql) for t, sql in recorder.statements)
        print(
            f"{label:<34} {getattr(response, 'status_code', '?')} "
            f"wall {statistics.median(walls) * 1000:7.1f} ms (max {max(walls) * 1000:7.1f}) "
            f"cpu {statistics.median(cpus) * 1000:6.1f} ms "
            f"queries {statistics.median(counts):5.0f} "
            f"sql {statistics.median(sqls) * 1000:7.1f} ms",
            flush=True,
        )

    def user(self, username: str, password: str) -> None:
        from django.test import Client

        from safetynet.accounts.models import User

        # As behind the proxy of the production start: HTTPS said by X-Forwarded-Proto.
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if password:
            page = client.get("/accounts/login/").content.decode()
            token = CSRF.search(page)
            posted = {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            }

            def login(c: Any) -> Any:
                c.logout()
                return c.post("/accounts/login/", posted)

            self.measure(f"{username} login", client, login)
        client.force_login(User.objects.get(username=username))
        listed = client.get("/households/").content.decode()
        ids = sorted({int(i) for i in re.findall(r'href="/households/(\d+)/"', listed)})
        self.measure(f"{username} workbench", client, lambda c: c.get("/"))
        for number in (1, 2, 20, 200):
            url = f"/households/?page={number}"
            self.measure(f"{username} list page {number}", client, partial(_get, url))
        for q in SEARCHES:
            url = f"/households/?{urlencode({'q': q})}"
            self.measure(f"{username} search {q}", client, partial(_get, url))
        if ids:
            url = f"/households/{ids[0]}/"
            self.measure(f"{username} household page", client, partial(_get, url))
        self.measure(f"{username} case queue", client, partial(_get, "/determination/"))
        if ids:
            self.edit(username, client, f"/households/{ids[len(ids) // 2]}/edit/")
        jobs: list[str] = []

        def export(c: Any) -> Any:
            answer = c.post("/households/export/?q=zh")
            jobs.append(answer.get("Location", ""))
            return answer

        self.measure(f"{username} export job", client, export)
        if jobs and jobs[-1].startswith("/jobs/"):
            progress = partial(_get, jobs[-1], HTTP_HX_REQUEST="true")
            self.measure(f"{username} job progress", client, progress)

    def edit(self, username: str, client: Any, url: str) -> None:
        self.measure(f"{username} edit form", client, partial(_get, url))
        form = client.get(url).content.decode()
        values = {k: (m.group(1) if (m := r.search(form)) else "") for k, r in FIELD.items()}
        numbers = itertools.count(1)

        def save(c: Any) -> Any:
            return c.post(
                url,
                {
                    "region": values["region"],
                    "residence": values["residence"] or "rural",
                    "address": html.unescape(values["address"]),
                    "phone": f"139{next(numbers):08d}",
                },
            )

        self.measure(f"{username} edit save", client, save)


def _get(url: str, c: Any, **headers: str) -> Any:
    return c.get(url, **headers)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    slowest: list[tuple[float, str, str]] = []
    profile = Profile(int(argv[0]) if argv else 5, slowest)
    password = os.environ.get("BENCH_PASSWORD", "")
    for username in [u for u in os.environ.get("BENCH_USERS", "demo_county").split(",") if u]:
        profile.user(username, password)
    print("\nslowest statements:")
    seen: set[str] = set()
    for seconds, label, sql in sorted(slowest, reverse=True):
        if sql[:200] in seen:
            continue
        seen.add(sql[:200])
        print(f"{seconds * 1000:8.1f} ms  {label}: {sql[:600]}")
        if len(seen) >= 12:
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
