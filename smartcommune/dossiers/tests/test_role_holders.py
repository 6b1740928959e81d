"""Who may take a dossier's next step: the candidates of the forward form and of auto-assignment."""

from smartcommune.directory.factories import make_official
from smartcommune.directory.models import RoleGrant
from smartcommune.dossiers.selectors import role_holder_list, role_holders


def test_holders_on_the_unit_and_through_an_ancestors_subtree_only(org):
    on_unit = org.specialist  # a specialist of Mường Đun
    province_wide = make_official(org.province, "specialist", username="chuyenvien_tinh")
    province_only = make_official(org.province, "specialist", include_subtree=False, username="chuyenvien_so")
    make_official(org.phin_ho, "specialist", username="chuyenvien_phinho")  # another commune
    make_official(org.ban_a, "specialist", username="chuyenvien_ban")  # below the unit, not above
    gone = make_official(org.muong_dun, "specialist", username="da_nghi", is_active=False)
    # Two grants that both qualify still make one candidate.
    RoleGrant.objects.create(user=on_unit, role=on_unit.grants.get().role, org_unit=org.province)

    holders = list(role_holders("specialist", org.muong_dun))
    assert role_holder_list("specialist", org.muong_dun) == holders  # the page's prepared read

    assert holders == sorted([on_unit, province_wide], key=lambda u: (u.full_name, u.pk))
    assert province_only not in holders and gone not in holders
    assert list(role_holders("specialist", org.province)) == sorted(
        [on_unit, province_wide, province_only], key=lambda u: (u.full_name, u.pk)
    )
    assert list(role_holders("commune_leader", org.ban_a)) == [org.leader]  # the commune's, inherited
    assert role_holder_list("commune_leader", org.ban_a) == [org.leader]  # another depth, another read
    elsewhere = role_holder_list("specialist", org.phin_ho)
    assert elsewhere == list(role_holders("specialist", org.phin_ho))
    assert "chuyenvien_phinho" in {u.username for u in elsewhere} and province_only not in elsewhere
