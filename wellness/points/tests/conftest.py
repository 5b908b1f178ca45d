"""Fixtures of the step points' tests. Every test here runs with the clock at
asahikawa.testing.FIXED_NOW (its TODAY, YESTERDAY and days_ago() are the portal's days)."""
import pytest

from conftest import client_for
from wellness.points import services


@pytest.fixture(autouse=True)
def _clock(fixed_now):
    return fixed_now


@pytest.fixture
def participant(resident):
    """The resident, having consented to the handling of their health data."""
    return services.participant_consent(user=resident)


@pytest.fixture
def web(participant):
    """The participant's signed-in client."""
    return client_for(participant.user)
