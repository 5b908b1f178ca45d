import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The cache outlives a test's rolled-back transaction (and Redis outlives the run)."""
    cache.clear()
    yield
    cache.clear()
