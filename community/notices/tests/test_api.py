"""The smartphone app's notices: mine (urgent first), open once, public (no sign-in), in the schema."""

import pytest

from asahikawa.accounts.tests.factories import DistrictFactory
from community.notices.models import Open

from .factories import notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(resident):
    resident.profile.district = DistrictFactory(name="永山")
    resident.profile.save()
    return resident


def test_mine_urgent_first_and_open_once(api_client_for, local, other_resident):
    ordinary = notice(title="ふつう", everyone=True)
    urgent = notice(
        title="緊急",
        urgent=True,
        district_ids=[local.profile.district_id],
        easy_title="やさしい",
        easy_body="やさしい ぶん",
    )
    client = api_client_for(local)
    data = client.get("/api/v1/notices/mine/").json()
    assert [item["id"] for item in data["results"]] == [urgent.pk, ordinary.pk]
    assert data["results"][0]["easy"]["body"] == "やさしい ぶん" and data["results"][0]["opened"] is False
    assert client.post(f"/api/v1/notices/{urgent.pk}/open/").json() == {"first": True}
    assert client.post(f"/api/v1/notices/{urgent.pk}/open/").json() == {"first": False}
    assert Open.objects.filter(notice=urgent).count() == 1
    other = api_client_for(other_resident)
    assert [item["id"] for item in other.get("/api/v1/notices/mine/").json()["results"]] == [ordinary.pk]
    assert other.post(f"/api/v1/notices/{urgent.pk}/open/").status_code == 404


def test_public_notices_need_no_sign_in(api_client_for):
    public = notice(title="公開", public=True, everyone=True, category="event")
    notice(title="非公開", everyone=True)
    client = api_client_for(None)
    data = client.get("/api/v1/notices/public/").json()
    assert [item["title"] for item in data["results"]] == [public.title]
    assert client.get("/api/v1/notices/public/?category=snow").json()["results"] == []


def test_unsafe_markdown_is_inert_in_the_api(api_client_for):
    notice(title="x", body="<script>alert(1)</script>", public=True, everyone=True)
    item = api_client_for(None).get("/api/v1/notices/public/").json()["results"][0]
    assert "<script" not in item["body_html"]


def test_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/notices/mine/", "/api/v1/notices/{id}/open/", "/api/v1/notices/public/"):
        assert path in schema
