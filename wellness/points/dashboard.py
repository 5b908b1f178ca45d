"""The wellness panel of the resident's portal dashboard (asahikawa.views.dashboard asks each area)."""
from django.utils import timezone

from .models import HealthRecord
from .selectors import participant_for


def panel(request):
    participant = participant_for(request.user)
    if participant is None:
        return {"template": "wellness/_dashboard_panel.html", "participant": None}
    today = HealthRecord.objects.filter(user=request.user, day=timezone.localdate()).first()
    return {"template": "wellness/_dashboard_panel.html", "participant": participant, "today": today}
