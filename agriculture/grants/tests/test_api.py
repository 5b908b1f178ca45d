"""The API: programs (public), the amount calculation (public), my applications (owner-scoped)."""
import pytest

from agriculture.grants.models import Status

from .factories import ProgramFactory, application_in, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(db):
    return ProgramFactory(max_grants=10, name_en="Smart farming")


def test_programs_are_public_with_formula_and_figures(program, api_client_for, resident, make_staff):
    application_in(Status.APPROVED, program, resident, make_staff("agriculture"), costs=(1_000_000,))
    response = api_client_for(None).get("/api/v1/grants/programs/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["formula"] == {"rate_numerator": 2, "rate_denominator": 10, "cap": 1_000_000, "rounding_unit": 1000,
                              "combined_numerator": 5, "combined_denominator": 10}
    assert row["figures"]["granted"] == 1 and row["figures"]["remaining_grants"] == 9
    assert len(row["questions"]) == 2 and row["is_open"] is True
    english = api_client_for(None).get(f"/api/v1/grants/programs/{program.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["name"] == "Smart farming"


def test_the_amount_calculation(program, api_client_for):
    client = api_client_for(None)
    response = client.post(f"/api/v1/grants/programs/{program.pk}/calculate/",
                           {"costs": [1_000_000], "national_subsidy": 400_000}, format="json")
    assert response.json() == {"eligible_cost": 1_000_000, "by_rate": 200_000, "cap": 1_000_000,
                               "combined_room": 100_000, "amount": 100_000, "limited_by": "combined"}
    bad = client.post(f"/api/v1/grants/programs/{program.pk}/calculate/", {"costs": [-5, "x"]}, format="json")
    assert bad.status_code == 400 and set(bad.json()["extra"]["fields"]) == {"costs"}
    assert bad.json()["message"] == "入力内容に誤りがあります。"
    assert client.post("/api/v1/grants/programs/999999/calculate/", {"costs": [1]}, format="json").status_code == 404


def test_my_applications_only(program, api_client_for, resident, other_resident, make_staff):
    mine = application_in(Status.SUBMITTED, program, resident, make_staff("agriculture"))
    theirs = draft(program, other_resident)
    client = api_client_for(resident)
    rows = client.get("/api/v1/grants/applications/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["receipt_number"] == mine.receipt_number and rows[0]["history"][0]["to_status"] == "submitted"
    assert client.get(f"/api/v1/grants/applications/{theirs.pk}/").status_code == 404
    assert api_client_for(None).get("/api/v1/grants/applications/").status_code == 401


def test_the_api_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/grants/programs/", "/api/v1/grants/programs/{id}/calculate/", "/api/v1/grants/applications/"):
        assert path in schema
