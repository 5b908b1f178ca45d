"""Bad JSON from anyone, signed in or not (issue 8, finding 3): deep nesting and oversized bodies
answer 4xx in the one error body, never a 500 (a RecursionError)."""
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("body", ["[" * 1000, "[" * 100_000, '{"a":' * 1000, "[" * 25 + "]" * 25])
def test_deeply_nested_json_is_a_400_without_signing_in(body):
    response = post(APIClient(), "/api/v1/auth/token/", body)
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


def test_deeply_nested_json_is_a_400_on_a_signed_in_endpoint(resident, api_client_for):
    response = post(api_client_for(resident), "/api/v1/notifications/mark-read/", '{"ids": ' + "[" * 5000)
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


def test_nesting_within_the_cap_is_read(resident, api_client_for):
    response = post(api_client_for(resident), "/api/v1/notifications/mark-read/", '{"ids": [1, 2]}')
    assert response.status_code == 200


def test_an_oversized_json_body_is_a_413_in_the_error_body(settings):
    body = '{"email": "' + "a" * (settings.PORTAL_API_MAX_JSON_BYTES + 10) + '", "password": "x"}'
    response = post(APIClient(), "/api/v1/auth/token/", body)
    assert response.status_code == 413
    assert set(response.json()) == {"message", "extra"}


@pytest.mark.parametrize("body", ["", "{", "NaN", '{"email": NaN}', "\xff"])
def test_other_broken_json_is_a_400(body):
    response = post(APIClient(), "/api/v1/auth/token/", body.encode("latin-1"))
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
