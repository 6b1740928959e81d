"""The commune's leaders read what applicants said: feedback, complaints and dissatisfied ratings."""

import pytest

from smartcommune.catalog.factories import make_procedure
from smartcommune.directory.factories import CitizenFactory
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.models import Dossier
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive
from smartcommune.dossiers.services.online import dossier_feedback_send, dossier_rate

pytestmark = pytest.mark.django_db


def _dossier(org, unit, officer, n):
    procedure = make_procedure(fee=None)
    dossier = dossier_receive(
        actor=officer,
        org_unit=unit,
        procedure=procedure,
        citizen=CitizenFactory(home_unit=org.ban_a),
        components=[ComponentIn(procedure.components.get(), originals=1)],
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RETURNED)
    dossier.refresh_from_db()
    return dossier


def test_leaders_read_feedback_and_ratings_of_their_unit_in_bounded_queries(
    sign_in, org, django_assert_max_num_queries
):
    mine = [_dossier(org, org.muong_dun, org.officer, n) for n in range(12)]
    theirs = _dossier(org, org.phin_ho, org.other_officer, 99)
    for n, dossier in enumerate(mine):
        dossier_feedback_send(
            dossier=dossier, actor=org.citizen, kind="complaint", text=f"Chờ lâu quá <b>{n}</b>"
        )
        dossier_rate(
            dossier=dossier,
            actor=org.citizen,
            satisfied=n % 3 != 0,
            reason="" if n % 3 else "Thái độ chưa tốt",
        )
    dossier_feedback_send(dossier=theirs, actor=org.citizen, kind="feedback", text="Ở Phìn Hồ")

    leader = sign_in(org.leader)
    with django_assert_max_num_queries(14):
        page = leader.get("/dossiers/feedback/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "8 trên 12 người đã đánh giá hài lòng" in html
    assert html.count("Thái độ chưa tốt") == 4
    assert "Chờ lâu quá &lt;b&gt;11&lt;/b&gt;" in html  # the citizen's text is escaped
    assert "Ở Phìn Hồ" not in html and theirs.code not in html
    assert 'href="/dossiers/feedback/"' in leader.get("/dossiers/").content.decode()  # the tab


def test_officials_who_do_not_approve_have_no_feedback_page(sign_in, org):
    officer = sign_in(org.officer)
    assert officer.get("/dossiers/feedback/").status_code == 404
    assert 'href="/dossiers/feedback/"' not in officer.get("/dossiers/").content.decode()
