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
