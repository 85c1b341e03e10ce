"""Issue 12's acceptance: seed persons, run imports through every path (household import with and
without errors, direct inclusion as a job, a department batch with refused rows, searches, a
refused out-of-scope registration), then grep every text column of the database, the media
folder, the batch storage and the captured logs: no plain ID number of a seeded person."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from openpyxl import load_workbook

from conftest import first_below, new_id_number
from safetynet.accounts.services import api_token_create
from safetynet.feeds.tests.batch_fixtures import DEATHS_HEADER, civil_affairs_officer  # noqa: F401
from safetynet.feeds.tests.files import write_csv, wrong_check_digit
from safetynet.regions.models import Level, Region
from safetynet.registry.identity import decrypt_id_number, mask_id_number
from safetynet.registry.models import Person
from safetynet.registry.tests.import_files import HEADERS, family, table, xlsx_bytes

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
SKIPPED = {("registry", "person", "id_number_encrypted")}  # ciphertext, not a plain number


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _database_text() -> str:
    chunks = []
    for model in apps.get_models():
        meta = model._meta
        names = [
            f.attname
            for f in meta.concrete_fields
            if isinstance(f, TEXT_FIELDS)
            and (meta.app_label, meta.model_name, f.attname) not in SKIPPED
        ]
        if names:
            for row in model._default_manager.values_list(*names):
                chunks.append(json.dumps(row, ensure_ascii=False, default=str))
    return "\n".join(chunks)


def _files_text(folder: Path) -> str:
    import pyarrow.parquet as pq

    chunks = []
    for path in folder.rglob("*") if folder.is_dir() else []:
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            chunks.append(str(pq.read_table(path).to_pylist()))
        elif path.suffix == ".xlsx":
            book = load_workbook(path)
            chunks.extend(
                str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r
            )
        else:
            chunks.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(chunks)


def test_no_plain_id_number_is_left_anywhere(
    caplog: pytest.LogCaptureFixture,
    settings: Any,
    media_root: Path,
    tmp_path: Path,
    jinshui_officer: Any,
    zhongyuan_officer: Any,
    civil_affairs_officer: Any,  # noqa: F811
    make_household: Any,
    jinshui_township: Region,
) -> None:
    caplog.set_level(logging.DEBUG)
    village = first_below(jinshui_township.code, Level.VILLAGE)
    seeded = [make_household(jinshui_officer, village=village) for _ in range(2)]
    outside = make_household(zhongyuan_officer)
    numbers = [decrypt_id_number(p.id_number_encrypted) for p in Person.objects.all()]
    officer = Client()
    officer.force_login(jinshui_officer)

    # Household import: a file with errors naming seeded numbers, then a good one.
    people = family(village.code)
    people[1]["身份证号"] = numbers[0]
    officer.post(
        "/households/import/", {"file": SimpleUploadedFile("名单.xlsx", xlsx_bytes(table(people)))}
    )
    fresh = family(village.code)
    numbers += [str(fresh[0]["身份证号"]), str(fresh[1]["身份证号"])]
    officer.post(
        "/households/import/", {"file": SimpleUploadedFile("名单.xlsx", xlsx_bytes(table(fresh)))}
    )

    # Direct inclusion as a job: one row not a member of the registered household.
    head = Person.objects.get(pk=seeded[1].head_id)
    stranger = new_id_number(village.code[:6])
    numbers.append(stranger)
    rows = [
        {
            "户主身份证号": numbers[2],
            "姓名": head.name,
            "身份证号": numbers[2],
            "与户主关系": "户主",
            "纳入日期": "2025-01-01",
        },
        {"户主身份证号": numbers[2], "姓名": "外人", "身份证号": stranger, "与户主关系": "子"},
    ]
    officer.post(
        "/determination/inclusion/",
        {
            "kind": "dibao",
            "file": SimpleUploadedFile(
                "名册.xlsx", xlsx_bytes(table(rows, [*HEADERS, "纳入日期"]))
            ),
        },
        follow=True,
    )

    # A department batch with refused rows, through the API.
    batch_file = write_csv(
        tmp_path / "火化名单.csv",
        [
            DEATHS_HEADER,
            [numbers[0], "张三", "2026-01-05"],
            [wrong_check_digit(numbers[1]), "李四", "2026-01-06"],
            [numbers[3], "王五", "2026-02-30"],
        ],
    )
    raw = api_token_create(user=civil_affairs_officer, name="部门", actor=civil_affairs_officer)
    department = Client(headers={"Authorization": f"Bearer {raw}"})
    with batch_file.open("rb") as handle:
        department.post(
            "/api/feeds/batches",
            {"source": "deaths", "period": "2026-01", "file": handle, "accept_valid": "true"},
        )

    # Searches by whole number (page and API) and a refused out-of-scope registration.
    officer.post("/households/", {"q": numbers[0]})
    officer.post(
        "/api/persons/search", data={"id_number": numbers[0]}, content_type="application/json"
    )
    outsider_number = decrypt_id_number(Person.objects.get(pk=outside.head_id).id_number_encrypted)
    body = {
        "region_code": village.code,
        "members": [
            {"id_number": new_id_number(village.code[:6]), "name": "王大", "relation": "02"},
            {"id_number": outsider_number, "name": "赵二", "relation": "10"},
        ],
    }
    officer.post("/api/households", data=json.dumps(body), content_type="application/json")

    haystacks = {
        "database": _database_text(),
        "media": _files_text(media_root),
        "batch storage": _files_text(Path(settings.FEEDS_DIR)),
        "logs": "\n".join(r.getMessage() for r in caplog.records) + caplog.text,
    }
    assert len(haystacks["database"]) > 1000 and haystacks["batch storage"]
    # The paths ran and kept what they keep, masked: the inclusion job's problem, the conflict.
    assert mask_id_number(stranger) in haystacks["database"]
    assert mask_id_number(outsider_number) in haystacks["database"]
    found = {
        where: [n for n in numbers if n in text or n.lower() in text]
        for where, text in haystacks.items()
    }
    assert found == {where: [] for where in haystacks}
