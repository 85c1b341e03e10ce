"""The page-number pagination of every API list: ninja's, with the page number bounded.

An unbounded ``?page=9223372036854775807`` makes an offset no database accepts (a 500 on SQLite,
an error on PostgreSQL); past ``MAX_PAGE`` the answer is an ordinary 422."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE_ASKED = 10_000  # asked for; each list still caps what it returns (max_page_size)


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码（1–{MAX_PAGE}）")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE_ASKED, description="每页条数（超过该列表的上限时按上限）"
        )
