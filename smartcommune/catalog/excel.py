"""The catalog as an Excel workbook (.xlsx): export, and parsing of an import.

One sheet per table: fields, procedures, components, fees, exemptions, process_steps. Row 1 holds
the Vietnamese headers, row 2 the English ones (which name the columns on import, in any order),
data from row 3. Lists (applicant types, life events, file types) are comma-separated; dates are
date cells or YYYY-MM-DD; yes/no cells are TRUE/FALSE (also 1/0, có/không, yes/no, x).

Parsing never writes: it turns rows into specs (catalog.specs) and reports every cell it cannot
read with its sheet, row and column. Rules between rows are checked by catalog.validation.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .errors import CatalogFileUnreadable, RowError
from .selectors import catalog_bundle
from .specs import (
    CatalogBundle,
    ComponentSpec,
    ExemptionSpec,
    FeeSpec,
    FieldSpec,
    ProcedureSpec,
    ProcessSpec,
    Source,
    StepSpec,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024  # a zip bomb stops here, before any XML is parsed
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_ERRORS = 200
FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    kind: str = "text"  # text, code, int, opt_int, bool, date, list, decimal
    required: bool = False


C = Column
SHEETS: dict[str, list[Column]] = {
    "fields": [
        C("code", "Mã lĩnh vực", "Field code", required=True),
        C("name", "Tên lĩnh vực", "Name", required=True),
        C("name_en", "Tên tiếng Anh", "Name (English)"),
    ],
    "procedures": [
        C("code", "Mã thủ tục", "Procedure code", "code", required=True),
        C("name", "Tên thủ tục", "Name", required=True),
        C("field_code", "Mã lĩnh vực", "Field code", required=True),
        C("level", "Cấp thực hiện", "Level", required=True),
        C("applicant_types", "Đối tượng thực hiện", "Applicant types", "list", required=True),
        C("life_events", "Sự kiện", "Life events", "list"),
        C("time_limit_amount", "Thời hạn giải quyết", "Time limit", "int", required=True),
        C("time_limit_unit", "Đơn vị thời hạn", "Time limit unit", required=True),
        C("verification_extension_days", "Số ngày thêm khi cần xác minh", "Extra days if verified", "int"),
        C("online_level", "Mức độ trực tuyến", "Online level", required=True),
        C("result_kind", "Loại kết quả", "Result kind", required=True),
        C("result_name", "Kết quả", "Result"),
        C("result_template", "Mẫu kết quả", "Result template"),
        C("legal_basis", "Căn cứ pháp lý", "Legal basis"),
        C("fee_note", "Ghi chú phí, lệ phí", "Fee note"),
        C("effective_from", "Hiệu lực từ", "Effective from", "date"),
        C("effective_to", "Hiệu lực đến", "Effective until", "date"),
        C("is_active", "Đang áp dụng", "Active", "bool", required=True),
    ],
    "components": [
        C("procedure_code", "Mã thủ tục", "Procedure code", "code", required=True),
        C("order", "Thứ tự", "Order", "int", required=True),
        C("name", "Tên thành phần hồ sơ", "Name", required=True),
        C("originals", "Số bản chính", "Originals", "int"),
        C("copies", "Số bản sao", "Copies", "int"),
        C("is_mandatory", "Bắt buộc", "Mandatory", "bool", required=True),
        C("condition", "Trường hợp phải nộp", "When required"),
        C("reusable", "Dùng lại từ Kho dữ liệu", "Reusable from repository", "bool"),
        C("accepted_types", "Định dạng tệp", "Accepted file types", "list"),
        C("form_code", "Mẫu đơn, tờ khai", "Form"),
    ],
    "fees": [
        C("procedure_code", "Mã thủ tục", "Procedure code", "code", required=True),
        C("name", "Tên phí, lệ phí", "Name", required=True),
        C("kind", "Cách tính", "Kind", required=True),
        C("amount", "Mức thu (đồng)", "Amount (VND)", "int", required=True),
        C("amount_online", "Mức thu trực tuyến (đồng)", "Amount online (VND)", "opt_int"),
        C("tier_pages", "Số trang mức đầu", "Pages at the first rate", "int"),
        C("next_amount", "Mức thu mỗi trang sau (đồng)", "Amount a page after (VND)", "int"),
        C("cap", "Mức thu tối đa mỗi bản (đồng)", "Cap per copy (VND)", "opt_int"),
        C("legal_ref", "Căn cứ", "Legal reference", required=True),
        C("effective_from", "Hiệu lực từ", "Effective from", "date"),
        C("effective_to", "Hiệu lực đến", "Effective until", "date"),
    ],
    "exemptions": [
        C("procedure_code", "Mã thủ tục", "Procedure code", "code", required=True),
        C("code", "Mã miễn", "Exemption code", required=True),
        C("reason", "Đối tượng, trường hợp miễn", "Reason", required=True),
        C("legal_ref", "Căn cứ", "Legal reference", required=True),
    ],
    "process_steps": [
        C("procedure_code", "Mã thủ tục", "Procedure code", "code", required=True),
        C("unit_code", "Mã đơn vị (trống: mặc định toàn tỉnh)", "Unit code (empty: province default)"),
        C("process_legal_ref", "Quyết định phê duyệt quy trình", "Process approved by"),
        C("order", "Bước", "Step", "int", required=True),
        C("name", "Tên bước", "Step name", required=True),
        C("role_code", "Vai trò", "Role code", required=True),
        C("duration_hours", "Thời gian (giờ làm việc)", "Working hours", "decimal", required=True),
        C("route_to_code", "Chuyển đơn vị khác (liên thông)", "Done by unit (inter-connected)"),
    ],
}


# --- export ----------------------------------------------------------------------------------------


def _cell(sheet, value):
    if isinstance(value, tuple | list):
        value = ", ".join(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _rows(bundle: CatalogBundle) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name in SHEETS}
    for f in bundle.fields:
        rows["fields"].append({"code": f.code, "name": f.name, "name_en": f.name_en})
    for p in bundle.procedures:
        rows["procedures"].append({c.key: getattr(p, c.key) for c in SHEETS["procedures"]})
        for c in p.components:
            rows["components"].append(
                {"procedure_code": p.code, **{k: getattr(c, k) for k in _keys("components")}}
            )
        for f in p.fees:
            rows["fees"].append({"procedure_code": p.code, **{k: getattr(f, k) for k in _keys("fees")}})
        for e in p.exemptions:
            rows["exemptions"].append(
                {"procedure_code": p.code, **{k: getattr(e, k) for k in _keys("exemptions")}}
            )
    for process in bundle.processes:
        for s in process.steps:
            rows["process_steps"].append(
                {
                    "procedure_code": process.procedure_code,
                    "unit_code": process.unit_code,
                    "process_legal_ref": process.legal_ref,
                    **{
                        k: getattr(s, k)
                        for k in ("order", "name", "role_code", "duration_hours", "route_to_code")
                    },
                }
            )
    return rows


def _keys(sheet: str) -> list[str]:
    return [c.key for c in SHEETS[sheet] if c.key != "procedure_code"]


def bundle_workbook(bundle: CatalogBundle) -> bytes:
    """Write `bundle` as a workbook in the import layout."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in _rows(bundle).items():
        sheet = workbook.create_sheet(name)
        columns = SHEETS[name]
        for labels in ([c.vi for c in columns], [c.en for c in columns]):
            cells = []
            for label in labels:
                cell = WriteOnlyCell(sheet, value=label)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        for row in rows:
            sheet.append([_cell(sheet, row.get(c.key)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalog_export_xlsx() -> bytes:
    """The whole catalog as an .xlsx workbook that catalog_import_xlsx reads back unchanged."""
    return bundle_workbook(catalog_bundle())


# --- import: cells ---------------------------------------------------------------------------------


class CellError(ValueError):
    pass


_TRUE = {"true", "1", "x", "có", "co", "yes", "y", "đúng"}
_FALSE = {"false", "0", "không", "khong", "no", "n", "sai", ""}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _code(value) -> str:
    # A code typed into a number cell (1.001193) comes back as a float; six decimals put it back.
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.6f}"
    return _text(value)


def _int(value) -> int:
    if isinstance(value, bool):
        raise CellError(_("A whole number, not yes/no."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("A whole number, not %(value)s.") % {"value": value})
    text = _text(value).replace(".", "").replace(",", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,12}", text):
        return int(text)
    raise CellError(_("A whole number, not “%(value)s”.") % {"value": _text(value)[:40]})


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("TRUE or FALSE, not “%(value)s”.") % {"value": text[:40]})


def _date(value) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError as exc:
        raise CellError(_("A date as YYYY-MM-DD, not “%(value)s”.") % {"value": _text(value)[:40]}) from exc


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("A number of hours, such as 2 or 4.5."))
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("A number of hours, such as 2 or 4.5."))
    return number


