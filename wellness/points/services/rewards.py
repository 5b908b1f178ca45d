"""Rewards: points exchanged for vouchers, and staff cancelling an exchange."""
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError, ErrorCode

from ..models import EntryKind, LedgerEntry, Participant, Redemption, Reward
from .consent import participant_require


def _voucher_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def reward_redeem(*, user, reward_id: int) -> Redemption:
    """Exchange points for a reward. Two conditional UPDATEs (stock > 0, balance >= cost) backed by
    CHECK constraints: under any number of concurrent redemptions neither goes below zero."""
    participant_require(user)
    today = timezone.localdate()
    with transaction.atomic():
        reward = Reward.objects.filter(pk=reward_id).first()
        if reward is None:
            raise ApplicationError(_("特典が見つかりません。"), code=ErrorCode.NOT_FOUND)
        if not (reward.valid_from <= today <= reward.valid_until):
            raise ApplicationError(_("この特典は交換期間外です。"), code=ErrorCode.OUT_OF_PERIOD)
        paid = Participant.objects.filter(user=user, balance__gte=reward.cost).update(balance=F("balance") - reward.cost)
        if not paid:
            raise ApplicationError(_("ポイントが足りません。"), code=ErrorCode.INSUFFICIENT_POINTS)
        taken = Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1)
        if not taken:
            transaction.set_rollback(True)
            raise ApplicationError(_("この特典は在庫がありません。"), code=ErrorCode.OUT_OF_STOCK)
        redemption = Redemption.objects.create(user=user, reward=reward, code=_voucher_code(), points=reward.cost)
        LedgerEntry.objects.create(
            user=user, kind=EntryKind.REDEEM, points=-reward.cost, redemption=redemption,
            note=reward.name[:200], created_at=timezone.now(),
        )
    return redemption


@transaction.atomic
def redemption_cancel(*, redemption_id: int, actor) -> Redemption:
    """Staff cancel a redemption: a refund entry reverses the debit, and the stock comes back."""
    now = timezone.now()
    claimed = Redemption.objects.filter(pk=redemption_id, cancelled_at=None).update(cancelled_at=now, cancelled_by=actor)
    if not claimed:
        raise ApplicationError(_("この交換はすでに取り消されています。"), code=ErrorCode.NOT_ALLOWED_NOW)
    redemption = Redemption.objects.select_related("reward").get(pk=redemption_id)
    debit = LedgerEntry.objects.get(redemption=redemption, kind=EntryKind.REDEEM)
    LedgerEntry.objects.create(
        user_id=redemption.user_id, kind=EntryKind.REFUND, points=redemption.points, redemption=redemption,
        reverses=debit, note=redemption.reward.name[:200], created_at=now,
    )
    Participant.objects.filter(user_id=redemption.user_id).update(balance=F("balance") + redemption.points)
    Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
    access_log_record(actor=actor, action="change", obj=redemption, detail="redemption cancelled")
    return redemption
