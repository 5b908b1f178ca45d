"""The API's platform endpoints: tokens for the app, the one error body, owner scoping."""
import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from asahikawa.accounts.tests.factories import PASSWORD
from asahikawa.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_app_gets_a_token_and_uses_it(resident):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"email": resident.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/me/").json()["email"] == resident.email
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("case", ["wrong_password", "unverified", "staff"])
def test_no_token_for_wrong_password_unverified_email_or_staff(case, resident, make_staff):
    user, password = resident, PASSWORD
    if case == "wrong_password":
        password = "nope-nope-nope"
    elif case == "unverified":
        EmailAddress.objects.filter(user=resident).update(verified=False)
    else:
        user = make_staff("finance")
    response = APIClient().post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["extra"]["fields"]["non_field_errors"]


def test_field_errors_come_in_the_one_error_body_in_japanese(resident, api_client_for):
    response = api_client_for(resident).patch("/api/v1/me/", {"birth_year": 1800, "language": "xx"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "入力内容に誤りがあります。"
    assert set(body["extra"]["fields"]) == {"birth_year", "language"}
    assert "生まれた年は" in body["extra"]["fields"]["birth_year"][0]
    resident.profile.refresh_from_db()
    assert resident.profile.birth_year is None


def test_errors_in_english_when_the_app_asks_for_english(resident, api_client_for):
    response = api_client_for(None).get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["message"] == "Authentication credentials were not provided."


@pytest.mark.parametrize(
    "method,url,status",
    [("get", "/api/v1/me/", 401), ("get", "/api/v1/no-such-thing/", 404), ("put", "/api/v1/me/", 405)],
)
def test_every_error_has_the_same_shape(method, url, status, resident, api_client_for):
    client = api_client_for(None if status == 401 else resident)
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert set(response.json()) == {"message", "extra"}


def test_another_users_notification_is_not_found(resident, other_resident, api_client_for):
    (theirs,) = notify(user_ids=[other_resident.pk], kind="account", title="theirs")
    (mine,) = notify(user_ids=[resident.pk], kind="account", title="mine")
    client = api_client_for(resident)
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    listed = client.get("/api/v1/notifications/").json()
    assert [item["id"] for item in listed["results"]] == [mine.pk]
    client.post("/api/v1/notifications/mark-read/", {"ids": [theirs.pk, mine.pk]}, format="json")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notification_list_query_count_does_not_grow(resident, api_client_for, django_assert_num_queries):
    client = api_client_for(resident)
    notify(user_ids=[resident.pk], kind="account", title="1")
    with django_assert_num_queries(3):  # token, count, page
        client.get("/api/v1/notifications/")
    for i in range(20):
        notify(user_ids=[resident.pk], kind="account", title=str(i))
    with django_assert_num_queries(3):
        client.get("/api/v1/notifications/")


def test_an_oversized_form_body_is_a_400_in_the_error_body(resident, api_client_for):
    fields = "&".join(f"f{i}=1" for i in range(1200))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = api_client_for(resident).post(
        "/api/v1/notifications/mark-read/", fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
