import datetime

import pytest

from asahikawa.testing import TODAY, count_queries, days_ago
from wellness.points import services
from wellness.points.models import HealthRecord, Participant, Reward

from .factories import HealthRecordFactory, RewardFactory, StepsRuleFactory, fund

pytestmark = pytest.mark.django_db
URL = "/api/v1/wellness/records/"


@pytest.fixture
def api(resident, api_client_for):
    services.participant_consent(user=resident)
    return api_client_for(resident)


def batch(days=30, steps=6000):
    return {"records": [{"date": days_ago(n).isoformat(), "steps": steps + n, "weight_kg": "60.5"} for n in range(days)]}


def test_consent_through_the_api(other_resident, api_client_for):
    client = api_client_for(other_resident)
    response = client.post(URL, batch(1), format="json")
    assert response.status_code == 403 and set(response.json()) == {"message", "extra"}
    assert client.post("/api/v1/wellness/consent/", {"consent": False}, format="json").status_code == 400
    response = client.post("/api/v1/wellness/consent/", {"consent": True}, format="json")
    assert response.status_code == 200 and Participant.objects.filter(user=other_resident).exists()
    assert client.post(URL, batch(1), format="json").status_code == 200


def test_batch_upsert_is_idempotent(api, resident):
    first = api.post(URL, batch(30), format="json")
    assert first.status_code == 200, first.json()
    assert first.json() == {"created": 30, "updated": 0, "unchanged": 0}
    again = api.post(URL, batch(30), format="json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 30}
    assert HealthRecord.objects.filter(user=resident, steps_source="app").count() == 30


def test_batch_of_366_days_is_accepted_and_367_refused(api):
    assert api.post(URL, batch(366), format="json").status_code == 200
    response = api.post(URL, {"records": batch(367)["records"][:366] + [{"date": "2020-01-01", "steps": 1}]}, format="json")
    assert response.status_code == 400


def test_bad_values_answer_400_field_by_field_and_write_nothing(api, resident):
    records = batch(3)["records"]
    records[1].update(steps=100_001)
    records[2].update(systolic=80, diastolic=90)
    response = api.post(URL, {"records": records}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and "steps" in body["extra"]["fields"]["records"]["1"]
    assert "systolic" in body["extra"]["fields"]["records"]["2"]
    assert not HealthRecord.objects.filter(user=resident).exists()


def test_future_and_duplicate_days_are_refused(api):
    future = {"records": [{"date": (TODAY + datetime.timedelta(days=1)).isoformat(), "steps": 1}]}
    assert api.post(URL, future, format="json").status_code == 400
    twice = {"records": [{"date": TODAY.isoformat(), "steps": 1}, {"date": TODAY.isoformat(), "steps": 2}]}
    assert api.post(URL, twice, format="json").status_code == 400


def test_list_is_own_records_only_with_date_filters(api, resident, other_resident):
    api.post(URL, batch(10), format="json")
    services.participant_consent(user=other_resident)
    HealthRecordFactory(user=other_resident, day=days_ago(2), steps=77777)
    body = api.get(URL, {"date_from": days_ago(4).isoformat(), "date_to": days_ago(2).isoformat()}).json()
    assert [r["date"] for r in body["results"]] == [days_ago(n).isoformat() for n in (2, 3, 4)]
    assert all(r["steps"] != 77777 for r in body["results"])
    assert body["results"][0]["steps_source"] == "app"


def test_list_query_count_does_not_grow_with_rows(api, resident):
    api.post(URL, batch(5), format="json")
    with count_queries() as small:
        api.get(URL)
    assert 1 <= len(small) <= 4
    api.post(URL, batch(100), format="json")
    with count_queries() as large:
        assert len(api.get(URL).json()["results"]) == 50
    assert len(large) == len(small)


def test_points_balance_and_ledger(api, resident):
    StepsRuleFactory()
    api.post(URL, batch(3, steps=5000), format="json")
    services.points_settle()
    body = api.get("/api/v1/wellness/points/").json()
    assert body["balance"] == 10  # days_ago(1) and (2): 5 points each; today is not settled yet
    assert sorted(e["points"] for e in body["ledger"]) == [5, 5]


def test_rewards_and_redeem(api, resident):
    fund(resident, 150)
    reward = RewardFactory(cost=100, stock=1)
    RewardFactory(valid_until=days_ago(1), valid_from=days_ago(9))  # out of period: not listed
    listed = api.get("/api/v1/wellness/rewards/").json()["results"]
    assert [r["id"] for r in listed] == [reward.pk]
    response = api.post(f"/api/v1/wellness/rewards/{reward.pk}/redeem/")
    assert response.status_code == 201 and response.json()["code"]
    again = api.post(f"/api/v1/wellness/rewards/{reward.pk}/redeem/")
    assert again.status_code == 400 and again.json()["extra"]["code"] == "insufficient_points"
    assert api.post("/api/v1/wellness/rewards/999999/redeem/").status_code == 404
    vouchers = api.get("/api/v1/wellness/vouchers/").json()["results"]
    assert [v["code"] for v in vouchers] == [response.json()["code"]]
    assert Reward.objects.get(pk=reward.pk).stock == 0


def test_another_resident_cannot_read_or_write_records_by_guessing(api, resident, other_resident, api_client_for):
    api.post(URL, batch(3), format="json")
    outsider = api_client_for(other_resident)
    services.participant_consent(user=other_resident)
    assert outsider.get(URL).json()["results"] == []
    assert outsider.get("/api/v1/wellness/vouchers/").json()["results"] == []
    # writing the same days creates the outsider's own records and leaves the resident's alone
    outsider.post(URL, {"records": [{"date": days_ago(1).isoformat(), "steps": 1}]}, format="json")
    assert HealthRecord.objects.get(user=resident, day=days_ago(1)).steps == 6001
    # there is no URL with a record id in the API at all
    assert outsider.get(f"{URL}{HealthRecord.objects.filter(user=resident).first().pk}/").status_code == 404


def test_anonymous_is_refused(client):
    assert client.get(URL).status_code == 401
    assert client.get("/api/v1/wellness/points/").status_code == 401


def test_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/wellness/records/", "/api/v1/wellness/points/", "/api/v1/wellness/rewards/",
                 "/api/v1/wellness/rewards/{id}/redeem/"):
        assert path in schema
