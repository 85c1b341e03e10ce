"""Refusing decompression bombs before a ZIP container is opened for real.

An .xlsx is a ZIP; a case archive is a ZIP. A few hundred kilobytes can inflate to gigabytes
(one 200 MB inline string in a 205 KB workbook), and the readers (openpyxl, python-calamine,
``zipfile.read``) hold what they inflate in memory. ``zip_check`` inflates every member once,
in small chunks and never keeping the output, counting the bytes it really produces (the sizes
a ZIP declares can lie), and refuses the file at the first member or total over its limit, or a
large member inflating far beyond what real files do. (Cells need no check of their own:
python-calamine, which reads every workbook, cuts a cell at Excel's 32,767 characters.)
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
MB = 1024 * 1024


class UnsafeZip(ValueError):
    """A ZIP the platform will not open, with a Chinese message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ZipLimits:
    max_member: int  # inflated bytes of one member
    max_total: int  # inflated bytes of all members
    max_members: int = 10_000
    # Inflated/compressed above this, for a member inflating beyond ``ratio_from`` bytes, is a bomb:
    # spreadsheet XML compresses some 5–20 times, a run of one repeated character 1,000 times.
    max_ratio: int = 100
    ratio_from: int = 4 * MB


def xlsx_limits() -> ZipLimits:
    return ZipLimits(
        max_member=settings.UPLOAD_XLSX_MAX_MEMBER_MB * MB,
        max_total=settings.UPLOAD_XLSX_MAX_TOTAL_MB * MB,
    )


def archive_limits() -> ZipLimits:
    return ZipLimits(
        max_member=settings.ARCHIVE_MAX_MEMBER_MB * MB,
        max_total=settings.ARCHIVE_MAX_TOTAL_MB * MB,
    )


def _inflated_size(raw: io.BufferedIOBase | io.BytesIO, info: zipfile.ZipInfo, cap: int) -> int:
    """The bytes ``info`` really inflates to, counted up to ``cap + 1``."""
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise UnsafeZip("文件已损坏（ZIP 结构无效）")
    fields = _LOCAL_HEADER.unpack(header)
    raw.seek(info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11])
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        return min(left, cap + 1)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise UnsafeZip("文件使用了不支持的压缩方式")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    while left > 0 and produced <= cap:
        chunk = raw.read(min(_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        data = inflater.decompress(chunk, _CHUNK)
        produced += len(data)
        while inflater.unconsumed_tail and produced <= cap:
            data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            produced += len(data)
    return produced


def zip_check(source: bytes | Path, limits: ZipLimits, *, what: str = "文件") -> None:
    """Raise ``UnsafeZip`` unless every member of the ZIP ``source`` inflates within ``limits``.
    A source that is no ZIP at all passes: the reader says what is wrong with it."""
    raw: io.BufferedIOBase | io.BytesIO
    raw = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    try:
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, OSError):
            return
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeZip(f"{what}包含 {len(infos)} 个部件，超过上限 {limits.max_members}")
        total = 0
        for info in infos:
            if info.file_size > limits.max_member:
                raise UnsafeZip(_too_big(what, limits))
            # Inflating stops as soon as either limit is passed: a bomb is never inflated whole.
            ratio_cap = max(limits.ratio_from, limits.max_ratio * max(info.compress_size, 1))
            size = _inflated_size(raw, info, min(limits.max_member, ratio_cap))
            if size > limits.max_member:
                raise UnsafeZip(_too_big(what, limits))
            if size > ratio_cap:
                raise UnsafeZip(
                    f"{what}中的“{info.filename[:60]}”解压后是压缩大小的 "
                    f"{size // max(info.compress_size, 1)} 倍，疑似压缩炸弹，已拒绝"
                )
            total += size
            if total > limits.max_total:
                raise UnsafeZip(
                    f"{what}解压后超过 {limits.max_total // MB} MB，已拒绝；请拆分后再上传"
                )
    except zlib.error as exc:
        raise UnsafeZip("文件已损坏（压缩数据无效）") from exc
    finally:
        raw.close()


def _too_big(what: str, limits: ZipLimits) -> str:
    return f"{what}中有部件解压后超过 {limits.max_member // MB} MB，已拒绝；请拆分后再上传"
