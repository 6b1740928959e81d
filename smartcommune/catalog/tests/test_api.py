import pytest

from smartcommune.catalog.factories import attach_blank_form, make_field, make_procedure
from smartcommune.catalog.models import Procedure

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures/"


def test_list_is_public_paginated_and_ordered_by_code(client, official):
    response = client.get(URL, {"page_size": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Procedure.objects.count()
    assert len(body["items"]) == 10
    codes = [item["code"] for item in body["items"]]
    assert codes == sorted(codes)
    second = client.get(URL, {"page_size": 10, "page": 2}).json()["items"]
    assert not {item["code"] for item in second} & set(codes)


def test_search_and_filters(client, official):
    found = client.get(URL, {"q": "chung thuc ban sao"}).json()
    assert [item["code"] for item in found["items"]] == ["2.000815"]
    item = found["items"][0]
    assert item["field"]["code"] == "chung-thuc"
    assert item["time_limit"]["unit"] == "same_day" and item["time_limit"]["hours"] == 8
    civil = client.get(URL, {"field": "ho-tich", "online_level": "full"}).json()["items"]
    assert civil and all(i["field"]["code"] == "ho-tich" and i["online_level"] == "full" for i in civil)
    assert client.get(URL, {"q": "kết hôn"}).json()["count"] >= 2


def test_unicode_is_sent_unescaped(client, org):
    make_procedure(name="Đăng ký kết hôn")
    assert "Đăng ký kết hôn" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"level": "district"},
        {"online_level": "level4"},
        {"page": 0},
        {"page": "abc"},
        {"page": 10**12},
        {"page_size": 1000},
        {"q": "x" * 101},
    ],
)
def test_bad_parameters_answer_400_in_the_common_format(client, org, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"code", "detail"} and body["code"] == "invalid_input"


def test_detail_has_components_fees_and_time_limit(client, official):
    response = client.get(f"{URL}1.000894")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Đăng ký kết hôn"
    assert body["time_limit"] == {
        "amount": 0,
        "unit": "same_day",
        "verification_extension_days": 5,
        "hours": 8,
        "text": body["time_limit"]["text"],
    }
    assert body["online_level"] == "partial"
    assert body["components"][0]["form_code"] == "Tờ khai đăng ký kết hôn"
    assert [f["amount"] for f in body["fees"]] == [0]
    copy = client.get(f"{URL}2.000815").json()["fees"][0]
    assert (copy["kind"], copy["amount"], copy["tier_pages"], copy["next_amount"], copy["cap"]) == (
        "per_page", 2000, 2, 1000, 200000,
    )  # fmt: skip


def test_unknown_code_is_404_in_the_common_format(client, org):
    response = client.get(f"{URL}9.999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_english_time_limit_text(client, org):
    make_procedure("1.001022", amount=3, extension=5)
    body = client.get(f"{URL}1.001022", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (
        body["time_limit"]["text"] == "3 working days; up to 5 more working days when verification is needed"
    )


def _many(n, prefix="8"):
    field = make_field()
    for i in range(n):
        make_procedure(f"{prefix}.{i:06d}", name=f"Thủ tục thử {i}", field=field, with_process=False)


def test_list_and_detail_queries_do_not_grow_with_rows(client, org, django_assert_max_num_queries):
    _many(3)
    with django_assert_max_num_queries(4) as small:
        assert client.get(URL).status_code == 200
    _many(30, prefix="7")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(URL).json()["items"]) == 33
    with django_assert_max_num_queries(8):
        assert client.get(f"{URL}8.000001").status_code == 200


def test_detail_links_the_blank_form(client, org):
    procedure = make_procedure()
    path = attach_blank_form(procedure.components.get())
    body = client.get(f"{URL}{procedure.code}").json()
    assert body["components"][0]["blank_form_url"] == path
