"""The shipped official catalog (DOMAIN.md §6.2, §7) is complete and consistent."""

from decimal import Decimal

from smartcommune.catalog.data import PROCEDURES, default_steps, official_bundle
from smartcommune.catalog.validation import bundle_errors, limit_hours
from smartcommune.directory.permissions import SYSTEM_ROLES

BY_CODE = {p.code: p for p in PROCEDURES}


def test_at_least_thirty_commune_procedures_with_unique_codes():
    assert len(PROCEDURES) >= 30
    assert len(BY_CODE) == len(PROCEDURES)
    assert all(p.level == "commune" for p in PROCEDURES)


def test_the_official_bundle_breaks_no_rule():
    assert bundle_errors(official_bundle(), role_codes={r.code for r in SYSTEM_ROLES}) == []


def test_every_procedure_has_components_and_a_default_process_that_fits():
    bundle = official_bundle()
    assert {p.procedure_code for p in bundle.processes} == set(BY_CODE)
    for process in bundle.processes:
        procedure = BY_CODE[process.procedure_code]
        assert procedure.components
        total = sum(s.duration_hours for s in process.steps)
        assert total == limit_hours(procedure.time_limit_unit, procedure.time_limit_amount)
        assert [s.role_code for s in process.steps] == [
            "one_stop_officer", "specialist", "commune_leader", "one_stop_officer",
        ]  # fmt: skip


def test_default_steps_for_same_day_and_three_days():
    assert [s.duration_hours for s in default_steps(8)] == [Decimal("0.5"), 6, 1, Decimal("0.5")]
    assert [s.duration_hours for s in default_steps(24)] == [2, 16, 4, 2]


def test_time_limits_from_the_laws():
    def limit(code):
        p = BY_CODE[code]
        return p.time_limit_unit, p.time_limit_amount, p.verification_extension_days

    assert limit("1.001193") == ("same_day", 0, 0)  # birth
    assert limit("1.000894") == ("same_day", 0, 5)  # marriage, +5 WD to verify
    assert limit("1.000656") == ("same_day", 0, 3)  # death, +3 WD
    assert limit("1.004873") == ("working_days", 3, 0)  # marital status
    assert limit("1.001022") == ("working_days", 3, 5)
    assert limit("2.001035") == ("working_days", 2, 0)  # contracts
    assert limit("1.004222") == ("working_days", 7, 0)  # permanent residence


def test_fees_from_circulars_226_2016_and_75_2022():
    (copy,) = BY_CODE["2.000815"].fees
    assert (copy.kind, copy.amount, copy.tier_pages, copy.next_amount, copy.cap) == (
        "per_page",
        2000,
        2,
        1000,
        200000,
    )
    (signature,) = BY_CODE["2.000884"].fees
    assert (signature.kind, signature.amount) == ("per_case", 10_000)
    assert BY_CODE["2.001035"].fees[0].amount == 50_000
    (residence,) = BY_CODE["1.004222"].fees
    assert (residence.amount, residence.amount_online) == (20_000, 10_000)
    (temporary,) = BY_CODE["1.004194"].fees
    assert (temporary.amount, temporary.amount_online) == (15_000, 7_000)


def test_civil_status_exemptions_of_art_11():
    birth = {e.code for e in BY_CODE["1.001193"].exemptions}
    assert {"on-time", "poor-household", "disability", "revolutionary-family"} <= birth
    assert [f.amount for f in BY_CODE["1.000894"].fees] == [0]  # marriage: free
    assert [f.amount for f in BY_CODE["1.004837"].fees] == [0]  # guardianship: free


def test_the_birth_declaration_form_is_named():
    forms = {c.form_code for c in BY_CODE["1.001193"].components}
    assert "Tờ khai đăng ký khai sinh" in forms
    assert all(c.accepted_types == ("pdf", "jpg", "png") for p in PROCEDURES for c in p.components)
