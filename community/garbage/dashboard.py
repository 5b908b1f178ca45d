"""The garbage panel of the resident's dashboard: tomorrow's collection in their district."""
import datetime

from django.utils import timezone

from . import selectors


def panel(request):
    district = selectors.default_district_for(request.user)
    if district is None:
        return {"template": "garbage/_dashboard_panel.html", "district": None}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    (day,) = selectors.days_between(district, tomorrow, tomorrow)
    return {"template": "garbage/_dashboard_panel.html", "district": district, "tomorrow": day}
