from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from smartcommune.catalog.factories import make_procedure
from smartcommune.catalog.models import Procedure

pytestmark = pytest.mark.django_db


def test_export_then_import_by_command(tmp_path, org):
    make_procedure("1.004873")
    path = tmp_path / "catalog.xlsx"
    out = StringIO()
    call_command("catalog_export", str(path), stdout=out)
    assert "Wrote" in out.getvalue()
    assert load_workbook(path)["procedures"]["A3"].value == "1.004873"
    out = StringIO()
    call_command("catalog_import", str(path), stdout=out)
    assert "0 created, 0 updated, 1 unchanged" in out.getvalue()


def test_import_command_lists_errors_and_fails(tmp_path, org):
    make_procedure("1.004873")
    path = tmp_path / "catalog.xlsx"
    call_command("catalog_export", str(path), stdout=StringIO())
    workbook = load_workbook(path)
    workbook["procedures"]["B3"] = None  # a procedure needs a name
    workbook.save(path)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("catalog_import", str(path), stdout=StringIO(), stderr=err)
    assert "procedures row 3 [Name]" in err.getvalue()
    assert Procedure.objects.get().name == "Cấp Giấy xác nhận tình trạng hôn nhân"


def test_import_command_refuses_a_missing_or_unreadable_file(tmp_path, org):
    with pytest.raises(CommandError, match="No such file"):
        call_command("catalog_import", str(tmp_path / "none.xlsx"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("catalog_import", str(bad))
