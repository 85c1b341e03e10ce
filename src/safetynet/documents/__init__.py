"""PDF documents the platform hands out (verification reports, notices, public notice lists):
an A4 page template with header and footer, paragraph and table helpers that wrap Chinese
text, and "many documents in one file", rendered by reportlab with the CJK font shipped in
``data/fonts/`` (cut to the characters we print; see docs/adr/0009-pdf-documents.md).

This is a toolkit, not an app: no models, no views. Callers build a list of flowables with the
helpers in ``safetynet.documents.pdf`` and get the PDF as bytes.
"""

from safetynet.documents.fonts import REPLACEMENT, font_covers, printable
from safetynet.documents.pdf import (
    POLICY_TITLE,
    DocumentMeta,
    facts,
    heading,
    note,
    page_break,
    para,
    render,
    render_many,
    spacer,
    table,
    title,
)

__all__ = [
    "POLICY_TITLE",
    "REPLACEMENT",
    "DocumentMeta",
    "facts",
    "font_covers",
    "heading",
    "note",
    "page_break",
    "para",
    "printable",
    "render",
    "render_many",
    "spacer",
    "table",
    "title",
]
