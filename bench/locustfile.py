"""Load test of the production start (issue 15): officers working at once on the realistic mix.

Start the production start first (README "Production start": gunicorn with production settings,
the job worker, PostgreSQL with a seeded county or province; for the test gunicorn ends TLS
itself, ``--certfile``/``--keyfile`` of a self-signed certificate, where production has nginx;
run ``safetynet jobs work --once`` before, so that the day's tasks are done and not measured),
give the officers' accounts a known password and, as the simulated officers cannot answer a
second factor, ``SECOND_FACTOR_REQUIRED=0`` (a session flag per request either way), then:

    BENCH_USERS=demo_county,demo_township BENCH_PASSWORD=... \\
    .venv/bin/locust -f bench/locustfile.py --host https://127.0.0.1:8000 \\
        --headless -u 50 -r 5 -t 5m --csv bench/results/locust

The mix (weights): most of it reads — the workbench, household list pages (page 1 and deeper),
searches by name, pinyin and initials, a household's page, the case queue — every read of a
household audited; writes: each officer saves its own household's phone number through the edit
form (its last acknowledged value is kept), and an export job with its progress poll. Target at
full scale: p95 <= 500 ms, 0 errors, no lost writes: after the run,

    .venv/bin/python bench/locust_check.py bench/results/locust_writes.json

compares every household's phone with its last acknowledged write (with the server's
environment). Locust prints the percentiles per request type; ``--csv`` keeps them.

``bench/locust_profile.py`` measures the same requests one at a time in-process (wall and CPU
time, SQL queries and their time), to find what a saturated run spends its time on.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

USERS = [u for u in os.environ.get("BENCH_USERS", "demo_county").split(",") if u]
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
SEARCHES = ["王", "李", "张", "zh", "wl", "wangjun", "liuyang", "陈勇", "gaohao"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = {
    "region": re.compile(r'name="region" value="([^"]*)"'),
    "address": re.compile(r'name="address" value="([^"]*)"'),
    "residence": re.compile(r'<option value="(rural|urban)" selected>'),
}
# Each simulated officer edits one household of its own (so the last write of each is known);
# ``WRITES`` keeps the phone number of every household's last acknowledged write, checked
# against the database after the run by ``bench/locust_check.py`` (no lost writes).
WRITES: dict[int, str] = {}
WRITES_FILE = Path(os.environ.get("BENCH_WRITES", "bench/results/locust_writes.json"))
NUMBERS = itertools.count(1)
OFFICERS = itertools.count(1)
# The households already some officer's own: two officers saving the same household at once
# would make "its last acknowledged write" depend on which answer the client read last, not on
# the order the server committed them (a lost write reported where none was lost).
OWNED: set[int] = set()


@events.test_stop.add_listener
def _keep_writes(**_: Any) -> None:
    WRITES_FILE.parent.mkdir(parents=True, exist_ok=True)
    WRITES_FILE.write_text(json.dumps({str(k): v for k, v in WRITES.items()}))


class Officer(FastHttpUser):
    """One officer's browser: a cookie jar and one kept-alive connection (the certificate of the
    test's TLS is self-signed, hence ``insecure``). ``FastHttpUser`` sends the same requests as
    ``HttpUser`` with a fraction of its client CPU, which on a machine shared with the server
    would otherwise be taken from the server."""

    wait_time = between(1, 3)
    insecure = True

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": random.choice(USERS),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        listed = self.client.get("/households/", name="list page 1")
        self.household_ids = [int(i) for i in re.findall(r'href="/households/(\d+)/"', listed.text)]
        self.number = next(OFFICERS)
        ids = sorted(set(self.household_ids) - OWNED)
        self.own = ids[self.number % len(ids)] if ids else None
        if self.own is not None:
            OWNED.add(self.own)

    @task(3)
    def workbench(self) -> None:
        self.client.get("/", name="workbench")

    @task(6)
    def list_pages(self) -> None:
        self.client.get(f"/households/?page={random.randint(1, 200)}", name="list page N")

    @task(8)
    def search(self) -> None:
        self.client.get("/households/", params={"q": random.choice(SEARCHES)}, name="search")

    @task(6)
    def household(self) -> None:
        if self.household_ids:
            pk = random.choice(self.household_ids)
            self.client.get(f"/households/{pk}/", name="household page")

    @task(2)
    def queue(self) -> None:
        self.client.get("/determination/", name="case queue")

    @task(2)
    def edit(self) -> None:
        """A write: the household's phone number changed through the edit form."""
        if self.own is None:
            return
        url = f"/households/{self.own}/edit/"
        form = self.client.get(url, name="edit form")
        values = {k: (m.group(1) if (m := r.search(form.text)) else "") for k, r in FIELD.items()}
        token = CSRF.search(form.text)
        phone = f"1{self.number:04d}{next(NUMBERS) % 1000000:06d}"
        answer = self.client.post(
            url,
            {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "region": values["region"],
                "residence": values["residence"] or "rural",
                "address": html.unescape(values["address"]),
                "phone": phone,
            },
            headers={"Referer": f"{self.host}{url}"},
            name="edit save",
            allow_redirects=False,
        )
        if answer.status_code == 302:
            WRITES[self.own] = phone

    @task(1)
    def export(self) -> None:
        page = self.client.get("/households/?q=zh", name="search")
        token = CSRF.search(page.text)
        answer = self.client.post(
            "/households/export/?q=zh",
            {"csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/households/"},
            name="export job",
            allow_redirects=False,
        )
        location = answer.headers.get("Location", "")
        if location.startswith("/jobs/"):
            self.client.get(location, name="job progress", headers={"HX-Request": "true"})
