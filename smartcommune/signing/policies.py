"""Who may read the certificate registry: officials who may view people (`people.view`) see the
certificates of the units in their scope; nobody else sees the page (404). Those who manage the
people of a unit (`people.manage`) may revoke its certificates."""

from django.http import Http404

from smartcommune.directory import permissions as perms
from smartcommune.directory.policies import has_perm, unit_scope_q

from .choices import CertificateKind
from .models import Certificate


def certificate_qs_for(*, user):
    """Certificates whose unit is in `user`'s people.view scope; Http404 without that right."""
    if not user.is_authenticated or not has_perm(user, perms.PEOPLE_VIEW):
        raise Http404
    return Certificate.objects.filter(unit_scope_q(user, perms.PEOPLE_VIEW, field="org_unit"))


def can_revoke(user, certificate: Certificate) -> bool:
    """End-entity certificates only: revoking a CA invalidates everything it issued, which is left
    to the command line (manage.py signing_ca revoke)."""
    if certificate.kind in (CertificateKind.ROOT_CA, CertificateKind.ISSUING_CA):
        return False
    return has_perm(user, perms.PEOPLE_MANAGE, certificate.org_unit)
