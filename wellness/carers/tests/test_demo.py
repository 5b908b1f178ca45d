"""The demo: sample agencies and a sample case in each state, with visits, all labeled as sample."""

import os

import pytest
from django.core.management import call_command

from asahikawa.accounts.models import HelperAgency
from asahikawa.testing import body_text
from conftest import client_for

from ..models import Case, Status, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sample_case_in_each_state_with_visits(make_staff):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert not Case.objects.filter(is_sample=False).exists()
    assert HelperAgency.objects.filter(is_sample=True, carer_rate__isnull=False).count() == 2
    assert set(Visit.objects.values_list("state", flat=True)) == {"scheduled", "done", "cancelled"}
    assert all("サンプル" in name for name in Case.objects.values_list("guardian_name", flat=True))
    count = Visit.objects.count()
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert Visit.objects.count() == count
    staff = make_staff("child_welfare")
    page = body_text(client_for(staff).get("/wellness/carers/staff/?status=all"))
    assert page.count("サンプル") >= Case.objects.count()
