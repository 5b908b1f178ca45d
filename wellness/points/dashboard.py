"""The wellness panel of the resident's portal dashboard (asahikawa.views.dashboard asks each area)."""
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import HealthRecord, Participant


def panel(request):
    # The participant and today's steps in one query.
    today = HealthRecord.objects.filter(user=OuterRef("user"), day=timezone.localdate())
    participant = (Participant.objects.filter(user=request.user)
                   .annotate(today_steps=Subquery(today.values("steps")[:1])).first())
    return {"template": "wellness/_dashboard_panel.html", "participant": participant}
