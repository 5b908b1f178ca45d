import os

import pytest
from django.core.management import call_command

from community.circulars.models import Circular, Household, Kind, Post, Receipt

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_sample_associations_with_paper_households_answers_and_a_past_safety_check():
    call_command("load_demo", stdout=open(os.devnull, "w"))
    counts = (Household.objects.count(), Circular.objects.count(), Receipt.objects.count(), Post.objects.count())
    call_command("load_demo", stdout=open(os.devnull, "w"))  # idempotent
    assert (Household.objects.count(), Circular.objects.count(), Receipt.objects.count(), Post.objects.count()) == counts
    associations = set(Household.objects.values_list("association__name", flat=True))
    assert associations == {"永山3条町内会（サンプル）", "神楽岡2条町内会（サンプル）"}
    assert Household.objects.filter(paper_only=True).exists()
    assert all("サンプル" in name for name in Household.objects.values_list("name", flat=True))
    assert all(c.is_sample and "サンプル" in c.title for c in Circular.objects.all())
    assert Receipt.objects.exclude(answer="").count() > 10
    safety = Circular.objects.get(kind=Kind.SAFETY)
    assert safety.receipts.filter(answer="help").exists() and safety.published_at is not None
    assert all(p.is_sample and "サンプル" in p.title for p in Post.objects.all())
