"""The account a console command acts as: ``--as USERNAME``, else the environment variable
``SAFETYNET_USER``; each command then checks that account's capability as its pages do."""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from safetynet.accounts.models import User


def console_user(username: str | None, *, doing: str) -> User:
    """The active account named by ``username`` or ``SAFETYNET_USER``; a ``CommandError`` that
    says how to name one (``doing``: what the command does as it, e.g. 导入) or that it is
    unknown or inactive."""
    username = username or os.environ.get("SAFETYNET_USER", "")
    if not username:
        raise CommandError(
            f"请用 --as 用户名 指定以哪个用户的身份{doing}，或设置环境变量 SAFETYNET_USER"
        )
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户 {username} 不存在或已停用")
    return user
