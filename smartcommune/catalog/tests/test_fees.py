"""Fee assessment: pure, on plain values (no database)."""

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcommune.catalog.errors import UnknownExemption
from smartcommune.catalog.fees import FeeSchedule, assess_fees, per_copy_amount
from smartcommune.core.errors import InvalidInput

DAY = date(2026, 8, 13)


@dataclass
class Rule:
    name: str
    kind: str
    amount: int
    pk: int | None = None
    amount_online: int | None = None
    tier_pages: int = 0
    next_amount: int = 0
    cap: int | None = None
    legal_ref: str = "Thông tư 226/2016/TT-BTC"
    effective_from: date | None = None
    effective_to: date | None = None


@dataclass
class Exemption:
    code: str
    reason: str
    legal_ref: str


COPY = Rule("Phí chứng thực bản sao", "per_page", 2_000, pk=1, tier_pages=2, next_amount=1_000, cap=200_000)
RESIDENCE = Rule("Lệ phí đăng ký thường trú", "fixed", 20_000, pk=2, amount_online=10_000)
SIGNATURE = Rule("Phí chứng thực chữ ký", "per_case", 10_000, pk=3)
POOR = Exemption("poor-household", "Người thuộc hộ nghèo", "Luật Hộ tịch 2014, Điều 11")


def test_three_page_original_two_copies_costs_ten_thousand():
    # given a 3-page original certified twice: (2 × 2,000 + 1,000) = 5,000 a copy
    result = assess_fees([COPY], on=DAY, channel="counter", pages=3, copies=2)
    # then
    assert result.total == 10_000
    (line,) = result.lines
    assert (line.rule_id, line.quantity, line.unit_amount, line.amount) == (1, 2, 5_000, 10_000)
    assert result.exempt_reason is None


def test_three_hundred_pages_are_capped_at_two_hundred_thousand_a_copy():
    result = assess_fees([COPY], on=DAY, channel="counter", pages=300, copies=1)
    assert result.total == 200_000
    assert assess_fees([COPY], on=DAY, channel="counter", pages=300, copies=3).total == 600_000


def test_residence_is_cheaper_online_and_post_pays_the_counter_rate():
    assert assess_fees([RESIDENCE], on=DAY, channel="counter").total == 20_000
    assert assess_fees([RESIDENCE], on=DAY, channel="online").total == 10_000
    assert assess_fees([RESIDENCE], on=DAY, channel="post").total == 20_000


def test_signature_certification_is_per_case():
    assert assess_fees([SIGNATURE], on=DAY, channel="counter", cases=3).total == 30_000


def test_only_rules_in_force_on_the_day_count():
    old = Rule("Cũ", "fixed", 7_000, pk=4, effective_to=date(2025, 12, 31))
    new = Rule("Mới", "fixed", 9_000, pk=5, effective_from=date(2026, 1, 1))
    assert assess_fees([old, new], on=date(2025, 12, 31), channel="counter").total == 7_000
    assert assess_fees([old, new], on=date(2026, 1, 1), channel="counter").total == 9_000


def test_an_exemption_keeps_the_lines_at_zero_with_its_reason():
    schedule = FeeSchedule(rules=(RESIDENCE,), exemptions=(POOR,))
    result = assess_fees(schedule, on=DAY, channel="counter", exemption_code="poor-household")
    assert result.total == 0
    assert [(line.quantity, line.amount) for line in result.lines] == [(1, 0)]
    assert result.exempt_reason == "Người thuộc hộ nghèo"
    assert result.exempt_legal_ref == "Luật Hộ tịch 2014, Điều 11"
    assert result.waived == 20_000


def test_an_exemption_the_procedure_lacks_is_refused():
    with pytest.raises(UnknownExemption):
        assess_fees(FeeSchedule((RESIDENCE,), (POOR,)), on=DAY, channel="counter", exemption_code="vip")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"channel": "fax"},
        {"channel": "counter", "pages": -1},
        {"channel": "counter", "copies": 1.5},
        {"channel": "counter", "cases": True},
        {"channel": "counter", "pages": 10**9},
    ],
)
def test_bad_input_is_refused(kwargs):
    with pytest.raises(InvalidInput):
        assess_fees([COPY], on=DAY, **kwargs)


def test_no_rules_means_free():
    result = assess_fees([], on=DAY, channel="online")
    assert (result.lines, result.total) == ([], 0)


# --- properties ------------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=500_000)
per_page_rules = st.builds(
    Rule,
    name=st.just("Theo trang"),
    kind=st.just("per_page"),
    amount=amounts,
    tier_pages=st.integers(min_value=0, max_value=50),
    next_amount=amounts,
    cap=st.none() | amounts,
)
any_rules = st.lists(
    per_page_rules
    | st.builds(Rule, name=st.just("Cố định"), kind=st.sampled_from(["fixed", "per_case"]), amount=amounts,
                amount_online=st.none() | amounts),
    max_size=4,
)  # fmt: skip
pages = st.integers(min_value=0, max_value=2_000)
copies = st.integers(min_value=0, max_value=50)
channels = st.sampled_from(["counter", "online", "post"])


@given(rules=any_rules, pages=pages, copies=copies, cases=copies, channel=channels)
def test_total_is_never_negative_and_is_the_sum_of_the_lines(rules, pages, copies, cases, channel):
    result = assess_fees(rules, on=DAY, channel=channel, pages=pages, copies=copies, cases=cases)
    assert result.total >= 0
    assert result.total == sum(line.amount for line in result.lines)
    assert all(isinstance(line.amount, int) for line in result.lines)


@given(rule=per_page_rules, pages=pages)
def test_a_copy_never_costs_more_than_the_cap(rule, pages):
    if rule.cap is not None:
        assert per_copy_amount(rule, pages) <= rule.cap
        assert assess_fees([rule], on=DAY, channel="counter", pages=pages, copies=1).total <= rule.cap


@given(rules=any_rules, pages=pages, copies=copies, more=st.integers(min_value=0, max_value=100))
def test_more_pages_or_copies_never_cost_less(rules, pages, copies, more):
    base = assess_fees(rules, on=DAY, channel="counter", pages=pages, copies=copies).total
    assert assess_fees(rules, on=DAY, channel="counter", pages=pages + more, copies=copies).total >= base
    assert assess_fees(rules, on=DAY, channel="counter", pages=pages, copies=copies + more).total >= base


@given(rules=any_rules, pages=pages, copies=copies, channel=channels)
def test_an_exemption_always_gives_zero(rules, pages, copies, channel):
    schedule = FeeSchedule(tuple(rules), (POOR,))
    result = assess_fees(
        schedule, on=DAY, channel=channel, pages=pages, copies=copies, exemption_code="poor-household"
    )
    assert result.total == 0
    assert all(line.amount == 0 for line in result.lines)
