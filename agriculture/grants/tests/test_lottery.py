"""The lottery of an oversubscribed program: drawn once, after the window, within the quota, and
the same seed always gives the same result."""
import datetime
import hashlib

import pytest
from django.utils import timezone

from agriculture.grants import services
from agriculture.grants.models import Application, LotteryDraw, Program, Status, StatusChange
from asahikawa.errors import ApplicationError
from asahikawa.notifications.models import Notification

from .factories import ProgramFactory, application_in

pytestmark = pytest.mark.django_db
NUMBERS = [f"R5-SOLAR-{n:06d}" for n in range(1, 31)]


def test_the_same_seed_gives_the_same_ranking_whatever_the_order_of_the_list():
    first = services.lottery_ranking("seed-1", NUMBERS)
    assert services.lottery_ranking("seed-1", list(reversed(NUMBERS))) == first
    assert services.lottery_ranking("seed-1", NUMBERS) == first
    assert sorted(first) == NUMBERS
    assert services.lottery_ranking("seed-2", NUMBERS) != first  # another seed, another order


def test_the_ranking_is_the_documented_hash_order():
    expected = sorted(NUMBERS, key=lambda n: hashlib.sha256(f"seed-1:{n}".encode()).hexdigest())
    assert services.lottery_ranking("seed-1", NUMBERS) == expected


def _closed_lottery(resident, other_resident, staff, *, count=8, max_grants=5, budget=None):
    program = ProgramFactory(selection="lottery", max_grants=max_grants, budget=budget)
    applications = [application_in(Status.SUBMITTED, program, (resident, other_resident)[i % 2], staff,
                                   costs=(100_000 * (i + 1),)) for i in range(count)]
    Program.objects.filter(pk=program.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    return program, applications


def test_a_draw_selects_within_the_quota_and_rejects_the_others(resident, other_resident, make_staff,
                                                               django_capture_on_commit_callbacks):
    staff = make_staff("agriculture")
    program, applications = _closed_lottery(resident, other_resident, staff)
    with django_capture_on_commit_callbacks(execute=True):
        draw = services.lottery_draw(program_id=program.pk, actor=staff, seed="fixed-seed")
    numbers = sorted(a.receipt_number for a in applications)
    assert draw.ranking == services.lottery_ranking("fixed-seed", numbers)
    assert draw.winners == draw.ranking[:5]
    won = Application.objects.filter(program=program, lottery_won=True)
    assert sorted(won.values_list("receipt_number", flat=True)) == sorted(draw.ranking[:5])
    assert set(won.values_list("status", flat=True)) == {Status.SUBMITTED}
    lost = Application.objects.filter(program=program, lottery_won=False)
    assert lost.count() == 3 and set(lost.values_list("status", flat=True)) == {Status.REJECTED}
    assert StatusChange.objects.filter(application__in=lost, to_status=Status.REJECTED, actor=None).count() == 3
    ranks = dict(Application.objects.filter(program=program).values_list("receipt_number", "lottery_rank"))
    assert [ranks[n] for n in draw.ranking] == list(range(1, 9))
    assert Notification.objects.filter(kind="subsidy", title__contains="抽選").count() >= 2
    assert services.lottery_verify(draw)


def test_drawing_again_from_the_recorded_seed_gives_the_same_result(resident, other_resident, make_staff):
    """Undo a draw completely and draw again with the seed it recorded: the same ranks and winners."""
    staff = make_staff("agriculture")
    program, applications = _closed_lottery(resident, other_resident, staff, count=9, max_grants=4)
    before = {a.pk: a.status for a in applications}
    first = services.lottery_draw(program_id=program.pk, actor=staff)  # a random seed, recorded
    ranks = dict(Application.objects.filter(program=program).values_list("pk", "lottery_rank"))
    seed, ranking, winners = first.seed, first.ranking, first.winners
    first.delete()
    StatusChange.objects.filter(application__program=program, actor=None).delete()
    for pk, status in before.items():
        Application.objects.filter(pk=pk).update(status=status, lottery_rank=None, lottery_won=None)
    second = services.lottery_draw(program_id=program.pk, actor=staff, seed=seed)
    assert (second.ranking, second.winners) == (ranking, winners)
    assert dict(Application.objects.filter(program=program).values_list("pk", "lottery_rank")) == ranks


def test_a_draw_respects_the_budget(resident, other_resident, make_staff):
    staff = make_staff("agriculture")
    program, applications = _closed_lottery(resident, other_resident, staff, max_grants=None, budget=500_000)
    draw = services.lottery_draw(program_id=program.pk, actor=staff, seed="budget")
    won = Application.objects.filter(program=program, lottery_won=True)
    assert sum(won.values_list("requested_amount", flat=True)) <= 500_000
    assert won.count() == len(draw.winners) >= 1


def test_a_draw_only_after_the_window_only_once_only_for_lotteries(resident, other_resident, make_staff):
    staff = make_staff("agriculture")
    open_lottery = ProgramFactory(selection="lottery")
    with pytest.raises(ApplicationError) as caught:
        services.lottery_draw(program_id=open_lottery.pk, actor=staff)
    assert caught.value.code == "out_of_period"
    first_come = ProgramFactory(closes_on=timezone.localdate() - datetime.timedelta(days=1),
                                opens_on=timezone.localdate() - datetime.timedelta(days=9))
    with pytest.raises(ApplicationError):
        services.lottery_draw(program_id=first_come.pk, actor=staff)
    program, _applications = _closed_lottery(resident, other_resident, staff)
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied: another department)
        services.lottery_draw(program_id=program.pk, actor=make_staff("child_welfare"))
    services.lottery_draw(program_id=program.pk, actor=staff)
    with pytest.raises(ApplicationError) as caught:
        services.lottery_draw(program_id=program.pk, actor=staff)
    assert caught.value.code == "not_allowed_now"
    assert LotteryDraw.objects.filter(program=program).count() == 1


def test_approval_of_a_lottery_program_waits_for_the_draw_and_takes_only_winners(resident, other_resident, make_staff):
    staff = make_staff("agriculture")
    program = ProgramFactory(selection="lottery", max_grants=1)
    first = application_in(Status.UNDER_REVIEW, program, resident, staff)
    second = application_in(Status.UNDER_REVIEW, program, other_resident, staff)
    with pytest.raises(ApplicationError) as caught:
        services.application_approve(application_id=first.pk, actor=staff)
    assert "抽選" in caught.value.message
    Program.objects.filter(pk=program.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    draw = services.lottery_draw(program_id=program.pk, actor=staff, seed="one")
    winner = Application.objects.get(receipt_number=draw.winners[0])
    services.application_approve(application_id=winner.pk, actor=staff)
    loser = first if winner.pk == second.pk else second
    loser.refresh_from_db()
    assert loser.status == Status.REJECTED
