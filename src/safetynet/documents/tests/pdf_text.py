"""Text of a PDF written by ``safetynet.documents``, for tests (no PDF library ships here).

Reads reportlab's output only: objects in the clear, streams ASCII85 + Flate encoded, text drawn
with ``Tj`` in fonts whose ``ToUnicode`` CMap maps one-byte codes to Unicode. Lines come out in
drawing order, which is reading order for our documents.
"""

from __future__ import annotations

import base64
import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+)\b")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,8})>")
_FONT_NAME = re.compile(rb"/Name\s*/(\S+)")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+) 0 R")
_TEXT_OP = re.compile(rb"/(\S+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|(T\*|Td|TD|ET)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _stream(body: bytes) -> bytes | None:
    match = _STREAM.search(body)
    if match is None:
        return None
    data, header = match.group(1), body[: match.start()]
    length = _LENGTH.search(header)
    if length is not None:
        # By its length: compressed data may itself end in the CR the pattern takes for the EOL.
        data = body[match.start(1) : match.start(1) + int(length.group(1))]
    if b"ASCII85Decode" in header:
        data = base64.a85decode(data.strip().removesuffix(b"~>"))
    if b"FlateDecode" in header:
        data = zlib.decompress(data)
    return data


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        char = raw[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    cmaps: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        if b"/Type /Font" not in body:
            continue
        name, to_unicode = _FONT_NAME.search(body), _TO_UNICODE.search(body)
        if name is None or to_unicode is None:
            continue
        cmap_stream = _stream(objects[int(to_unicode.group(1))]) or b""
        cmaps[name.group(1)] = {
            int(code, 16): bytes.fromhex(value.decode()).decode("utf-16-be")
            for code, value in _BFCHAR.findall(cmap_stream)
        }
    lines: list[str] = []
    for body in objects.values():
        content = _stream(body) if b"/Length" in body and b"/Type /Font" not in body else None
        if not content or b" Tf" not in content:
            continue
        font: dict[int, str] = {}
        line = ""
        for match in _TEXT_OP.finditer(content):
            if match.group(1) is not None:
                font = cmaps.get(match.group(1), {})
            elif match.group(2) is not None:
                raw = _unescape(match.group(2))
                line += "".join(font.get(b, chr(b)) for b in raw)
            elif line:
                lines.append(line)
                line = ""
        if line:
            lines.append(line)
    return "\n".join(lines)


def pdf_flat_text(pdf: bytes) -> str:
    """The text without line breaks, so that a phrase wrapped in a table cell still matches."""
    return pdf_text(pdf).replace("\n", "")
