"""Cases in any state, through the services (so that each has its history and visits)."""

import datetime

from django.utils import timezone

from asahikawa.accounts.tests.factories import HelperAgencyFactory

from .. import services
from ..models import Reason, Task

# Sensitive values that must never leave the staff pages (and the household's own).
SECRET_REASON = "うつ病で通院中のため家事ができない"
SECRET_SCHOOL = "旭川市立ひみつ小学校"


def application_data(*, start=None, end=None, **overrides):
    today = timezone.localdate()
    data = {
        "guardian_name": "旭川 春子",
        "address": "旭川市永山3条1丁目2-3",
        "phone": "0166-12-3456",
        "children": [{"age": 10, "school": SECRET_SCHOOL}],
        "reason": Reason.ILLNESS,
        "reason_detail": SECRET_REASON,
        "services_wanted": [Task.COOKING, Task.CLEANING],
        "preferred_weekdays": [0, 2, 4],
        "preferred_hours": "16-18",
        "wanted_from": start or today,
        "wanted_to": end or today + datetime.timedelta(days=60),
        "consent": True,
    }
    data.update(overrides)
    return data


def submitted_case(household, **overrides):
    return services.case_apply(actor=household, data=application_data(**overrides))


def active_case(household, staff, agency=None, *, start=None, days=27, weekdays=(0, 2, 4), minutes=120):
    agency = agency or HelperAgencyFactory()
    case = submitted_case(household)
    start = start or timezone.localdate()
    return services.case_approve(
        case_id=case.pk,
        actor=staff,
        plan_start=start,
        plan_end=start + datetime.timedelta(days=days),
        weekdays=list(weekdays),
        minutes_per_visit=minutes,
        tasks=[Task.COOKING, Task.CLEANING],
        agency=agency,
    )
