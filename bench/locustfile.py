"""Load test of the production start (issue 15): officers working at once on the realistic mix.

Start the production start first (README "Production start": gunicorn with production settings,
the job worker, PostgreSQL with a seeded county), give the officers' accounts a known password,
then:

    BENCH_USERS=demo_county,demo_township BENCH_PASSWORD=... \\
    .venv/bin/locust -f bench/locustfile.py --host https://127.0.0.1:8000 \\
        --headless -u 50 -r 5 -t 5m --csv bench/results/locust

The mix (weights): 80 % reads — the workbench, household list pages (page 1 and deeper),
searches by name, pinyin and initials, a household's page, the case queue — and the rest
writes-like work: an ID-number search (a POST with its audit record) and an export job with its
progress polls. Target at full scale: p95 <= 500 ms, 0 errors. Locust prints the percentiles per
request type; ``--csv`` keeps them. The naive baseline is the same mix with the list paged by
OFFSET (set ``BENCH_NAIVE=1`` on the server: not wired, see ADR 0016) — compare runs.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

USERS = [u for u in os.environ.get("BENCH_USERS", "demo_county").split(",") if u]
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
SEARCHES = ["王", "李", "张", "zh", "wl", "wangjun", "liuyang", "陈勇", "gaohao"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.verify = False
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
