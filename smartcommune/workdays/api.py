"""Public deadline calculator: GET /api/v1/workdays/due (no sign-in; the citizen portal uses it)."""

import re
from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema

from smartcommune.core.api import ErrorOut
from smartcommune.core.errors import InvalidInput

from . import engine
from .selectors import calendar_for_code, rules_for_calendar

router = Router(tags=["workdays"])

MAX_AMOUNT = {
    engine.DurationUnit.WORKING_DAYS: 365,
    engine.DurationUnit.WORKING_HOURS: 365 * engine.HOURS_PER_WORKING_DAY,
    engine.DurationUnit.SAME_DAY: 1,
}
# In a query string an unescaped "+" arrives as a space: "…T10:20:00 07:00" means "+07:00".
_SPACE_FOR_PLUS = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class DueOut(Schema):
    due_at: datetime
    deemed_received_at: datetime
    amount: int
    unit: str
    channel: str
    calendar: str


def _parse_start(raw: str) -> datetime:
    raw = _SPACE_FOR_PLUS.sub(r"\1+\2", raw.strip())
    try:
        start = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(
            _("start must be a date and time in ISO 8601, e.g. 2026-08-13T10:20:00+07:00.")
        ) from exc
    if not 1990 <= start.year <= 2100:
        raise InvalidInput(_("start must be between the years 1990 and 2100."))
    if start.tzinfo is None:
        start = start.replace(tzinfo=engine.VN_TZ)  # naive means Vietnam's local time
    return start


def _parse_choice(raw: str, enum, name: str) -> str:
    try:
        return enum(raw)
    except ValueError as exc:
        raise InvalidInput(
            _("%(name)s must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(e.value for e in enum)}
        ) from exc


def _parse_amount(raw: str | None, unit: str) -> int:
    if raw in (None, "") and unit == engine.DurationUnit.SAME_DAY:
        return 0
    if raw in (None, ""):
        raise InvalidInput(_("amount is required for the unit %(unit)s.") % {"unit": unit})
    raw = raw.strip()
    if not re.fullmatch(r"\d+", raw):
        raise InvalidInput(_("amount must be a whole number, 0 or more."))
    if len(raw) > 6 or int(raw) > MAX_AMOUNT[unit]:
        raise InvalidInput(
            _("amount must be at most %(max)s for the unit %(unit)s.")
            % {"max": MAX_AMOUNT[unit], "unit": unit}
        )
    return int(raw)


@router.get("/due", response={200: DueOut, 400: ErrorOut, 404: ErrorOut}, auth=None, url_name="workdays_due")
def due(
    request,
    start: str,
    unit: str,
    amount: str | None = None,
    channel: str = "counter",
    unit_code: str | None = None,
):
    """When a time limit ends: `amount` working days, working hours or same-day, for a dossier
    received at `start` (ISO 8601; without an offset it is Vietnam's local time) at the counter or
    online, on the calendar of `unit_code`'s province (default: this installation's province).
    Same-day procedures ignore `amount`."""
    unit = _parse_choice(unit, engine.DurationUnit, "unit")
    channel = _parse_choice(channel, engine.Channel, "channel")
    amount_value = _parse_amount(amount, unit)
    start_at = _parse_start(start)
    calendar = calendar_for_code(unit_code)
    rules = rules_for_calendar(calendar)
    return DueOut(
        due_at=engine.due(rules, start_at, amount_value, unit, channel),
        deemed_received_at=engine.deemed_receipt(rules, start_at, channel),
        amount=amount_value,
        unit=unit,
        channel=channel,
        calendar=calendar.province.code,
    )
