from datetime import date
from urllib.parse import urlencode

import pytest

from smartcommune.workdays import services

URL = "/api/v1/workdays/due"


def get(client, **params):
    return client.get(f"{URL}?{urlencode(params)}")


def test_the_marital_status_example_without_signing_in(client, org):
    response = get(client, start="2026-08-13T10:20:00+07:00", amount=3, unit="working_days")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "due_at": "2026-08-18T10:20:00+07:00",
        "deemed_received_at": "2026-08-13T10:20:00+07:00",
        "amount": 3,
        "unit": "working_days",
        "channel": "counter",
        "calendar": "000.00.00.H18",
    }


def test_online_in_the_last_hour(client, org):
    body = get(
        client, start="2026-08-20T16:30:00+07:00", amount=3, unit="working_days", channel="online"
    ).json()
    assert body["deemed_received_at"] == "2026-08-21T07:30:00+07:00"
    assert body["due_at"] == "2026-08-25T16:30:00+07:00"


def test_same_day_needs_no_amount(client, org):
    body = get(client, start="2026-08-28T15:40:00+07:00", unit="same_day").json()
    assert body["due_at"] == "2026-09-03T17:00:00+07:00"
    assert body["amount"] == 0


def test_working_hours(client, org):
    body = get(client, start="2026-02-13T16:00:00+07:00", amount=8, unit="working_hours").json()
    assert body["due_at"] == "2026-02-23T16:30:00+07:00"


@pytest.mark.parametrize(
    "start",
    [
        "2026-08-13T10:20:00",  # naive: Vietnam's local time
        "2026-08-13T03:20:00Z",
        "2026-08-13T03:20:00+00:00",
        "2026-08-13T10:20:00+07:00",  # unescaped in the URL: the "+" arrives as a space
    ],
)
def test_start_in_any_zone_answers_in_vietnam_time(client, org, start):
    response = client.get(f"{URL}?start={start}&amount=3&unit=working_days")
    assert response.status_code == 200, response.content
    assert response.json()["due_at"] == "2026-08-18T10:20:00+07:00"


def test_unit_code_picks_the_calendar_of_the_units_province(client, org):
    calendar = services.calendar_get_or_create_for_province(province=org.province, actor=None)
    services.calendar_override_add(
        actor=None, calendar=calendar, date=date(2026, 8, 14), kind="extra_off", name="Bão", legal_ref="CĐ 1"
    )
    body = get(
        client, start="2026-08-13T10:20:00+07:00", amount=3, unit="working_days", unit_code="000.01.01.H18"
    ).json()
    assert body["due_at"] == "2026-08-19T10:20:00+07:00"
    assert body["calendar"] == "000.00.00.H18"


def test_the_answer_costs_few_queries(client, org, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = get(client, start="2026-08-13T10:20:00+07:00", amount=3, unit="working_days")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start": "13/08/2026 10:20", "amount": 3, "unit": "working_days"}, "ISO 8601"),
        ({"start": "2026-02-30T10:00:00", "amount": 3, "unit": "working_days"}, "ISO 8601"),
        ({"start": "1850-01-01T10:00:00", "amount": 3, "unit": "working_days"}, "1990"),
        ({"start": "2026-08-13T10:20:00", "amount": -1, "unit": "working_days"}, "whole number"),
        ({"start": "2026-08-13T10:20:00", "amount": "1.5", "unit": "working_days"}, "whole number"),
        ({"start": "2026-08-13T10:20:00", "amount": "ba", "unit": "working_days"}, "whole number"),
        ({"start": "2026-08-13T10:20:00", "amount": 366, "unit": "working_days"}, "at most 365"),
        ({"start": "2026-08-13T10:20:00", "amount": 2921, "unit": "working_hours"}, "at most 2920"),
        ({"start": "2026-08-13T10:20:00", "amount": "9" * 5000, "unit": "working_hours"}, "at most 2920"),
        ({"start": "2026-08-13T10:20:00", "unit": "working_days"}, "required"),
        (
            {"start": "2026-08-13T10:20:00", "amount": 3, "unit": "months"},
            "working_days, working_hours, same_day",
        ),
        (
            {"start": "2026-08-13T10:20:00", "amount": 3, "unit": "working_days", "channel": "post"},
            "counter, online",
        ),
        ({"amount": 3, "unit": "working_days"}, "start"),
    ],
)
def test_bad_parameters_answer_400_invalid_input(client, org, params, fragment):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = get(client, **params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert fragment in body["detail"]


def test_errors_are_in_vietnamese_by_default(client, org):
    response = get(client, start="2026-08-13T10:20:00", amount=-1, unit="working_days")

    assert response.status_code == 400
    assert "amount" in response.json()["detail"]
    assert response.json()["detail"] != _english_detail(client)


def _english_detail(client):
    return client.get(
        f"{URL}?start=2026-08-13T10:20:00&amount=-1&unit=working_days", HTTP_ACCEPT_LANGUAGE="en"
    ).json()["detail"]


def test_an_unknown_unit_code_answers_404(client, org):
    response = get(
        client, start="2026-08-13T10:20:00", amount=3, unit="working_days", unit_code="Xã-Mường-Ảo"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # UTF-8 on the wire, no \u escapes
    assert "Xã-Mường-Ảo" in response.content.decode("utf-8")
    assert b"\\u" not in response.content


def test_without_any_province_the_answer_is_404(client, db):
    response = get(client, start="2026-08-13T10:20:00", amount=3, unit="working_days")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