def _list(value) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[,;\n]", _text(value)) if part.strip())


PARSERS: dict[str, Callable] = {
    "text": _text,
    "code": _code,
    "int": _int,
    "opt_int": lambda v: None if _text(v) == "" else _int(v),
    "bool": _bool,
    "date": _date,
    "list": _list,
    "decimal": _decimal,
}
DEFAULTS = {"int": 0, "bool": False, "list": ()}


# --- import: sheets --------------------------------------------------------------------------------


class _Collector:
    def __init__(self):
        self.errors: list[RowError] = []

    def add(self, sheet: str, row: int, column: str, message: str):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(sheet, row, column, str(message)))


def _header_map(sheet_name: str, header_rows: list[tuple], errors: _Collector) -> dict[str, int] | None:
    """Column index of each key, found by the English (row 2) or Vietnamese (row 1) header."""
    columns = SHEETS[sheet_name]
    by_label = {}
    for c in columns:
        for label in (c.en, c.vi, c.key):
            by_label.setdefault(label.strip().lower(), c.key)
    found: dict[str, int] = {}
    for header in reversed(header_rows):  # English row first, then Vietnamese
        for index, raw in enumerate(header or ()):
            key = by_label.get(_text(raw).lower())
            if key and key not in found:
                found[key] = index
    missing = [c for c in columns if c.required and c.key not in found]
    for c in missing:
        errors.add(sheet_name, 2, c.en, _("The column “%(column)s” is missing.") % {"column": c.en})
    return None if missing else found


