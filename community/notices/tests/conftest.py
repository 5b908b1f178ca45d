import pytest

from asahikawa.accounts.tests.factories import DistrictFactory


@pytest.fixture
def district():
    return DistrictFactory(name="永山")


@pytest.fixture
def local(resident, district):
    """A resident of 永山 (notices sent to that district reach them)."""
    resident.profile.district = district
    resident.profile.save()
    return resident
