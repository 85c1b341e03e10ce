"""Cases for the notice and archive tests, walked through the real services (no shortcuts into
the tables), with the clock moved the way a case takes its time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import time_machine

from safetynet.determination import services
from safetynet.determination.models import Application, ApplicationType, AttachmentKind

TZ_NOON = dt.time(12, 0)
AUTHORISATION = b"%PDF-1.4\n% signed authorisation scan\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
REFUSAL_REASONS = "家庭月人均收入 980.00 元，高于本地城市低保标准，不符合最低生活保障条件。"


def at(day: dt.date) -> Any:
    """Freeze the clock at noon, Beijing time, of ``day``."""
    return time_machine.travel(
        dt.datetime.combine(day, TZ_NOON, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    )


def accepted_case(
    *,
    officer: Any,
    household: Any,
    type: str = ApplicationType.DIBAO,
    applied_on: dt.date = dt.date(2026, 4, 1),
) -> Application:
    with at(applied_on):
        application = services.application_submit(
            actor=officer, household=household, type=type, applied_on=applied_on
        )
        services.attachment_add(
            actor=officer,
            application=application,
            kind=AttachmentKind.AUTHORISATION,
            content=AUTHORISATION,
            filename="核对授权书.pdf",
            content_type="application/pdf",
        )
        services.application_accept(actor=officer, application=application)
    application.refresh_from_db()
    return application


def investigated_case(
    *, officer: Any, county: Any, household: Any, type: str = ApplicationType.DIBAO
) -> Application:
    """Accepted on 1 April 2026, visited and checked on the 2nd, reviewed on the 3rd; a type
    with publicity is publicised from the 7th and closed on the 14th."""
    application = accepted_case(officer=officer, household=household, type=type)
    with at(dt.date(2026, 4, 2)):
        services.home_visit_record(
            actor=officer,
            application=application,
            visited_on=dt.date(2026, 4, 2),
            staff=["王建华", "李秀英"],
            findings="家中两人，无劳动能力，住房简陋。",
        )
        check = services.data_check_request(actor=officer, application=application)
        services.data_check_answer(actor=county, data_check=check, answer="未发现不一致。")
    application.refresh_from_db()
    with at(dt.date(2026, 4, 3)):
        services.township_review(actor=officer, application=application, opinion="符合条件。")
    application.refresh_from_db()
    if application.status == "reviewed":
        with at(dt.date(2026, 4, 7)):
            services.publicity_start(
                actor=officer, application=application, starts_on=dt.date(2026, 4, 7)
            )
        application.refresh_from_db()
        with at(dt.date(2026, 4, 14)):
            services.publicity_close(actor=officer, application=application)
        application.refresh_from_db()
    return application


def decided_case(
    *,
    officer: Any,
    county: Any,
    household: Any,
    refuse: bool = False,
    type: str = ApplicationType.DIBAO,
    decide: Callable[..., Any] | None = None,
) -> Application:
    application = investigated_case(officer=officer, county=county, household=household, type=type)
    with at(dt.date(2026, 4, 20)):
        if refuse:
            services.decision_refuse(actor=county, application=application, reasons=REFUSAL_REASONS)
        elif decide is not None:
            decide(actor=county, application=application)
        else:
            services.decision_confirm(actor=county, application=application)
    application.refresh_from_db()
    return application


def one_off(amount: str) -> Callable[..., Any]:
    def decide(*, actor: Any, application: Application) -> None:
        services.decision_confirm(actor=actor, application=application, amount=Decimal(amount))

    return decide
