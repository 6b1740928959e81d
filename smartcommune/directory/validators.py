"""Validators for Vietnamese identifiers. Pure functions, usable in forms, the API and models."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Birth-registration province codes of the 12-digit personal identification number
# (Circular 07/2016/TT-BCA, Appendix; 63 codes of the pre-2025 provinces, still used in numbers issued).
PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035
    036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074
    075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)

# Fourth digit: century of birth and sex (Circular 07/2016/TT-BCA art. 7).
_CENTURY_SEX = {
    "0": (1900, "male"), "1": (1900, "female"),
    "2": (2000, "male"), "3": (2000, "female"),
    "4": (2100, "male"), "5": (2100, "female"),
    "6": (2200, "male"), "7": (2200, "female"),
    "8": (1800, "male"), "9": (1800, "female"),
}  # fmt: skip


@dataclass(frozen=True)
class PersonalIdInfo:
    province_code: str
    birth_year: int
    sex: str


def parse_personal_id(value: str) -> PersonalIdInfo:
    """Check a 12-digit personal identification number and return what it encodes.

    Raises ValidationError with a message for the first thing wrong.
    """
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        raise ValidationError(_("The personal identification number may contain digits only."), code="digits")
    if len(value) != 12:
        raise ValidationError(
            _("The personal identification number has 12 digits (%(count)d given)."),
            code="length",
            params={"count": len(value)},
        )
    if value[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not a province code."),
            code="province",
            params={"code": value[:3]},
        )
    century, sex = _CENTURY_SEX[value[3]]
    return PersonalIdInfo(province_code=value[:3], birth_year=century + int(value[4:6]), sex=sex)


def mask_id_number(number: str) -> str:
    """For lists, logs and people without the right to see it: only the last four digits."""
    return "********" + number[-4:] if number else ""


def validate_personal_id(value: str) -> None:
    parse_personal_id(value)


def validate_personal_id_matches_birth(value: str, date_of_birth: date | None) -> None:
    info = parse_personal_id(value)
    if date_of_birth and date_of_birth.year != info.birth_year:
        raise ValidationError(
            _("The identification number encodes birth year %(id_year)d, not %(year)d."),
            code="birth_year",
            params={"id_year": info.birth_year, "year": date_of_birth.year},
        )


# Electronic identifier of an agency (mã định danh, Decision 20/2020/QĐ-TTg), e.g. 000.00.00.H18.
# Kept lenient: the post-2025 commune coding is not yet published everywhere (DOMAIN.md §2.3).
ORG_UNIT_CODE_RE = re.compile(r"^[A-Z0-9]{1,6}(\.[A-Z0-9]{1,6}){1,4}$")


def validate_org_unit_code(value: str) -> None:
    if not ORG_UNIT_CODE_RE.match(value or "") or len(value) > 20:
        raise ValidationError(
            _("Enter an electronic identifier such as 000.00.00.H18 (capital letters, digits and dots)."),
            code="org_unit_code",
        )


# Tax code: 10 digits, or 10 digits + "-" + 3 digits for a dependent unit (Circular 86/2024/TT-BTC).
# Since 1 July 2025 households and household businesses use the owner's 12-digit personal number.
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def validate_tax_code(value: str) -> None:
    value = value or ""
    if len(value) == 12 and value.isdigit():
        parse_personal_id(value)
        return
    if not TAX_CODE_RE.match(value):
        raise ValidationError(
            _(
                "A tax code has 10 digits (10 digits, a hyphen and 3 digits for a branch), or is the owner's "
                "12-digit personal identification number for a household business."
            ),
            code="tax_code",
        )


PHONE_RE = re.compile(r"^(0|\+84)\d{9,10}$")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(normalize_phone(value)):
        raise ValidationError(_("Enter a Vietnamese phone number such as 0912345678."), code="phone")
