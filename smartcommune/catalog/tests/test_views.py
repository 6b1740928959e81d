import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from smartcommune.audit.models import AuditEntry
from smartcommune.catalog.excel import XLSX_CONTENT_TYPE, catalog_export_xlsx
from smartcommune.catalog.factories import attach_blank_form, make_field, make_procedure, make_process
from smartcommune.catalog.models import FeeRule, Procedure

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_list_search_and_filters(sign_in, org, official):
    client = sign_in(org.no_role)  # any official may read the catalog
    response = client.get("/procedures/", {"q": "chung thuc"})
    assert response.status_code == 200
    codes = [p.code for p in response.context["page"]]
    assert "2.000815" in codes and "1.001193" not in codes
    response = client.get("/procedures/", {"q": "khai sinh", "field": "ho-tich", "online_level": "full"})
    assert "1.001193" in [p.code for p in response.context["page"]]
    assert "Đăng ký khai sinh" in response.content.decode()


def test_invalid_filters_answer_400_and_still_list(sign_in, org):
    make_procedure()
    client = sign_in(org.officer)
    response = client.get("/procedures/", {"field": "no-such-field", "level": "district", "q": "x" * 101})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"field", "level", "q"}
    assert response.context["page"].paginator.count == 1


def test_citizens_and_anonymous_do_not_see_the_official_screens(client, sign_in, org):
    procedure = make_procedure()
    assert client.get("/procedures/").status_code == 302
    client = sign_in(org.citizen)
    assert client.get("/procedures/").status_code == 404
    assert client.get(f"/procedures/{procedure.code}/").status_code == 404


