"""Handing a generated file to the browser: one way for every export and document, so that a
Chinese file name survives in every browser (RFC 6266 ``filename*``) and the content types are
spelled once."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """An attachment response that saves as ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
