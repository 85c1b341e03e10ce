"""The shipped CJK font: registration with reportlab (once per process) and the check that keeps a
character the font lacks from vanishing silently.

A character outside the cut font would print as an empty space; instead it prints as
``REPLACEMENT`` (□) and a warning names its code point (never the surrounding text, which may be
a person's name), so that the font can be rebuilt with it (scripts/build_font.py).
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

FONT_NAME = "SafetyNetCJK"
FONT_FILE = "wqy-microhei-gb.ttf"
REPLACEMENT = "□"

_lock = threading.Lock()


def font_path() -> Path:
    return Path(settings.DATA_DIR) / "fonts" / FONT_FILE


@lru_cache(maxsize=1)
def _registered() -> frozenset[int]:
    """Register the font with reportlab and return the code points it covers."""
    with _lock:
        font = TTFont(FONT_NAME, str(font_path()))
        pdfmetrics.registerFont(font)
        return frozenset(font.face.charToGlyph)


def register_fonts() -> str:
    """Make the font available to reportlab (idempotent) and return its name."""
    _registered()
    return FONT_NAME


def font_covers(text: str) -> bool:
    covered = _registered()
    return all(ord(char) in covered or char in "\n\r\t" for char in text)


def printable(text: str) -> str:
    """``text`` with every character the font lacks replaced by ``REPLACEMENT``, logged."""
    covered = _registered()
    if all(ord(char) in covered for char in text):
        return text
    missing = sorted({char for char in text if ord(char) not in covered and char not in "\n\r\t"})
    if missing:
        code_points = " ".join(f"U+{ord(char):04X}" for char in missing)
        logger.warning(
            "PDF font lacks %s; printed as U+25A1 (rebuild data/fonts with scripts/build_font.py)",
            code_points,
            extra={"code_points": code_points},
        )
    return "".join(
        char if ord(char) in covered or char in "\n\r\t" else REPLACEMENT for char in text
    )
