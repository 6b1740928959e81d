"""Dossier time: every due moment comes from the workdays engine and the unit's province calendar."""

from datetime import datetime, timedelta
from decimal import Decimal

from smartcommune.workdays import engine
from smartcommune.workdays.selectors import calendar_for_unit, rules_for_calendar

from .choices import Channel, DossierStatus, DueState

DUE_SOON_WITHIN = timedelta(hours=8)  # one working day: when the assignee is alerted (DOMAIN.md §1.2)


def rules_for(unit) -> engine.CalendarRules:
    return rules_for_calendar(calendar_for_unit(unit))


def engine_channel(channel: int) -> str:
    return engine.Channel.ONLINE if channel == Channel.ONLINE else engine.Channel.COUNTER


def legal_amount(procedure, needs_verification: bool) -> int:
    """The legal limit, with the procedure's extension when the matter needs verification."""
    if needs_verification and procedure.verification_extension_days:
        if procedure.time_limit_unit == "same_day":
            return procedure.verification_extension_days
        return procedure.time_limit_amount + procedure.verification_extension_days
    return procedure.time_limit_amount


def legal_unit(procedure, needs_verification: bool) -> str:
    # A same-day matter that needs verification becomes a limit in working days (Luật Hộ tịch art. 16, 18).
    if (
        needs_verification
        and procedure.verification_extension_days
        and procedure.time_limit_unit == "same_day"
    ):
        return engine.DurationUnit.WORKING_DAYS
    return procedure.time_limit_unit


def dossier_due(rules, *, received_at: datetime, amount: int, unit: str, channel: int, pauses=()) -> tuple:
    """(deemed receipt, due moment) for a dossier received at `received_at`."""
    deemed = engine.deemed_receipt(rules, received_at, engine_channel(channel))
    due = engine.due(rules, received_at, amount, unit, engine_channel(channel), pauses)
    return deemed, due


def step_due(rules, started_at: datetime, hours: Decimal) -> datetime:
    return engine.add_working_hours(rules, started_at, float(hours))


def due_state(rules, *, status: int, due_at: datetime, finished_at: datetime | None, now: datetime) -> str:
    """In time / due soon / overdue while open; early / on time / late once finished (DOMAIN.md §1.7).

    Finished dossiers compare calendar days: on the due day is on time, before it early, after it late.
    """
    if finished_at is not None:
        end_day, due_day = engine.to_local(finished_at).date(), engine.to_local(due_at).date()
        if end_day < due_day:
            return DueState.EARLY
        return DueState.ON_TIME if end_day == due_day else DueState.LATE
    if status == DossierStatus.SUPPLEMENT_REQUESTED:
        return DueState.PAUSED
    if now > due_at:
        return DueState.OVERDUE
    if not engine.working_time_exceeds(rules, now, due_at, DUE_SOON_WITHIN):
        return DueState.DUE_SOON
    return DueState.IN_TIME


def step_outcome(*, finished_at: datetime, due_at: datetime) -> str:
    """The control slip's column: trước hạn / đúng hạn / quá hạn for one hand-over."""
    return due_state(None, status=0, due_at=due_at, finished_at=finished_at, now=finished_at)