def test_detail_shows_components_fees_time_limit_and_the_units_process(sign_in, org):
    procedure = make_procedure("1.001022", name="Đăng ký nhận cha, mẹ, con", amount=3, extension=5)
    FeeRule.objects.create(
        procedure=procedure, name="Phí chứng thực bản sao", kind="per_page", amount=2000, tier_pages=2,
        next_amount=1000, cap=200000, legal_ref="Thông tư 226/2016/TT-BTC",
    )  # fmt: skip
    own = make_process(procedure, org_unit=org.muong_dun, hours=("1", "23"))
    client = _english(sign_in(org.officer))
    response = client.get("/procedures/1.001022/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 working days; up to 5 more working days when verification is needed" in html
    assert "Tờ khai" in html and "Thông tư 226/2016/TT-BTC" in html
    assert "at most 200,000 ₫ a copy" in html
    assert response.context["process"] == own
    assert "History of changes" not in html  # only for catalog managers


def test_unknown_code_is_404(sign_in, org):
    assert sign_in(org.officer).get("/procedures/9.999999/").status_code == 404


def test_managers_see_the_history_link(sign_in, org):
    procedure = make_procedure()
    response = sign_in(org.province_admin).get(f"/procedures/{procedure.code}/")
    assert response.context["history_url"] == (
        f"/audit/?target_type=catalog.procedure&target_id={procedure.pk}"
    )


def _bulk(n, prefix):
    field = make_field()
    for i in range(n):
        make_procedure(f"{prefix}.{i:06d}", name=f"Thủ tục {prefix} {i}", field=field, with_process=False)


def test_list_query_count_does_not_grow_with_rows(sign_in, org, django_assert_max_num_queries):
    client = sign_in(org.officer)
    _bulk(3, "8")
    with django_assert_max_num_queries(14) as small:
        assert client.get("/procedures/", {"q": "thu tuc"}).status_code == 200
    _bulk(40, "7")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/procedures/", {"q": "thu tuc"})
    assert response.context["page"].paginator.count == 43


def test_detail_query_count_is_bounded(sign_in, org, django_assert_max_num_queries):
    procedure = make_procedure()
    client = sign_in(org.officer)
    with django_assert_max_num_queries(16) as small:
        client.get(f"/procedures/{procedure.code}/")
    for i in range(20):
        FeeRule.objects.create(procedure=procedure, name=f"Phí {i}", kind="fixed", amount=i, legal_ref="NQ")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/procedures/{procedure.code}/")


# --- export and import -----------------------------------------------------------------------------


def test_managers_export_the_catalog(sign_in, org):
    make_procedure("1.004873")
    response = sign_in(org.province_admin).get("/procedures/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["procedures"]
    assert sheet["A3"].value == "1.004873"


def test_others_can_neither_export_nor_import(sign_in, org):
    client = sign_in(org.leader)
    assert client.get("/procedures/export.xlsx").status_code == 404
    upload = SimpleUploadedFile("c.xlsx", catalog_export_xlsx(), content_type=XLSX_CONTENT_TYPE)
    assert client.post("/procedures/import/", {"file": upload}).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="procedure.").exists()


def _upload(data: bytes, name: str = "catalog.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def test_import_applies_the_workbook_and_reports(sign_in, org):
    procedure = make_procedure("1.004873", fee=5000)
    workbook = load_workbook(io.BytesIO(catalog_export_xlsx()))
    workbook["fees"]["D3"] = 7000
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = sign_in(org.province_admin)
    assert client.get("/procedures/import/").status_code == 200
    response = client.post("/procedures/import/", {"file": _upload(buffer.getvalue())})
    assert response.status_code == 302 and response.url == "/procedures/"
    assert procedure.fee_rules.get().amount == 7000
    assert AuditEntry.objects.filter(action="procedure.updated", actor=org.province_admin).count() == 1


def test_import_with_row_errors_lists_them_and_changes_nothing(sign_in, org):
    make_procedure("1.004873", fee=5000)
    workbook = load_workbook(io.BytesIO(catalog_export_xlsx()))
    workbook["fees"]["D3"] = "năm nghìn"
    workbook["procedures"]["J3"] = "level4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = list(Procedure.objects.values()), list(FeeRule.objects.values())
    response = _english(sign_in(org.province_admin)).post(
        "/procedures/import/", {"file": _upload(buffer.getvalue())}
    )
    assert response.status_code == 400
    assert [(e.sheet, e.row, e.column) for e in response.context["row_errors"]] == [
        ("procedures", 3, "Online level"),
        ("fees", 3, "Amount (VND)"),
    ]
    assert "nothing was changed" in response.content.decode()
    assert (list(Procedure.objects.values()), list(FeeRule.objects.values())) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("catalog.csv", b"code,name\n1.001193,x\n", ".xlsx"),
        ("catalog.xlsx", b"this is not a zip", "that can be read"),
        ("catalog.xlsx", b"", "empty"),
        ("catalog.xlsx", b"PK" + b"\0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_bad_uploads_answer_a_clear_error_and_change_nothing(sign_in, org, name, data, message):
    make_procedure("1.004873")
    before = list(Procedure.objects.values())
    client = _english(sign_in(org.province_admin))
    response = client.post("/procedures/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Procedure.objects.values()) == before


def test_posting_without_a_file_is_an_error(sign_in, org):
    response = sign_in(org.province_admin).post("/procedures/import/", {})
    assert response.status_code == 400


def test_every_official_procedure_page_renders(sign_in, org, official):
    client = sign_in(org.officer)
    for code in Procedure.objects.values_list("code", flat=True):
        response = client.get(f"/procedures/{code}/")
        assert response.status_code == 200, code
        assert response.context["process"] is not None, code


def test_blank_forms_download_publicly(client, org):
    procedure = make_procedure()
    component = procedure.components.get()
    path = attach_blank_form(component, "to-khai-ket-hon.pdf")
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="to-khai-ket-hon' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(org.officer)
    assert path in client.get(f"/procedures/{procedure.code}/").content.decode()


def test_blank_form_of_another_procedure_or_inactive_is_404(client, org):
    procedure = make_procedure()
    path = attach_blank_form(procedure.components.get())
    other = make_procedure()
    assert client.get(path.replace(procedure.code, other.code)).status_code == 404
    Procedure.objects.filter(pk=procedure.pk).update(is_active=False)
    assert client.get(path).status_code == 404
    assert client.get(f"/procedures/{other.code}/forms/{other.components.get().pk}/").status_code == 404
