"""The garbage panel of the resident's dashboard: tomorrow's collection in their district."""
import datetime

from django.utils import timezone

from . import schedule, selectors


def panel(request):
    district = selectors.default_district_for(request.user)
    if district is None:
        return {"template": "garbage/_dashboard_panel.html", "district": None}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    # From the district's cached year and the cached categories (the panel shows no closure).
    categories = selectors.categories_by_id()
    collected = sorted(((c, categories[c.category_id]) for c in schedule.on_day([district], tomorrow)[district.pk]),
                       key=lambda pair: (pair[1].position, pair[1].pk))
    day = selectors.Day(tomorrow, collected, schedule.holiday_name(tomorrow))
    return {"template": "garbage/_dashboard_panel.html", "district": district, "tomorrow": day}
