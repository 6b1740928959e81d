import io
from datetime import UTC, datetime
from types import SimpleNamespace
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse

from smartcommune.audit import exports
from smartcommune.audit.factories import record_entries
from smartcommune.audit.models import AuditEntry
from smartcommune.directory.choices import UserKind
from smartcommune.directory.factories import UserFactory, make_official

pytestmark = pytest.mark.django_db

LIST, EXPORT = "/audit/", "/audit/export.xlsx"


@pytest.fixture
def trail(org):
    """One entry in each place the scope rule distinguishes."""
    return SimpleNamespace(
        commune_a=record_entries(
            actor=org.leader, action="orgunit.updated", org_unit=org.muong_dun, target=org.muong_dun
        )[0],
        village_a=record_entries(
            actor=org.officer, action="citizen.created", org_unit=org.ban_a, target=org.ban_a
        )[0],
        commune_b=record_entries(actor=org.other_leader, action="orgunit.updated", org_unit=org.phin_ho)[0],
        no_unit=record_entries(actor=org.province_admin, action="apitoken.created")[0],
    )


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {entry.pk for entry in response.context["page"]}


# --- who sees what -------------------------------------------------------------------------------


def test_commune_leader_sees_own_commune_and_its_villages_only(sign_in, org, trail):
    client = sign_in(org.leader)
    assert listed(client.get(LIST)) == {trail.commune_a.pk, trail.village_a.pk}
    assert client.get(f"/audit/{trail.commune_a.pk}/").status_code == 200
    assert client.get(f"/audit/{trail.village_a.pk}/").status_code == 200
    assert client.get(f"/audit/{trail.commune_b.pk}/").status_code == 404
    assert client.get(f"/audit/{trail.no_unit.pk}/").status_code == 404


def test_other_communes_leader_sees_only_theirs(sign_in, org, trail):
    assert listed(sign_in(org.other_leader).get(LIST)) == {trail.commune_b.pk}


def test_province_admin_with_subtree_sees_every_commune_but_not_unitless_entries(sign_in, org, trail):
    client = sign_in(org.province_admin)
    assert listed(client.get(LIST)) == {trail.commune_a.pk, trail.village_a.pk, trail.commune_b.pk}
    assert client.get(f"/audit/{trail.no_unit.pk}/").status_code == 404


def test_grant_without_subtree_covers_the_unit_only(sign_in, org, trail):
    leader = make_official(org.muong_dun, "commune_leader", include_subtree=False)
    assert listed(sign_in(leader).get(LIST)) == {trail.commune_a.pk}


def test_system_admin_also_sees_entries_without_a_unit(sign_in, org, trail):
    admin = make_official(org.province, "system_admin")
    client = sign_in(admin)
    assert listed(client.get(LIST)) == {e.pk for e in vars(trail).values()}
    assert client.get(f"/audit/{trail.no_unit.pk}/").status_code == 200


def test_superuser_sees_everything(sign_in, trail):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert listed(sign_in(root).get(LIST)) == {e.pk for e in vars(trail).values()}


@pytest.mark.parametrize("who", ["citizen", "no_role", "officer", "other_officer", "team_member", "clerk"])
@pytest.mark.parametrize("url", [LIST, EXPORT, "detail"])
def test_without_audit_view_everything_is_not_found(sign_in, org, trail, who, url):
    url = f"/audit/{trail.commune_a.pk}/" if url == "detail" else url
    assert sign_in(getattr(org, who)).get(url).status_code == 404


@pytest.mark.parametrize("url", [LIST, EXPORT, "detail"])
def test_anonymous_is_sent_to_sign_in(client, trail, url):
    url = f"/audit/{trail.commune_a.pk}/" if url == "detail" else url
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("directory:login") + "?next=")


def test_unknown_entry_is_not_found(sign_in, org, trail):
    assert sign_in(org.leader).get("/audit/999999/").status_code == 404


def test_the_trail_cannot_be_changed_through_the_screens(sign_in, org, trail):
    client = sign_in(org.leader)
    assert client.post(LIST).status_code == 405
    assert client.post(f"/audit/{trail.commune_a.pk}/").status_code == 405
    assert AuditEntry.objects.count() == 4


# --- filters -------------------------------------------------------------------------------------


