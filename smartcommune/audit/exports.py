"""The audit list as an .xlsx workbook (openpyxl, write-only: memory stays flat)."""

import io

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .masking import mask_personal_ids

EXPORT_MAX_ROWS = 50_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value, number_format: str | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        # Stored as text, never as a formula: labels come from user input.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def auditentry_workbook(entries: QuerySet, *, max_rows: int | None = None) -> bytes:
    """Write at most `max_rows` entries of `entries` (already scoped, filtered and ordered).

    Times are local (Asia/Ho_Chi_Minh) wall-clock times: Excel has no time zones. A last row says
    so when the list was cut.
    """
    max_rows = EXPORT_MAX_ROWS if max_rows is None else max_rows
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail")[:31])
    headers = [
        _("Time"),
        _("Actor"),
        _("Action"),
        _("Target type"),
        _("Target ID"),
        _("Target"),
        _("Unit"),
        _("IP address"),
        _("Request ID"),
        _("Chain"),
        _("Sequence"),
    ]
    sheet.append(headers)
    for written, entry in enumerate(entries[: max_rows + 1].iterator(chunk_size=2000)):
        if written == max_rows:
            sheet.append(
                [_cell(sheet, _("Only the first %(count)d entries were exported.") % {"count": max_rows})]
            )
            break
        sheet.append(
            [
                _cell(
                    sheet, timezone.localtime(entry.created_at).replace(tzinfo=None), "yyyy-mm-dd hh:mm:ss"
                ),
                _cell(sheet, mask_personal_ids(entry.actor_label)),
                _cell(sheet, entry.action),
                _cell(sheet, entry.target_type),
                _cell(sheet, entry.target_id),
                _cell(sheet, mask_personal_ids(entry.target_label)),
                _cell(sheet, entry.org_unit.name if entry.org_unit_id else ""),
                _cell(sheet, entry.ip or ""),
                _cell(sheet, entry.request_id),
                _cell(sheet, entry.chain),
                _cell(sheet, entry.seq),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
