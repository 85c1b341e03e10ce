"""`safetynet verify ID_NUMBER --out report.pdf [--as USER] [--purpose determination|legal_aid|
review] [--authorisation REF]`: issue the verification report of the person's current household
from the console, with the same scope, numbering and audit as the web page.

On success one line, `report=NUMBER differences=N out=PATH`, and exit status 0. An invalid or
unknown ID number, a person outside the user's scope or without a household: a Chinese message
and exit status 1. For legal aid the person is the applicant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.console import console_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.feeds.importing.selectors import BatchFileMissing
from safetynet.feeds.models import VerificationPurpose
from safetynet.feeds.verification.services import VerificationError, verification_report_issue
from safetynet.registry.identity import InvalidIdNumber, blind_index, parse_id_number
from safetynet.registry.models import Household, Membership, Person

# Recorded instead of a reference when none is given, so that the report itself says so.
NO_REFERENCE = "未提供（控制台核对）"


class Command(BaseCommand):
    help = "按身份证号为其所在家庭出具家庭经济状况核对报告(PDF)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id_number", metavar="ID_NUMBER")
        parser.add_argument("--out", required=True, metavar="PATH", help="PDF 保存路径")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以哪个用户的身份出具（默认取环境变量 SAFETYNET_USER）",
        )
        parser.add_argument(
            "--purpose",
            choices=VerificationPurpose.values,
            default=VerificationPurpose.DETERMINATION,
            help="用途：determination 低收入人口认定，legal_aid 法律援助，review 复核核查",
        )
        parser.add_argument("--authorisation", default="", metavar="REF", help="核对授权书编号")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            number = parse_id_number(options["id_number"]).number
        except InvalidIdNumber as exc:
            raise CommandError(f"身份证号无效：{exc.reason}") from exc
        user = self._acting_user(options["as_user"])
        person = (
            scope_queryset(Person.objects.all(), user=user)
            .filter(id_number_hash=blind_index(number))
            .first()
        )
        if person is None:
            raise CommandError("未找到该身份证号的人员，或不在您的管辖范围内")
        membership = Membership.objects.filter(person=person, left_on__isnull=True).first()
        if membership is None:
            raise CommandError("该人员目前不属于任何家庭，无法核对")
        reference = options["authorisation"].strip()
        if not reference:
            reference = NO_REFERENCE
            self.stderr.write(f"未提供核对授权书编号，报告中注明“{NO_REFERENCE}”")
        purpose = options["purpose"]
        try:
            report, pdf = verification_report_issue(
                actor=user,
                household=Household.objects.get(pk=membership.household_id),
                purpose=purpose,
                authorisation_reference=reference,
                person=person if purpose == VerificationPurpose.LEGAL_AID else None,
            )
        except (VerificationError, BatchFileMissing) as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
        self.stdout.write(f"report={report.number} differences={report.differences} out={out}")

    def _acting_user(self, username: str | None) -> User:
        user = console_user(username, doing="出具")
        if not user.has_capability(Capability.VERIFY_HOUSEHOLDS):
            raise CommandError(f"用户 {user.username} 没有出具家庭经济状况核对报告的权限")
        return user
