import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores files in its own folder, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
