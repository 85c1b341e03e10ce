"""Citizen ID numbers (GB 11643-1999): validation, derived facts, masking, encryption, blind index.

An ID number is personal data: it is stored encrypted and looked up by a keyed HMAC blind index,
which is also the join key for department data; the algorithms (international or SM4/SM3) and the
keys, which rotate, are in ``keyring`` (ADR 0001, 0017). Only the masked form (first 3 and last 4
digits) is stored in clear.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from operator import mul
from typing import NamedTuple

from django.utils import timezone

# Masking is plain text work that the lowest layer (API error bodies) needs too; it lives there.
from safetynet.masking import mask_id_number as mask_id_number
from safetynet.masking import mask_ids_in_text as mask_ids_in_text
from safetynet.registry import keyring

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_DIGIT_ZERO_WEIGHTED = 48 * sum(WEIGHTS)

# Province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao, 83 residence permits of
# Taiwan residents). The remaining four digits of the address code are not checked against the
# current division list on purpose: a number issued under a since-retired county code stays valid.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82", "83",
    }
)  # fmt: skip

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ　", "0123456789xX ")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE][+-]?\d+$")
MIN_BIRTH_YEAR = 1880


class InvalidIdNumber(ValueError):
    """Raised with a Chinese reason a civil servant can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: dt.date
    sex: str  # "male" | "female"
    province_code: str


def normalise_id_number(raw: object) -> str:
    """Full-width digits to ASCII, spaces removed, a trailing x upper-cased."""
    text = "" if raw is None else str(raw)
    return text.translate(_FULLWIDTH).replace(" ", "").replace("\t", "").strip().upper()


def check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_char needs the first 17 digits")
    # The ASCII codes of the digits, less 48 (the code of "0") times the weights' sum.
    total = sum(map(mul, first17.encode(), WEIGHTS)) - _DIGIT_ZERO_WEIGHTED
    return CHECK_CHARS[total % 11]


def parse_id_number(raw: object, *, today: dt.date | None = None) -> IdFacts:
    """Validate and return the derived facts, or raise ``InvalidIdNumber`` saying why."""
    number = normalise_id_number(raw)
    if not number:
        raise InvalidIdNumber("身份证号为空")
    if _SCIENTIFIC.match(number):
        raise InvalidIdNumber(
            f"身份证号被 Excel 转成了科学计数法（{number}），原号码已丢失，"
            "请将该列设为文本后重新录入"
        )
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号应为 18 位，实际为 {len(number)} 位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("身份证号只能由数字和末位的 X 组成")
    province = number[:2]
    if province not in PROVINCE_CODES:
        raise InvalidIdNumber(f"身份证号的省级代码 {province} 不存在")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(f"身份证号中的出生日期 {number[6:14]} 不是有效日期") from exc
    today = today or timezone.localdate()
    if birth > today:
        raise InvalidIdNumber(f"身份证号中的出生日期 {birth.isoformat()} 晚于今天")
    if birth.year < MIN_BIRTH_YEAR:
        raise InvalidIdNumber(f"身份证号中的出生年份 {birth.year} 不合理")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(f"身份证号校验码错误：末位应为 {expected}，实际为 {number[17]}")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdFacts(number=number, birth_date=birth, sex=sex, province_code=province)


def is_valid_id_number(raw: object) -> bool:
    try:
        parse_id_number(raw)
    except InvalidIdNumber:
        return False
    return True


def full_id_number(text: str) -> str | None:
    """``text`` normalised when it is a whole 18-character ID number (searches by it), else None."""
    normalised = normalise_id_number(text.strip())
    if len(normalised) == 18 and normalised[:17].isdigit():
        return normalised
    return None


def blind_index(number: str) -> str:
    """The blind index of ``number`` under the current key: what is stored and joined on."""
    return keyring.current_index_key().digest(normalise_id_number(number).encode())


def blind_indexes(number: str) -> list[str]:
    """The blind index under every configured key, current first: lookups of data that may
    still carry a previous key's hash (department batch rows of people outside the registry,
    audit records; ADR 0017)."""
    message = normalise_id_number(number).encode()
    return [key.digest(message) for key in keyring.index_keys()]


TAIL_LENGTHS = (4, 5, 6)
_TAIL = re.compile(r"^[0-9]{3,5}[0-9Xx]$")


def tail_index(tail: str) -> str:
    """The keyed hash of the last 4–6 characters of an ID number, so that officers can find a
    person by the tail they read off a document without the digits stored in clear. The key is
    the blind index's, with its own domain prefix (a tail's hash never equals a number's)."""
    message = f"tail{len(tail)}:{tail.upper()}".encode()
    return keyring.current_index_key().digest(message)[:32]


def tail_indexes(number: str) -> dict[str, str]:
    """The Person fields holding the tail hashes of ``number``."""
    normalised = normalise_id_number(number)
    return {f"id_tail{n}_hash": tail_index(normalised[-n:]) for n in TAIL_LENGTHS}


def id_tail(text: str) -> str | None:
    """``text`` when it is the last 4–6 characters of an ID number (digits, X last), else None."""
    stripped = text.strip()
    return stripped.upper() if _TAIL.match(stripped) else None


class ProtectedId(NamedTuple):
    """What the registry stores of one ID number (``Person``'s identity columns); a named
    tuple, made some million times by a province load, is built at half a dataclass's cost."""

    encrypted: str
    hash: str
    masked: str
    tail4: str
    tail5: str
    tail6: str


def protect_many(numbers: list[str]) -> list[ProtectedId]:
    """Encryption, blind index, mask and tail hashes of many valid, normalised numbers at once,
    exactly as ``encrypt_id_number``, ``blind_index``, ``mask_id_number`` and ``tail_indexes``
    make them one by one (keys and pads set up once per call; bulk loads)."""
    digest = keyring.current_index_key().digester()
    encrypted = keyring.encrypt_many(numbers)
    result = []
    for number, token in zip(numbers, encrypted, strict=True):
        result.append(
            ProtectedId(
                encrypted=token,
                hash=digest(number.encode()),
                masked=mask_id_number(number),
                tail4=digest(f"tail4:{number[-4:]}".encode())[:32],
                tail5=digest(f"tail5:{number[-5:]}".encode())[:32],
                tail6=digest(f"tail6:{number[-6:]}".encode())[:32],
            )
        )
    return result


def encrypt_id_number(number: str) -> str:
    return keyring.encrypt(number)


def decrypt_id_number(token: str) -> str:
    return keyring.decrypt(token)


def build_id_number(*, address_code: str, birth_date: dt.date, sequence: int, male: bool) -> str:
    """A well-formed number (for synthetic data and tests): 6-digit address code, birth date,
    a 3-digit sequence whose last digit is odd for men, and the check character."""
    if len(address_code) != 6 or not address_code.isdigit():
        raise ValueError("address_code must be 6 digits")
    seq = sequence % 500 * 2 + (1 if male else 0)
    first17 = (
        f"{address_code}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{seq:03d}"
    )
    return first17 + check_char(first17)
