"""The resident's consent to the handling of their health data: given once, required by every write."""
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.errors import ApplicationError, ErrorCode

from ..models import Participant


def participant_consent(*, user) -> Participant:
    """The resident's explicit consent, recorded once with its time (a second call keeps the first)."""
    participant, _created = Participant.objects.get_or_create(user=user, defaults={"consented_at": timezone.now()})
    return participant


def participant_require(user, *, lock=False) -> Participant:
    """The resident's consent, or ApplicationError. With lock=True (inside a transaction) the row is
    locked, so that an erasure running at the same moment waits, or is waited for."""
    query = Participant.objects.select_for_update() if lock else Participant.objects
    try:
        return query.get(user=user)
    except Participant.DoesNotExist:
        raise ApplicationError(
            _("健康情報の取扱いに同意すると記録できます。"), code=ErrorCode.CONSENT_REQUIRED
        ) from None
