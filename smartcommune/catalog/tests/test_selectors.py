from datetime import date

import pytest

from smartcommune.catalog.factories import make_procedure, make_process
from smartcommune.catalog.models import Procedure
from smartcommune.catalog.selectors import procedure_detail, procedure_fee_assess, procedure_list, process_for
from smartcommune.core.errors import NotFound

pytestmark = pytest.mark.django_db


def codes(qs):
    return [p.code for p in qs]


SEARCHES = [
    ("khai sinh", "1.001193"),
    ("Khai Sinh", "1.001193"),
    ("kết hôn", "1.000894"),
    ("ket hon", "1.000894"),
    ("chung thuc", "2.000815"),
    ("chứng thực bản sao", "2.000815"),
    ("  hôn   nhân  ", "1.004873"),
    ("1.0011", "1.001193"),
    ("thường trú", "1.004222"),
]


def test_search_ignores_accents_case_and_spacing(official):
    for q, expected in SEARCHES:
        assert expected in codes(procedure_list(q=q)), q


def test_every_word_must_match(official):
    found = codes(procedure_list(q="khai sinh lưu động"))
    assert found == ["1.003583"]


def test_nothing_matches_nonsense(official):
    assert codes(procedure_list(q="xyzzy")) == []


def test_filters_by_field_level_and_online_level(official):
    certification = codes(procedure_list(field="chung-thuc"))
    assert "2.000815" in certification and "1.001193" not in certification
    assert all(p.online_level == "none" for p in procedure_list(online_level="none"))
    assert codes(procedure_list(level="province")) == []


def test_inactive_procedures_are_listed_only_on_request(official):
    Procedure.objects.filter(code="1.001193").update(is_active=False)
    assert "1.001193" not in codes(procedure_list(q="khai sinh"))
    assert "1.001193" in codes(procedure_list(q="khai sinh", active_only=False))


def test_detail_loads_everything_in_a_few_queries(official, django_assert_num_queries):
    with django_assert_num_queries(6):
        procedure = procedure_detail("2.000815")
        assert [c.order for c in procedure.components.all()] == [1, 2]
        assert procedure.fee_rules.all()[0].cap == 200_000
        list(procedure.fee_exemptions.all())
        assert next(s.role.code for s in procedure.processes.all()[0].steps.all()) == "one_stop_officer"


def test_unknown_code_is_not_found(official):
    with pytest.raises(NotFound):
        procedure_detail("9.999999")


def test_process_for_prefers_the_nearest_unit_then_the_province_default(org, django_assert_num_queries):
    procedure = make_procedure()
    default = procedure.processes.get()
    communal = make_process(procedure, org_unit=org.muong_dun)
    with django_assert_num_queries(2):
        chosen = process_for(procedure, org.ban_a)
        assert next(s.role.code for s in chosen.steps.all()) == "one_stop_officer"
    assert chosen == communal
    assert process_for(procedure, org.muong_dun) == communal
    assert process_for(procedure, org.phin_ho) == default
    assert process_for(procedure, None) == default


def test_a_procedure_read_with_its_processes_chooses_among_them_the_same_way(org, django_assert_num_queries):
    procedure = make_procedure(code="1.000900")
    default = procedure.processes.get()
    communal = make_process(procedure, org_unit=org.muong_dun)
    loaded = procedure_detail("1.000900")  # as intake reads it
    with django_assert_num_queries(0):
        chosen = process_for(loaded, org.ban_a)
        assert next(s.role.code for s in chosen.steps.all()) == "one_stop_officer"
        assert [process_for(loaded, unit) for unit in (org.muong_dun, org.phin_ho, None)] == [
            communal,
            default,
            default,
        ]
    assert chosen == communal


def test_no_process_at_all_is_none(org):
    assert process_for(make_procedure(with_process=False), org.muong_dun) is None


def test_fee_assessment_over_stored_rules(official):
    procedure = procedure_detail("2.000815")
    result = procedure_fee_assess(procedure, on=date(2026, 8, 13), channel="counter", pages=3, copies=2)
    assert result.total == 10_000
