import pytest

from asahikawa.accounts.tests.factories import AssociationFactory
from community.circulars import services
from community.circulars.models import Receipt

from .factories import GroupFactory, HouseholdFactory, make_officer, member, publish

pytestmark = pytest.mark.django_db
API = "/api/v1/circulars"


@pytest.fixture
def family():
    association = AssociationFactory(name="永山テスト町内会")
    officer = make_officer(association)
    household = HouseholdFactory(group=GroupFactory(association=association, name="1班"), name="佐藤")
    return association, officer, member(household=household), member(household=household)


def test_my_associations(family, api_client_for):
    association, officer, me, _partner = family
    data = api_client_for(me.user).get(f"{API}/associations/").json()
    assert data == [{"association_id": association.pk, "association": "永山テスト町内会",
                     "district": association.district.name, "household": "佐藤", "group": "1班",
                     "joined_at": data[0]["joined_at"], "is_officer": False}]


def test_my_circulars_unread_first_open_and_answer(family, api_client_for):
    association, officer, me, partner = family
    old = publish(association, officer, title="古い", question="attendance", question_text="来ますか")
    new = publish(association, officer, title="新しい")
    client = api_client_for(me.user)
    services.circular_open(user=me.user, circular=new)
    listing = client.get(f"{API}/circulars/").json()
    assert [row["title"] for row in listing["results"]] == ["古い", "新しい"]  # unread first
    assert listing["results"][0]["read"] is False
    detail = client.get(f"{API}/circulars/{old.pk}/").json()
    assert detail["choices"] == [{"value": "attend", "label": "出席"}, {"value": "absent", "label": "欠席"}]
    assert Receipt.objects.get(circular=old).read_at is None  # reading the detail does not mark it
    opened = client.post(f"{API}/circulars/{old.pk}/open/").json()
    assert opened["first"] is True
    assert api_client_for(partner.user).post(f"{API}/circulars/{old.pk}/open/").json()["first"] is False
    bad = client.post(f"{API}/circulars/{old.pk}/answer/", {"answer": "attend"}, format="json")
    assert bad.status_code == 400 and "head_count" in bad.json()["extra"]["fields"]
    answered = client.post(f"{API}/circulars/{old.pk}/answer/", {"answer": "attend", "head_count": 2}, format="json")
    assert answered.status_code == 200 and answered.json()["answer_label"] == "出席"
    assert answered.json()["head_count"] == 2


def test_safety_check_answer_in_one_tap(family, api_client_for):
    association, officer, me, _partner = family
    check = services.safety_check_send(association=association, author=officer, title="地震")
    client = api_client_for(me.user)
    assert client.post(f"{API}/safety-checks/{check.pk}/answer/", {"answer": "fine"}, format="json").status_code == 400
    response = client.post(f"{API}/safety-checks/{check.pk}/answer/", {"answer": "help", "note": "水がない"}, format="json")
    assert response.status_code == 200 and response.json()["answer"] == "help"
    circular = publish(association, officer, title="ふつうの回覧", question="yes_no", question_text="?")
    assert client.post(f"{API}/safety-checks/{circular.pk}/answer/", {"answer": "safe"}, format="json").status_code == 404


def test_another_household_or_association_gets_404(family, api_client_for):
    association, officer, me, _partner = family
    circular = publish(association, officer, question="yes_no", question_text="?")
    for outsider in (member().user, officer):
        client = api_client_for(outsider)
        assert client.get(f"{API}/circulars/{circular.pk}/").status_code == 404
        assert client.post(f"{API}/circulars/{circular.pk}/open/").status_code == 404
        assert client.post(f"{API}/circulars/{circular.pk}/answer/", {"answer": "yes"}, format="json").status_code == 404
        assert client.get(f"{API}/circulars/").json()["results"] == []
    assert not Receipt.objects.filter(read_at__isnull=False).exists()


def test_the_circular_list_runs_a_fixed_number_of_queries(family, api_client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    association, officer, me, _partner = family
    client = api_client_for(me.user)
    publish(association, officer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{API}/circulars/")
        return len(captured)

    few = count()
    for n in range(15):
        publish(association, officer, title=str(n))
    assert count() == few