def _read_sheet(workbook, sheet_name: str, errors: _Collector) -> list[tuple[int, dict]]:
    if sheet_name not in workbook.sheetnames:
        errors.add(sheet_name, 0, "", _("The sheet “%(sheet)s” is missing.") % {"sheet": sheet_name})
        return []
    sheet = workbook[sheet_name]
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    headers = [next(rows, ()), next(rows, ())]
    columns = _header_map(sheet_name, headers, errors)
    if columns is None:
        return []
    out = []
    for number, raw in enumerate(rows, start=FIRST_DATA_ROW):
        if number - FIRST_DATA_ROW >= MAX_ROWS:
            errors.add(sheet_name, number, "", _("At most %(n)d rows a sheet.") % {"n": MAX_ROWS})
            break
        if raw is None or all(_text(v) == "" for v in raw):
            continue
        values = {}
        for column in SHEETS[sheet_name]:
            index = columns.get(column.key)
            cell = raw[index] if index is not None and index < len(raw) else None
            if _text(cell) == "":
                if column.required:
                    errors.add(sheet_name, number, column.en, _("This value is required."))
                values[column.key] = DEFAULTS.get(
                    column.kind, None if column.kind in ("date", "opt_int") else ""
                )
                continue
            try:
                values[column.key] = PARSERS[column.kind](cell)
            except CellError as exc:
                errors.add(sheet_name, number, column.en, str(exc))
                values[column.key] = DEFAULTS.get(column.kind)
        out.append((number, values))
    return out


def _group(rows: list[tuple[int, dict]], key: str) -> dict[str, list[tuple[int, dict]]]:
    groups: dict[str, list[tuple[int, dict]]] = {}
    for number, values in rows:
        groups.setdefault(values[key], []).append((number, values))
    return groups


