"""Schemathesis fuzzes every operation of /api/schema/ in-process (WSGI): no 5xx, and every
response (status, content type, body) as the schema says. New endpoints are fuzzed automatically."""
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from asahikawa.notifications.services import notify

# In CI the examples are derandomized (the same every run), so a landing never hinges on luck;
# locally they are random, so that new inputs keep being tried.
DERANDOMIZE = os.environ.get("CI") == "true"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """As Django's test client does: a request must not close the test's database connection
    (the WSGI requests here fire request_started/finished, which close_old_connections listens to)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(resident):
    from asahikawa.accounts.devices import device_sign_in

    notify(user_ids=[resident.pk], kind="account", title="fuzz")
    return device_sign_in(user=resident, name="fuzz")[1]


# Loaded at collection (pytest-django has set Django up by then); fetching the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
def test_api_answers_the_public_as_its_schema_says(case, db):
    case.call_and_validate(checks=CHECKS)
