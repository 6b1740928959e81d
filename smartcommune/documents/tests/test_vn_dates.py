from datetime import UTC, date, datetime

import pytest

from smartcommune.documents.templatetags.vn_dates import (
    code_breaks,
    in_sentence,
    timeliness,
    vn_date,
    vn_datetime,
    vn_long_date,
    vn_time,
    vnd,
)


def test_vn_datetime_is_local_time_then_date():
    assert vn_datetime(datetime(2026, 8, 13, 3, 20, tzinfo=UTC)) == "10:20, 13/08/2026"


def test_vn_datetime_of_a_date_or_nothing():
    assert vn_datetime(date(2026, 8, 13)) == "13/08/2026"
    assert vn_datetime(None) == ""


def test_vn_date_and_time_follow_the_local_day():
    late_evening_utc = datetime(2026, 8, 13, 18, 30, tzinfo=UTC)  # 01:30 on the 14th in Vietnam
    assert (vn_date(late_evening_utc), vn_time(late_evening_utc)) == ("14/08/2026", "01:30")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 8, 13), "ngày 13 tháng 8 năm 2026"),
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),  # Decree 30: day < 10 and months 1, 2 padded
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
        (datetime(2026, 8, 12, 17, 30, tzinfo=UTC), "ngày 13 tháng 8 năm 2026"),
        (None, ""),
    ],
)
def test_vn_long_date(value, text):
    assert vn_long_date(value) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [(10000, "10.000 đồng"), (0, "0 đồng"), (1250000, "1.250.000 đồng"), (-5000, "-5.000 đồng"), (None, "")],
)
def test_vnd(amount, text):
    assert vnd(amount) == text


def test_in_sentence_lowers_only_the_administrative_word():
    assert in_sentence("Xã Mường Đun") == "xã Mường Đun"
    assert in_sentence("Phường Him Lam") == "phường Him Lam"
    assert in_sentence("Bản Thử A") == "Bản Thử A"


def test_timeliness_labels():
    assert [timeliness(v) for v in ("early", "on_time", "late", "", "Đúng hạn")] == [
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "",
        "Đúng hạn",
    ]


def test_code_breaks_escapes_then_allows_breaks_after_hyphens():
    assert code_breaks("000.01.00.H18-260813-0001") == "000.01.00.H18-<wbr>260813-<wbr>0001"
    assert code_breaks("<b>-") == "&lt;b&gt;-<wbr>"
