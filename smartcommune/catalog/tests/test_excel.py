import io
import zipfile

import pytest
from openpyxl import load_workbook

from smartcommune.audit.models import AuditEntry
from smartcommune.catalog.errors import CatalogFileUnreadable, CatalogInvalid
from smartcommune.catalog.excel import MAX_FILE_BYTES, SHEETS, catalog_export_xlsx
from smartcommune.catalog.factories import make_procedure
from smartcommune.catalog.models import Component, FeeRule, Procedure, ProcessStep
from smartcommune.catalog.services import catalog_import_xlsx

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(Procedure.objects.order_by("pk").values()),
        list(Component.objects.order_by("pk").values()),
        list(FeeRule.objects.order_by("pk").values()),
        list(ProcessStep.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def _edit(data: bytes, sheet: str, cells: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        workbook[sheet][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column(sheet: str, key: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[c.key for c in SHEETS[sheet]].index(key)]


def test_export_has_one_sheet_per_table_with_vietnamese_and_english_headers(official):
    workbook = load_workbook(io.BytesIO(catalog_export_xlsx()))
    assert workbook.sheetnames == [
        "fields",
        "procedures",
        "components",
        "fees",
        "exemptions",
        "process_steps",
    ]
    procedures = workbook["procedures"]
    assert procedures["A1"].value == "Mã thủ tục" and procedures["A2"].value == "Procedure code"
    codes = [row[0] for row in procedures.iter_rows(min_row=3, values_only=True)]
    assert len(codes) == Procedure.objects.count() and "1.001193" in codes
    copy_fee = next(r for r in workbook["fees"].iter_rows(min_row=3, values_only=True) if r[0] == "2.000815")
    assert copy_fee[2:8] == ("per_page", 2000, None, 2, 1000, 200000)


def test_export_then_import_changes_nothing(official):
    before = _state()
    result = catalog_import_xlsx(actor=None, file=catalog_export_xlsx())
    assert not result.changed and result.unchanged == len(before[0])
    assert _state() == before


def test_an_edited_workbook_updates_the_procedure_and_audits_it(org):
    procedure = make_procedure("1.004873", fee=5000)
    data = _edit(catalog_export_xlsx(), "fees", {f"{_column('fees', 'amount')}3": 6000})
    result = catalog_import_xlsx(actor=org.province_admin, file=data)
    assert (result.updated, result.unchanged) == (1, 0)
    assert procedure.fee_rules.get().amount == 6000
    entry = AuditEntry.objects.get(action="procedure.updated")
    assert entry.data["fields"] == ["fees"] and entry.actor == org.province_admin


def test_new_rows_create_a_procedure(org):
    make_procedure("1.004873")
    data = _edit(
        catalog_export_xlsx(),
        "procedures",
        {
            "A4": "1.004837", "B4": "Đăng ký giám hộ", "C4": "ho-tich", "D4": "commune", "E4": "citizen",
            "G4": 3, "H4": "working_days", "J4": "partial", "K4": "document", "R4": True,
        },
    )  # fmt: skip
    result = catalog_import_xlsx(actor=None, file=data)
    assert result.created == 1
    created = Procedure.objects.get(code="1.004837")
    assert created.name_folded == "dang ky giam ho" and created.components.count() == 0


def test_every_row_error_names_sheet_row_and_column_and_nothing_changes(org):
    make_procedure("1.004873")
    data = _edit(
        catalog_export_xlsx(),
        "procedures",
        {
            f"{_column('procedures', 'time_limit_amount')}3": "ba ngày",
            f"{_column('procedures', 'online_level')}3": "x",
        },
    )
    data = _edit(data, "components", {f"{_column('components', 'is_mandatory')}3": "maybe"})
    data = _edit(data, "process_steps", {f"{_column('process_steps', 'duration_hours')}4": 99})
    before = _state()
    with pytest.raises(CatalogInvalid) as exc:
        catalog_import_xlsx(actor=None, file=data)
    assert [(e.sheet, e.row, e.column) for e in exc.value.errors] == [
        ("procedures", 3, "Time limit"),
        ("procedures", 3, "Online level"),
        ("components", 3, "Mandatory"),
    ]
    assert _state() == before


def test_a_process_over_the_limit_is_reported_on_its_last_step(org):
    make_procedure("1.004873")
    data = _edit(
        catalog_export_xlsx(), "process_steps", {f"{_column('process_steps', 'duration_hours')}4": 99}
    )
    with pytest.raises(CatalogInvalid) as exc:
        catalog_import_xlsx(actor=None, file=data)
    (error,) = exc.value.errors
    assert (error.sheet, error.row, error.column) == ("process_steps", 6, "Working hours")
    assert "101" in error.message and "24" in error.message


def test_a_code_typed_as_a_number_is_read_back(org):
    make_procedure("2.000910", fee=None)
    data = catalog_export_xlsx()
    data = _edit(data, "procedures", {"A3": 2.00091})
    data = _edit(data, "components", {"A3": 2.00091})
    data = _edit(data, "process_steps", {"A3": 2.00091, "A4": 2.00091, "A5": 2.00091, "A6": 2.00091})
    assert not catalog_import_xlsx(actor=None, file=data).changed


def test_missing_sheet_and_column_are_reported(org):
    make_procedure("1.004873")
    workbook = load_workbook(io.BytesIO(catalog_export_xlsx()))
    del workbook["exemptions"]
    workbook["fees"]["I2"] = "Something else"
    workbook["fees"]["I1"] = "Khác"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(CatalogInvalid) as exc:
        catalog_import_xlsx(actor=None, file=out.getvalue())
    messages = {(e.sheet, e.column) for e in exc.value.errors}
    assert ("exemptions", "") in messages and ("fees", "Legal reference") in messages


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not a workbook at all",
        b"PK\x03\x04broken zip",
        b"%PDF-1.4 pretending",
    ],
)
def test_files_that_are_not_workbooks_are_refused(org, payload):
    with pytest.raises(CatalogFileUnreadable):
        catalog_import_xlsx(actor=None, file=payload)


def test_a_zip_that_is_not_a_workbook_is_refused(org):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(CatalogFileUnreadable):
        catalog_import_xlsx(actor=None, file=buffer.getvalue())


def test_a_workbook_with_a_broken_sheet_is_refused(org):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(catalog_export_xlsx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(
                item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet2.xml") else content
            )
    with pytest.raises((CatalogFileUnreadable, CatalogInvalid)):
        catalog_import_xlsx(actor=None, file=buffer.getvalue())


def test_oversized_and_bomb_files_are_refused(org):
    with pytest.raises(CatalogFileUnreadable):
        catalog_import_xlsx(actor=None, file=b"PK" + b"\0" * MAX_FILE_BYTES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (70 * 1024 * 1024))
    with pytest.raises(CatalogFileUnreadable):
        catalog_import_xlsx(actor=None, file=buffer.getvalue())