def _bundle(workbook, errors: _Collector) -> CatalogBundle:
    sheets = {name: _read_sheet(workbook, name, errors) for name in SHEETS}
    fields = tuple(
        FieldSpec(code=v["code"], name=v["name"], name_en=v["name_en"], source=Source("fields", n))
        for n, v in sheets["fields"]
    )
    procedure_codes = {v["code"] for _n, v in sheets["procedures"]}
    for sheet in ("components", "fees", "exemptions"):
        for number, values in sheets[sheet]:
            if values["procedure_code"] not in procedure_codes:
                errors.add(
                    sheet,
                    number,
                    "Procedure code",
                    _("The procedure %(code)s is not in the procedures sheet.")
                    % {"code": values["procedure_code"]},
                )
    components = _group(sheets["components"], "procedure_code")
    fees = _group(sheets["fees"], "procedure_code")
    exemptions = _group(sheets["exemptions"], "procedure_code")
    procedures = []
    for number, v in sheets["procedures"]:
        code = v["code"]
        procedures.append(
            ProcedureSpec(
                **{k: v[k] for k in v if k not in ("applicant_types", "life_events")},
                applicant_types=tuple(t.lower() for t in v["applicant_types"]),
                life_events=tuple(t.lower() for t in v["life_events"]),
                components=tuple(
                    ComponentSpec(
                        **{k: cv[k] for k in _keys("components") if k != "accepted_types"},
                        accepted_types=tuple(t.lower().lstrip(".") for t in cv["accepted_types"]),
                        source=Source("components", cn),
                    )
                    for cn, cv in components.get(code, [])
                ),
                fees=tuple(
                    FeeSpec(**{k: fv[k] for k in _keys("fees")}, source=Source("fees", fn))
                    for fn, fv in fees.get(code, [])
                ),
                exemptions=tuple(
                    ExemptionSpec(**{k: ev[k] for k in _keys("exemptions")}, source=Source("exemptions", en))
                    for en, ev in exemptions.get(code, [])
                ),
                source=Source("procedures", number),
            )
        )
    processes = []
    by_process: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for number, values in sheets["process_steps"]:
        by_process.setdefault((values["procedure_code"], values["unit_code"]), []).append((number, values))
    for (procedure_code, unit_code), rows in by_process.items():
        legal_refs = {v["process_legal_ref"] for _n, v in rows}
        if len(legal_refs) > 1:
            errors.add(
                "process_steps",
                rows[-1][0],
                "Process approved by",
                _("Every step of one process must name the same approving decision."),
            )
        processes.append(
            ProcessSpec(
                procedure_code=procedure_code,
                unit_code=unit_code,
                legal_ref=rows[0][1]["process_legal_ref"],
                steps=tuple(
                    StepSpec(
                        order=v["order"],
                        name=v["name"],
                        role_code=v["role_code"],
                        duration_hours=v["duration_hours"] if v["duration_hours"] is not None else Decimal(0),
                        route_to_code=v["route_to_code"],
                        source=Source("process_steps", n),
                    )
                    for n, v in rows
                ),
                source=Source("process_steps", rows[0][0]),
            )
        )
    return CatalogBundle(fields=fields, procedures=tuple(procedures), processes=tuple(processes))


def _check_container(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise CatalogFileUnreadable(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CatalogFileUnreadable() from exc
    if "xl/workbook.xml" not in names:
        raise CatalogFileUnreadable()
    if total > MAX_UNCOMPRESSED_BYTES:
        raise CatalogFileUnreadable(_("The workbook is too large once unpacked."))


def read_workbook(file) -> tuple[CatalogBundle, list[RowError]]:
    """Parse an uploaded workbook (a file object or bytes) into a bundle of specs, and the cells
    that could not be read (their values are left at a default). Writes nothing.

    Raises CatalogFileUnreadable when it is not a readable .xlsx within the size limits.
    """
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    _check_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package; all mean "unreadable"
        raise CatalogFileUnreadable() from exc
    errors = _Collector()
    try:
        bundle = _bundle(workbook, errors)
    except Exception as exc:  # a malformed sheet part surfaces while rows are read
        raise CatalogFileUnreadable() from exc
    finally:
        workbook.close()
    return bundle, errors.errors


def labelled(errors: list[RowError]) -> list[RowError]:
    """Errors with the workbook's English header in place of a field name, ordered as in the file."""
    labels = {(sheet, c.key): c.en for sheet, columns in SHEETS.items() for c in columns}
    order = list(SHEETS)
    out = [RowError(e.sheet, e.row, labels.get((e.sheet, e.column), e.column), e.message) for e in errors]
    return sorted(out, key=lambda e: (order.index(e.sheet) if e.sheet in order else 99, e.row))
