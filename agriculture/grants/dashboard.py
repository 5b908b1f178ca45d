"""The subsidy panel of the resident's dashboard: their applications by status (one query)."""
from django.db.models import Count

from .models import Application, Status

NEEDS_THE_APPLICANT = (Status.DRAFT, Status.RETURNED, Status.APPROVED)


def panel(request):
    counts = dict(Application.objects.filter(applicant=request.user).values_list("status")
                  .annotate(n=Count("id")).order_by())
    return {
        "template": "grants/_dashboard_panel.html",
        "counts": [(Status(value).label, counts[value]) for value in Status.values if counts.get(value)],
        "action_needed": sum(counts.get(value, 0) for value in NEEDS_THE_APPLICANT),
    }
