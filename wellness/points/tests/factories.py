import datetime

import factory
from django.utils import timezone

from asahikawa.accounts.tests.factories import UserFactory
from wellness.points.models import EntryKind, HealthRecord, LedgerEntry, Participant, PointRule, Reward, RuleKind


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    consented_at = factory.LazyFunction(timezone.now)


class HealthRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthRecord

    user = factory.SubFactory(UserFactory)
    day = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    steps = 8000
    steps_source = "web"


class StepsRuleFactory(factory.django.DjangoModelFactory):
    """The sample rule: 1 point per 1,000 steps, at most 10 a day."""

    class Meta:
        model = PointRule

    code = "steps"
    kind = RuleKind.STEPS
    name = "歩数ポイント"
    valid_from = datetime.date(2020, 1, 1)
    points = 1
    step_unit = 1000
    daily_cap = 10


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"特典{n}")
    partner = "協力店（サンプル）"
    cost = 100
    stock = 10
    valid_from = datetime.date(2020, 1, 1)
    valid_until = datetime.date(2099, 12, 31)


def fund(user, points):
    """Give a participant `points` to spend: a credit in the ledger (long settled) and the balance that matches it."""
    Participant.objects.filter(user=user).update(balance=points)
    LedgerEntry.objects.create(user=user, kind=EntryKind.CREDIT, points=points,
                               day=timezone.localdate() - datetime.timedelta(days=100), rule_code="test",
                               created_at=timezone.now())