def test_filter_by_action_prefix(sign_in, org, trail):
    client = sign_in(org.province_admin)
    assert listed(client.get(LIST, {"action": "orgunit."})) == {trail.commune_a.pk, trail.commune_b.pk}
    assert listed(client.get(LIST, {"action": "Citizen.Created"})) == {trail.village_a.pk}
    assert listed(client.get(LIST, {"action": "created"})) == set()  # a prefix, not a substring


def test_filter_by_actor_name_or_username(sign_in, org, trail):
    client = sign_in(org.province_admin)
    assert listed(client.get(LIST, {"actor": org.officer.username})) == {trail.village_a.pk}
    assert listed(client.get(LIST, {"actor": org.other_leader.full_name})) == {trail.commune_b.pk}


def test_a_citizens_identification_number_cannot_be_searched_as_a_username(sign_in, org, trail):
    # given an entry made by a citizen, whose username is their personal identification number
    entry = record_entries(actor=org.citizen, action="dossier.submitted", org_unit=org.ban_a)[0]
    client = sign_in(org.leader)

    # then their name finds it, their number does not
    assert listed(client.get(LIST, {"actor": org.citizen.full_name})) == {entry.pk}
    assert listed(client.get(LIST, {"actor": org.citizen.username})) == set()


def test_filter_by_target(sign_in, org, trail):
    client = sign_in(org.province_admin)
    by_type = client.get(LIST, {"target_type": "directory.orgunit"})
    assert listed(by_type) == {trail.commune_a.pk, trail.village_a.pk}
    by_id = client.get(LIST, {"target_type": "directory.orgunit", "target_id": str(org.ban_a.pk)})
    assert listed(by_id) == {trail.village_a.pk}


def test_filter_by_unit_includes_its_villages(sign_in, org, trail):
    client = sign_in(org.province_admin)
    assert listed(client.get(LIST, {"org_unit": org.muong_dun.pk})) == {
        trail.commune_a.pk,
        trail.village_a.pk,
    }
    assert listed(client.get(LIST, {"org_unit": org.phin_ho.pk})) == {trail.commune_b.pk}


def test_unit_choices_are_the_units_in_scope(sign_in, org, trail):
    form = sign_in(org.leader).get(LIST).context["form"]
    assert list(form.fields["org_unit"].queryset) == [org.muong_dun]


def _at(utc: datetime, **kwargs):
    with mock.patch("smartcommune.audit.services.timezone.now", return_value=utc):
        return record_entries(**kwargs)[0]


def test_dates_are_local_calendar_days(sign_in, org):
    # given one entry late on 1 March and one just after midnight, Vietnam time (UTC+7)
    late = _at(datetime(2026, 3, 1, 16, 30, tzinfo=UTC), org_unit=org.muong_dun)  # 23:30 on 1 March
    early = _at(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), org_unit=org.muong_dun)  # 00:30 on 2 March
    client = sign_in(org.leader)

    assert listed(client.get(LIST, {"date_from": "2026-03-01", "date_to": "2026-03-01"})) == {late.pk}
    assert listed(client.get(LIST, {"date_from": "2026-03-02"})) == {early.pk}
    assert listed(client.get(LIST, {"date_to": "2026-02-28"})) == set()
    body = client.get(LIST).content.decode()
    assert "2026-03-01 23:30:00" in body and "2026-03-02 00:30:00" in body


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "abc"}, "date_from"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_to": "0001-01-01"}, "date_to"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to"),
        ({"org_unit": "abc"}, "org_unit"),
        ({"org_unit": "999999"}, "org_unit"),
        ({"org_unit": "phin_ho"}, "org_unit"),  # exists, but outside the leader's scope
        ({"target_type": "nope.nope"}, "target_type"),
        ({"action": "x" * 101}, "action"),
        ({"target_id": "1" * 65}, "target_id"),
        ({"actor": "a\x00b"}, "actor"),
    ],
)
def test_malformed_filters_show_a_message_not_an_error(sign_in, org, trail, params, field):
    params = {k: (str(org.phin_ho.pk) if v == "phin_ho" else v) for k, v in params.items()}
    client = sign_in(org.leader)

    client.cookies["django_language"] = "en"  # pages follow the language switch, not the browser
    response = client.get(LIST, params)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert response.context["page"] is None
    body = response.content.decode()
    assert "Some filters are not valid" in body
    assert "is-invalid" in body
    # and the export refuses the same filters instead of exporting everything
    assert client.get(EXPORT, params).status_code == 400


