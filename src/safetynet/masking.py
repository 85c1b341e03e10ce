"""Masking of ID numbers in what is shown, stored or logged: the first 3 and last 4 characters
stay, the rest become ``*``. A leaf module (no Django, no apps), so that every layer, down to the
API's error bodies, can mask without importing the registry."""

from __future__ import annotations

import re


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# A run of 15 to 18 ID characters anywhere in a text: what looks like an ID number (valid or
# not, pasted into any column) is masked before a text is shown, stored or written to a report.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9]{14,17}[0-9Xx](?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    """``text`` with every ID-number-like run masked as ``mask_id_number`` does."""
    if not text or len(text) < 15:
        return text
    return _ID_LIKE.sub(lambda match: mask_id_number(match.group(0)), text)
