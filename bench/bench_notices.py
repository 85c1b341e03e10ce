"""Determination notices (issue 4): one decision notice in ≤ 0.5 s and 50 in one file in ≤ 10 s,
measured through the whole path an officer's download takes (scope, reading the cases, render,
audit), plus a township's publicity list of the same 50 households and a case's electronic
archive (render its notices, hash, zip, sign, audit).

The naive baseline prints the same 50 notices one file per notice (50 downloads: each reads its
case, renders, writes its audit record), which is what printing from the case pages one by one
costs; the batch shares the reads, the font and the audit record.

Set-up walks 50 dibao applications through the real services (submit, authorisation, accept,
home visit, data check, township review, publicity, confirmation) with the clock moved as the
procedure takes its days; that part is not measured.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

NOTICE_TARGET = 0.5
BATCH_TARGET = 10.0
BATCH_SIZE = 50
RUNS = int(os.environ.get("BENCH_NOTICES_RUNS", "10"))


def _median(function: Callable[[], Any], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _cases(count: int) -> tuple[Any, list[Any]]:
    """A township officer and ``count`` confirmed dibao cases of households in their township."""
    import datetime as dt

    from safetynet.accounts.models import User
    from safetynet.accounts.roles import Role
    from safetynet.determination.tests.notice_cases import decided_case
    from safetynet.regions.models import Level, Region
    from safetynet.registry import services
    from safetynet.registry.identity import build_id_number
    from safetynet.registry.inputs import HouseholdInput, IncomeInput, MemberInput
    from safetynet.registry.synthetic.vocabulary import GIVEN_NAME_CHARS, SURNAMES

    county = Region.objects.get(code="410105000000")
    township = (
        Region.objects.filter(code__startswith=county.prefix, level=Level.TOWNSHIP)
        .order_by("code")
        .first()
    )
    assert township is not None
    villages = list(
        Region.objects.filter(code__startswith=township.prefix, level=Level.VILLAGE).order_by(
            "code"
        )
    )
    officer = User.objects.create_user(
        username="bench_notices_township",
        password=None,
        role=Role.TOWNSHIP_OFFICER,
        scope_region=township,
    )
    confirmer = User.objects.create_user(
        username="bench_notices_county",
        password=None,
        role=Role.COUNTY_OFFICER,
        scope_region=county,
    )
    given = GIVEN_NAME_CHARS[("male", "1970s")] + GIVEN_NAME_CHARS[("female", "1970s")]
    households = services.households_create(
        actor=officer,
        households=[
            HouseholdInput(
                region_code=villages[i % len(villages)].code,
                members=[
                    MemberInput(
                        id_number=build_id_number(
                            address_code="410105",
                            birth_date=dt.date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
                            sequence=500 + 2 * i,
                            male=True,
                        ),
                        name=SURNAMES[i % len(SURNAMES)][0] + given[i % len(given)] + given[-i],
                        relation="02",
                        incomes=[
                            IncomeInput(kind="wages", monthly_amount=Decimal(200 + 10 * (i % 20)))
                        ],
                    ),
                    MemberInput(
                        id_number=build_id_number(
                            address_code="410105",
                            birth_date=dt.date(1962 + i % 30, 1 + i % 12, 1 + i % 28),
                            sequence=501 + 2 * i,
                            male=False,
                        ),
                        name=SURNAMES[(i + 7) % len(SURNAMES)][0] + given[(i + 3) % len(given)],
                        relation="10",
                    ),
                ],
            )
            for i in range(count)
        ],
    ).households
    cases = [
        decided_case(officer=officer, county=confirmer, household=household)
        for household in households
    ]
    return officer, cases


def main() -> None:
    from django.conf import settings

    from safetynet.determination.documents import archive, notices
    from safetynet.determination.documents.notices import NoticeKind
    from safetynet.documents.fonts import register_fonts

    register_fonts()  # once per process, measured in bench_documents
    with tempfile.TemporaryDirectory(prefix="safetynet-bench-media-") as media:
        settings.MEDIA_ROOT = media
        started = time.perf_counter()
        officer, cases = _cases(BATCH_SIZE)
        print(
            f"set-up: {BATCH_SIZE} dibao cases walked through the procedure in "
            f"{time.perf_counter() - started:.1f} s (not measured)",
            flush=True,
        )

        first = cases[0]
        notice = _median(
            lambda: notices.notice_pdf(user=officer, application=first, kind=NoticeKind.DECISION)
        )
        size = len(notices.notice_pdf(user=officer, application=first, kind=NoticeKind.DECISION))
        print(
            f"decision notice (scope, read, render, audit): {notice:.3f} s median of {RUNS} "
            f"(target ≤ {NOTICE_TARGET} s), {size / 1e3:.0f} kB"
        )
        receipt = _median(
            lambda: notices.notice_pdf(user=officer, application=first, kind=NoticeKind.RECEIPT)
        )
        print(f"acceptance receipt: {receipt:.3f} s median of {RUNS}")

        batch_runs = max(3, RUNS // 3)
        batch = _median(
            lambda: notices.notices_pdf(user=officer, applications=cases, kind=NoticeKind.DECISION),
            runs=batch_runs,
        )
        batch_size = len(
            notices.notices_pdf(user=officer, applications=cases, kind=NoticeKind.DECISION)
        )
        print(
            f"{BATCH_SIZE} decision notices in one file: {batch:.2f} s median of {batch_runs} "
            f"(target ≤ {BATCH_TARGET} s), {batch_size / 1e6:.2f} MB"
        )

        def one_file_each() -> None:
            for case in cases:
                notices.notice_pdf(user=officer, application=case, kind=NoticeKind.DECISION)

        naive = _median(one_file_each, runs=1)
        print(
            f"naive baseline, one file per notice ({BATCH_SIZE} downloads): {naive:.2f} s; "
            f"ratio {naive / batch:.1f}× the batch"
        )

        import datetime as dt

        township = first.region_id[:9] + "000"
        publicity = _median(
            lambda: notices.publicity_list_pdf(
                user=officer,
                township_code=township,
                starts_from=dt.date(2026, 4, 1),
                starts_to=dt.date(2026, 4, 30),
            ),
            runs=max(3, RUNS // 2),
        )
        print(
            f"publicity list of {BATCH_SIZE} households (masked IDs, amounts): "
            f"{publicity:.3f} s median (target ≤ {NOTICE_TARGET} s)"
        )

        export = _median(
            lambda: archive.case_archive(user=officer, application=first), runs=max(3, RUNS // 2)
        )
        payload = archive.case_archive(user=officer, application=first)
        check = _median(lambda: archive.archive_verify(payload), runs=max(3, RUNS // 2))
        print(
            f"case archive (index PDF, notices, attachment, signed manifest): {export:.3f} s "
            f"median, {len(payload) / 1e3:.0f} kB; verify {check * 1e3:.1f} ms"
        )
