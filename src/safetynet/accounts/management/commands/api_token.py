"""`safetynet api_token create USERNAME --name NAME`, `safetynet api_token revoke ID` and
`safetynet api_token list [USERNAME]`: bearer tokens for department systems.

`create` prints the token on its own last line, so a script can take it with `tail -n 1`; it is
shown only this once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safetynet.accounts import services
from safetynet.accounts.models import ApiToken, User


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = "创建、撤销或列出部门系统使用的接口令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为账号创建令牌，令牌只显示这一次")
        create.add_argument("username", help="令牌代表的账号（其角色与管辖区域决定可见范围）")
        create.add_argument("--name", required=True, help="令牌用途，如“医保局数据交换”")
        revoke = sub.add_parser("revoke", help="撤销令牌")
        revoke.add_argument("token_id", type=int, metavar="ID", help="令牌编号（见 list）")
        listing = sub.add_parser("list", help="列出令牌（不显示令牌本身）")
        listing.add_argument("username", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                self._create(options["username"], options["name"])
            elif action == "revoke":
                self._revoke(options["token_id"])
            else:
                self._list(options["username"])
        except services.AccountError as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, username: str, name: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号不存在：{username}")
        raw = services.api_token_create(user=user, name=name, actor=services.system_user())
        token = ApiToken.objects.get(token_hash=ApiToken.hash(raw))
        self.stdout.write(
            f"已为 {user.username} 创建接口令牌 #{token.pk}（{token.name}）。"
            "令牌只显示这一次，请妥善保存；请求时放在请求头 Authorization: Bearer <令牌>："
        )
        self.stdout.write(raw)

    def _revoke(self, token_id: int) -> None:
        token = services.api_token_revoke(token_id=token_id, actor=services.system_user())
        self.stdout.write(
            f"接口令牌 #{token.pk}（{token.user.username}：{token.name}）"
            f"已于 {_when(token.revoked_at)} 撤销。"
        )

    def _list(self, username: str) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if username:
            tokens = tokens.filter(user__username=username)
        self.stdout.write("编号\t账号\t用途\t创建时间\t最近使用\t撤销时间")
        for token in tokens:
            self.stdout.write(
                f"{token.pk}\t{token.user.username}\t{token.name}\t{_when(token.created_at)}"
                f"\t{_when(token.last_used_at)}\t{_when(token.revoked_at)}"
            )