@pytest.mark.parametrize("page_number", ["abc", "-1", "999", "1" * 50])
def test_odd_page_numbers_still_show_a_page(sign_in, org, trail, page_number):
    assert sign_in(org.leader).get(LIST, {"page": page_number}).status_code == 200


def test_pages_of_fifty_keep_the_filters(sign_in, org):
    record_entries(60, action="test.paged", org_unit=org.ban_b)
    client = sign_in(org.leader)
    first = client.get(LIST, {"action": "test."})
    assert len(first.context["page"]) == 50
    assert "?action=test.&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"action": "test.", "page": 2})
    assert len(second.context["page"]) == 10


# --- detail --------------------------------------------------------------------------------------


def test_detail_shows_data_and_both_hashes(sign_in, org):
    entry = record_entries(
        actor=org.leader, action="orgunit.updated", org_unit=org.muong_dun, data={"name": "Xã Mường Đun"}
    )[0]
    body = sign_in(org.leader).get(f"/audit/{entry.pk}/").content.decode()
    assert entry.hash in body and entry.prev_hash in body
    assert "&quot;name&quot;: &quot;Xã Mường Đun&quot;" in body


# --- personal identification numbers -------------------------------------------------------------


def test_full_identification_numbers_never_appear(sign_in, org):
    # given a citizen account without a name, and a careless entry carrying a full number in its data
    pid = "011090123456"
    nameless = UserFactory(username=pid, full_name="", kind=UserKind.CITIZEN)
    entry = record_entries(actor=nameless, target=nameless, org_unit=org.ban_a, data={"personal_id": pid})[0]
    client = sign_in(org.leader)

    for response in (client.get(LIST), client.get(f"/audit/{entry.pk}/")):
        body = response.content.decode()
        assert pid not in body
        assert "********3456" in body
    export = client.get(EXPORT)
    rows = _rows(export)
    assert pid not in repr(rows)
    assert rows[1][1] == rows[1][5] == "********3456"


# --- export --------------------------------------------------------------------------------------


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


def test_export_holds_the_filtered_entries_in_local_time(sign_in, org, trail):
    entry = _at(
        datetime(2026, 3, 1, 16, 30, tzinfo=UTC),
        actor=org.leader,
        action="test.exported",
        org_unit=org.muong_dun,
    )
    client = sign_in(org.province_admin)

    client.cookies["django_language"] = "en"
    rows = _rows(client.get(EXPORT, {"action": "test.exported"}))

    assert rows[0][:3] == ("Time", "Actor", "Action")
    assert len(rows) == 2
    assert rows[1][0] == datetime(2026, 3, 1, 23, 30)
    assert rows[1][1:3] == (org.leader.full_name, "test.exported")
    assert rows[1][6] == org.muong_dun.name
    assert rows[1][9:] == (entry.chain, entry.seq)


def test_export_without_filters_holds_the_whole_scope(sign_in, org, trail):
    rows = _rows(sign_in(org.leader).get(EXPORT))
    assert len(rows) == 1 + 2


def test_export_is_bounded(sign_in, org, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_MAX_ROWS", 3)
    record_entries(5, org_unit=org.muong_dun)
    client = sign_in(org.leader)
    client.cookies["django_language"] = "en"
    rows = _rows(client.get(EXPORT))
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][0] == "Only the first 3 entries were exported."


def test_export_writes_formulas_as_text(sign_in, org):
    record_entries(
        action="test.formula",
        org_unit=org.muong_dun,
        target=UserFactory(full_name='=HYPERLINK("http://x","y")'),
    )
    response = sign_in(org.leader).get(EXPORT)
    _rows(response)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=6)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_query_count_does_not_grow_with_rows(sign_in, org, django_assert_max_num_queries, url):
    client = sign_in(org.leader)
    record_entries(3, actor=org.leader, org_unit=org.muong_dun, target=org.ban_a)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url, {"action": "test."}).status_code == 200
    record_entries(80, actor=org.officer, org_unit=org.ban_b, target=org.ban_b)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"action": "test."}).status_code == 200
