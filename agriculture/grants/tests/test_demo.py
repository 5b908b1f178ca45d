"""The demo: the newsletter's FY2023 programs, the hearing-test claim, sample applications in every
status, a drawn lottery; invented values labeled as sample."""
import os

import pytest
from django.core.management import call_command

from agriculture.grants import services
from agriculture.grants.models import Application, LotteryDraw, Program, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_newsletter_programs_and_every_status():
    call_command("load_demo", stdout=open(os.devnull, "w"))
    programs = {p.code: p for p in Program.objects.filter(fiscal_year=2023)}
    assert {code: programs[code].max_grants for code in ("SOLAR", "COGEN", "BATTERY", "PELLET", "WOOD")} == {
        "SOLAR": 10, "COGEN": 22, "BATTERY": 25, "PELLET": 13, "WOOD": 22}
    assert programs["HOUSE"].cap == 800_000 and "cap" not in programs["HOUSE"].sample_values
    assert (programs["SMART"].rate_numerator, programs["SMART"].combined_numerator) == (2, 5)
    assert programs["HEARING"].department == "child_welfare" and "cap" in programs["HEARING"].sample_values
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values)
    assert not Application.objects.filter(is_sample=False).exists()
    assert services.lottery_verify(LotteryDraw.objects.get(program=programs["SOLAR"]))
    count = Application.objects.count()
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert Application.objects.count() == count
