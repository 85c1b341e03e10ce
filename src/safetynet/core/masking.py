"""Masking ID numbers in what is shown, stored or written: pure text functions, kept here (below
every app) so that the API's error bodies (``api_errors``) mask without importing the registry.
``registry.identity`` re-exports them beside the rest of the ID-number rules."""

from __future__ import annotations

import re

# A run of 15 to 18 ID characters anywhere in a text: what looks like an ID number (valid or
# not, pasted into any column) is masked before a text is shown, stored or written to a report.
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9]{14,17}[0-9Xx](?![0-9A-Za-z])")


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_ids_in_text(text: str) -> str:
    """``text`` with every ID-number-like run masked as ``mask_id_number`` does."""
    if not text or len(text) < 15:
        return text
    return ID_LIKE.sub(lambda match: mask_id_number(match.group(0)), text)
