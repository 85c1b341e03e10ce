from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetynet.registry.identity import (
    InvalidIdNumber,
    blind_index,
    build_id_number,
    check_char,
    decrypt_id_number,
    encrypt_id_number,
    mask_id_number,
    parse_id_number,
)

VALID = "11010519491231002X"  # the standard's own example


def test_standard_example_is_valid_and_female() -> None:
    facts = parse_id_number(VALID)
    assert (facts.birth_date, facts.sex) == (dt.date(1949, 12, 31), "female")


def test_lower_case_x_is_accepted_and_stored_upper_case() -> None:
    assert parse_id_number(VALID.lower()).number == VALID


def test_full_width_digits_and_spaces_are_normalised() -> None:
    full_width = " ".join(VALID[:17]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_id_number(full_width + "ｘ").number == VALID


def test_wrong_check_digit_says_what_it_should_be() -> None:
    with pytest.raises(InvalidIdNumber, match="末位应为 X"):
        parse_id_number(VALID[:17] + "1")


def test_excel_scientific_notation_is_reported_as_damaged() -> None:
    with pytest.raises(InvalidIdNumber, match="科学计数法"):
        parse_id_number("4.10102E+17")


def test_impossible_date_is_rejected() -> None:
    number = "41010219990230" + "001"
    with pytest.raises(InvalidIdNumber, match="不是有效日期"):
        parse_id_number(number + check_char(number))


def test_birth_date_in_the_future_is_rejected() -> None:
    number = build_id_number(
        address_code="410102", birth_date=dt.date(2030, 1, 1), sequence=1, male=True
    )
    with pytest.raises(InvalidIdNumber, match="晚于今天"):
        parse_id_number(number, today=dt.date(2026, 11, 29))


def test_unknown_province_is_rejected() -> None:
    number = "99010519491231002"
    with pytest.raises(InvalidIdNumber, match="省级代码 99"):
        parse_id_number(number + check_char(number))


def test_retired_county_code_is_still_valid() -> None:
    # 412701: 周口地区周口市, retired in 2000 when 周口 became a prefecture-level city (4116).
    number = build_id_number(
        address_code="412701", birth_date=dt.date(1980, 5, 1), sequence=7, male=True
    )
    assert parse_id_number(number).number == number


def test_wrong_length_is_reported_with_the_length() -> None:
    with pytest.raises(InvalidIdNumber, match="实际为 17 位"):
        parse_id_number(VALID[:17])


def test_mask_keeps_first_three_and_last_four() -> None:
    assert mask_id_number(VALID) == "110***********002X"


def test_encryption_round_trips_and_is_not_plain(algorithm_set: str) -> None:
    token = encrypt_id_number(VALID)
    assert VALID not in token
    assert token.startswith({"standard": "fernet:", "national": "sm4gcm:"}[algorithm_set])
    assert decrypt_id_number(token) == VALID
    assert encrypt_id_number(VALID) != token  # a fresh nonce / IV each time


def test_a_tampered_ciphertext_is_refused(algorithm_set: str) -> None:
    token = encrypt_id_number(VALID)
    head, payload = token.rsplit(":", 1)
    flipped = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    with pytest.raises(Exception):  # noqa: B017  (InvalidTag / KeyringError)
        decrypt_id_number(f"{head}:{flipped}")


def test_a_bare_fernet_token_from_before_key_ids_still_decrypts(settings: Any) -> None:
    from cryptography.fernet import Fernet

    legacy = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).encrypt(VALID.encode()).decode()
    settings.ID_ALGORITHMS = "national"
    assert decrypt_id_number(legacy) == VALID


def test_blind_index_is_stable_and_case_insensitive(algorithm_set: str) -> None:
    assert blind_index(VALID) == blind_index(VALID.lower())
    assert len(blind_index(VALID)) == 64


def test_the_two_sets_hash_differently_and_sm3_is_gb_t_32905(settings: Any) -> None:
    import hashlib
    import hmac

    settings.BLIND_INDEX_KEY = "k"
    settings.ID_ALGORITHMS = "standard"
    standard = blind_index(VALID)
    settings.ID_ALGORITHMS = "national"
    national = blind_index(VALID)
    assert standard != national
    assert national == hmac.new(b"k", VALID.encode(), "sm3").hexdigest()
    # GB/T 32905-2016 appendix A.1: SM3("abc").
    assert hashlib.new("sm3", b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_previous_index_keys_are_looked_up_after_the_current_one(settings: Any) -> None:
    from safetynet.registry.identity import blind_indexes

    settings.BLIND_INDEX_KEY = "new"
    settings.BLIND_INDEX_PREVIOUS_KEYS = ["old", "sm3:older"]
    hashes = blind_indexes(VALID)
    assert hashes[0] == blind_index(VALID)
    settings.BLIND_INDEX_KEY = "old"
    assert hashes[1] == blind_index(VALID)
    assert len(hashes) == 3


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1)),
    sequence=st.integers(min_value=0, max_value=10_000),
    male=st.booleans(),
)
def test_built_numbers_parse_back_to_their_facts(birth: dt.date, sequence: int, male: bool) -> None:
    number = build_id_number(address_code="410102", birth_date=birth, sequence=sequence, male=male)
    facts = parse_id_number(number, today=dt.date(2026, 11, 29))
    assert (facts.birth_date, facts.sex) == (birth, "male" if male else "female")


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1)),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_is_caught(birth: dt.date, position: int, delta: int) -> None:
    number = build_id_number(address_code="410102", birth_date=birth, sequence=3, male=True)
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    with pytest.raises(InvalidIdNumber):
        parse_id_number("".join(digits), today=dt.date(2026, 11, 29))


@given(st.text(max_size=30))
def test_parser_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        parse_id_number(text)
    except InvalidIdNumber as exc:
        assert exc.reason
