"""Demo data of the young-carer support: sample agencies and one sample case in each state, with
visits. Every name, address and reason is invented and labeled サンプル. Loaded once (skipped when
sample cases exist)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from asahikawa.accounts.models import HelperAgency

from . import services
from .models import AgencyRate, Case, Reason, Settings, Status, Task, Visit

AGENCIES = [
    ("あさひかわ家事サポート（サンプル）", "0166-00-0000", 2600),
    ("かぐら家事支援センター（サンプル）", "0166-00-0001", 2400),
]


def _data(n, *, start, end, reason=Reason.ILLNESS):
    return {
        "guardian_name": f"旭川 保護者{n}（サンプル）",
        "address": f"旭川市サンプル町{n}丁目{n}-{n}（サンプル）",
        "phone": f"0166-99-000{n}",
        "children": [{"age": 9, "school": "サンプル小学校 3年"}, {"age": 5, "school": "サンプル保育園"}],
        "reason": reason,
        "reason_detail": "（サンプル）入院のため、しばらく家事ができません。",
        "services_wanted": [Task.COOKING, Task.CLEANING, Task.SIBLINGS],
        "preferred_weekdays": [0, 2, 4],
        "preferred_hours": "16時〜18時（サンプル）",
        "wanted_from": start,
        "wanted_to": end,
        "consent": True,
    }


def load(stdout):
    if Case.objects.filter(is_sample=True).exists():
        return
    User = get_user_model()
    agencies = []
    for name, phone, rate in AGENCIES:
        agency, _ = HelperAgency.objects.get_or_create(name=name, defaults={"phone": phone, "is_sample": True})
        AgencyRate.objects.get_or_create(agency=agency, defaults={"yen_per_hour": rate})
        agencies.append(agency)
    if not Settings.objects.exists():
        Settings.objects.create()
    household = User.objects.filter(email="resident@example.jp").first()
    staff = User.objects.filter(email="staff-child-welfare@example.jp").first()
    if household is None or staff is None:
        return
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    submitted = services.case_apply(
        actor=household, data=_data(1, start=today + 7 * day, end=today + 90 * day), is_sample=True
    )
    asked = services.case_apply(
        actor=household, data=_data(2, start=today + 14 * day, end=today + 60 * day), is_sample=True
    )
    services.case_request_info(case_id=asked.pk, actor=staff, reason="（サンプル）希望する時間帯を教えてください。")
    declined = services.case_apply(
        actor=household, data=_data(3, start=today, end=today + 30 * day, reason=Reason.OTHER), is_sample=True
    )
    services.case_decline(case_id=declined.pk, actor=staff, reason="（サンプル）ほかの支援で対応できるため。")
    by_caseworker = services.case_apply(
        actor=staff,
        as_caseworker=True,
        household=None,
        data=_data(4, start=today + 3 * day, end=today + 40 * day, reason=Reason.CARING),
        is_sample=True,
    )

    active = services.case_apply(actor=household, data=_data(5, start=today, end=today + 60 * day), is_sample=True)
    services.case_approve(
        case_id=active.pk,
        actor=staff,
        plan_start=today,
        plan_end=today + 56 * day,
        weekdays=[0, 2, 4],
        minutes_per_visit=120,
        tasks=[Task.COOKING, Task.CLEANING],
        agency=agencies[0],
    )
    # Backdate the plan by four weeks so that it has a past with recorded visits.
    Case.objects.filter(pk=active.pk).update(plan_start=today - 28 * day)
    services.visits_generate(start=today - 28 * day, end=today - day, case_ids=[active.pk])
    past = list(Visit.objects.filter(case=active, date__lt=today).order_by("date"))
    for n, visit in enumerate(past):
        if n == len(past) - 1:
            continue  # the last one left without a record: the agency is reminded
        if n == 3:
            Visit.objects.filter(pk=visit.pk).update(state=Visit.State.CANCELLED, cancel_reason="（サンプル）体調不良")
        else:
            Visit.objects.filter(pk=visit.pk).update(
                state=Visit.State.DONE,
                minutes=120,
                tasks_done=[Task.COOKING, Task.CLEANING],
                helper_name="ヘルパー 北野（サンプル）",
                start_time=datetime.time(16),
            )
    Visit.objects.filter(case=active, date__gte=today).update(
        helper_name="ヘルパー 北野（サンプル）", start_time=datetime.time(16)
    )

    closed = services.case_apply(actor=household, data=_data(6, start=today, end=today + 30 * day), is_sample=True)
    services.case_approve(
        case_id=closed.pk,
        actor=staff,
        plan_start=today,
        plan_end=today + 14 * day,
        weekdays=[1, 3],
        minutes_per_visit=90,
        tasks=[Task.LAUNDRY, Task.SHOPPING],
        agency=agencies[1],
    )
    Visit.objects.filter(case=closed).delete()
    Case.objects.filter(pk=closed.pk).update(plan_start=today - 45 * day, plan_end=today - 20 * day)
    services.visits_generate(start=today - 45 * day, end=today - 20 * day, case_ids=[closed.pk])
    Visit.objects.filter(case=closed).update(state=Visit.State.DONE, minutes=90, tasks_done=[Task.LAUNDRY])
    services.cases_close_finished(today=today)
    stdout.write(
        f"  carers: sample cases {', '.join(c.number for c in (submitted, asked, declined, by_caseworker, active, closed))}"
        f" ({Status.ACTIVE.label}: {active.number})"
    )
