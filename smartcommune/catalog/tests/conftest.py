import pytest

from smartcommune.catalog.services import catalog_load_official


@pytest.fixture
def official(org):
    """The official catalog, loaded by the system (as seed_demo does)."""
    return catalog_load_official(actor=None)
