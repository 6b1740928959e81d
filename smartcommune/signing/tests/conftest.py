import pytest

from smartcommune.signing.factories import make_pki, sample_pdf


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pki(org):
    return make_pki(org)


@pytest.fixture
def unsigned_pdf():
    return sample_pdf()[0]


@pytest.fixture
def anchors():
    return sample_pdf()[1]


@pytest.fixture
def tsa(pki, settings):
    """A local RFC 3161 TSA, configured as the platform's."""
    from smartcommune.signing.choices import CertificateKind
    from smartcommune.signing.factories import LocalTsa
    from smartcommune.signing.services import certificate_issue

    cert = certificate_issue(
        actor=None, issuer=pki.issuing, kind=CertificateKind.TSA, org_unit=pki.root.org_unit
    )
    server = LocalTsa(cert)
    settings.SIGNING = {**settings.SIGNING, "TSA_URL": server.url}
    yield server
    server.close()
