from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from smartcommune.directory.factories import valid_personal_id
from smartcommune.directory.validators import (
    PROVINCE_CODES,
    parse_personal_id,
    validate_org_unit_code,
    validate_personal_id_matches_birth,
    validate_phone,
    validate_tax_code,
)


def test_personal_id_encodes_province_birth_year_and_sex():
    info = parse_personal_id("011090001234")
    assert (info.province_code, info.birth_year, info.sex) == ("011", 1990, "male")
    assert parse_personal_id("011305012345").birth_year == 2005
    assert parse_personal_id("011305012345").sex == "female"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "digits"),
        ("01119000123a", "digits"),
        ("０１１１９０００１２３４", "digits"),  # full-width digits are not ASCII digits
        ("01119000123", "length"),
        ("0111900012345", "length"),
        ("003190001234", "province"),  # 003 is not a province code
        ("999190001234", "province"),
    ],
)
def test_malformed_personal_ids_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as err:
        parse_personal_id(value)
    assert err.value.code == code


def test_personal_id_must_agree_with_the_date_of_birth():
    validate_personal_id_matches_birth("011190001234", date(1990, 3, 1))
    with pytest.raises(ValidationError) as err:
        validate_personal_id_matches_birth("011190001234", date(1991, 3, 1))
    assert err.value.code == "birth_year"


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    female=st.booleans(),
    serial=st.integers(0, 999_999),
)
def test_every_well_formed_id_round_trips(province, birth, female, serial):
    value = valid_personal_id(province=province, birth=birth, female=female, serial=serial)
    info = parse_personal_id(value)
    assert (info.province_code, info.birth_year, info.sex) == (
        province,
        birth.year,
        "female" if female else "male",
    )


@pytest.mark.parametrize("code", ["000.00.00.H18", "000.01.00.H18", "H18.242", "G01.01.01.H18"])
def test_org_unit_codes_accepted(code):
    validate_org_unit_code(code)


@pytest.mark.parametrize("code", ["", "h18", "000..00", "000.00.00.H18;DROP", "A" * 21, "Mường"])
def test_org_unit_codes_refused(code):
    with pytest.raises(ValidationError):
        validate_org_unit_code(code)


def test_tax_codes():
    validate_tax_code("5600123456")
    validate_tax_code("5600123456-001")
    validate_tax_code("011090001234")  # a household business: the owner's personal number
    for bad in ["560012345", "5600123456-01", "56001234567", "abc", "999090001234"]:
        with pytest.raises(ValidationError):
            validate_tax_code(bad)


def test_phone_numbers():
    for good in ["0912345678", "+84912345678", "0912 345 678", "0215.3825.123"]:
        validate_phone(good)
    for bad in ["12345", "09123456789012", "phone"]:
        with pytest.raises(ValidationError):
            validate_phone(bad)
