"""Test helpers: a local PKI for the `org` fixture's province, and signed sample PDFs."""

import functools
from types import SimpleNamespace

from .choices import CertificateKind
from .services import ca_create, certificate_issue


def make_pki(org) -> SimpleNamespace:
    """Root and issuing CA for the province, Mường Đun's agency certificate, the leader's."""
    root, issuing = ca_create(actor=None, province=org.province)
    agency = certificate_issue(
        actor=None, issuer=issuing, kind=CertificateKind.AGENCY, org_unit=org.muong_dun
    )
    leader = certificate_issue(
        actor=None,
        issuer=issuing,
        kind=CertificateKind.OFFICIAL,
        org_unit=org.muong_dun,
        owner_user=org.leader,
    )
    return SimpleNamespace(root=root, issuing=issuing, agency=agency, leader=leader)


@functools.cache
def sample_pdf() -> tuple[bytes, dict]:
    """The apology slip (two signature anchors' worth of layout), rendered once per process."""
    from smartcommune.documents import samples
    from smartcommune.documents.rendering import render_document

    rendered = render_document("documents/apology.html", samples.apology())
    return rendered.data, rendered.anchors
