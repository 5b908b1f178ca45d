"""Every non-trivial read of the young-carer support, by role:

- staff (child welfare): the queue, a case with its history and visits, the monthly report;
- the household: its own cases and their visits (household_cases);
- an agency: only its own visits, with only the address, the times, the tasks and the contact
  (agency_visits returns dicts of exactly those fields, so a template cannot reach the reason).
"""

import calendar
import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from asahikawa.accounts.models import HelperAgency

from .models import AgencyRate, Case, CaseEvent, Settings, Status, Task, Visit

AGENCY_FIELDS = (
    "pk",
    "date",
    "start_time",
    "helper_name",
    "state",
    "tasks",
    "tasks_done",
    "minutes",
    "note",
    "cancel_reason",
    "case_id",
    "case__address",
    "case__guardian_name",
    "case__phone",
    "case__minutes_per_visit",
)


def staff_cases(*, status: str = ""):
    cases = Case.objects.select_related("agency", "caseworker")
    if status == "open":
        cases = cases.filter(status__in=[Status.SUBMITTED, Status.INFO_REQUESTED])
    elif status in Status.values:
        cases = cases.filter(status=status)
    return cases.order_by("submitted_at", "pk")


def staff_case(pk):
    return Case.objects.select_related("agency", "caseworker", "household").filter(pk=pk).first()


def visit_rows(case) -> list[dict]:
    """The visits table of a case page (staff and household): the columns it shows as dicts, the
    day written as |date:"Y-m-d (D)" and the state labelled with names translated once a page."""
    weekdays = {day: str(name) for day, name in WEEKDAYS_ABBR.items()}
    states = {value: str(label) for value, label in Visit.State.choices}
    rows = list(case.visits.order_by("date").values("date", "start_time", "helper_name", "state", "minutes"))
    for row in rows:
        row["day_text"] = f"{row['date'].isoformat()} ({weekdays[row['date'].weekday()]})"
        row["start_text"] = row["start_time"].strftime("%H:%M") if row["start_time"] else ""
        row["state_label"] = states.get(row["state"], row["state"])
    return rows


def event_action_labels() -> dict:
    """CaseEvent.Action's labels, translated once a page (not get_action_display an event)."""
    return {value: str(label) for value, label in CaseEvent.Action.choices}


def household_cases(user):
    return Case.objects.filter(household=user).select_related("agency").order_by("-submitted_at")


def household_case(user, pk):
    return household_cases(user).filter(pk=pk).first()


def _labels(codes):
    return [str(Task(code).label) for code in codes or [] if code in Task.values]


def agency_visits(agency_id, *, start=None, end=None, state=""):
    """The agency's visits as dicts of the fields it may see (and the task labels)."""
    visits = Visit.objects.filter(agency_id=agency_id)
    if start:
        visits = visits.filter(date__gte=start)
    if end:
        visits = visits.filter(date__lte=end)
    if state in Visit.State.values:
        visits = visits.filter(state=state)
    rows = list(visits.order_by("date", "start_time", "pk").values(*AGENCY_FIELDS))
    for row in rows:
        row["task_labels"] = _labels(row["tasks"])
        row["done_labels"] = _labels(row["tasks_done"])
        row["state_label"] = Visit.State(row["state"]).label
    return rows


def agency_visit(agency_id, pk):
    visits = Visit.objects.filter(agency_id=agency_id, pk=pk).values(*AGENCY_FIELDS)
    row = visits.first()
    if row:
        row["task_labels"] = _labels(row["tasks"])
        row["done_labels"] = _labels(row["tasks_done"])
        row["state_label"] = Visit.State(row["state"]).label
    return row


def agency_unrecorded_count(agency_id, today) -> int:
    return Visit.objects.filter(agency_id=agency_id, date__lt=today, state=Visit.State.SCHEDULED).count()


# --- monthly report ------------------------------------------------------------------------------


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def cost(minutes: int, yen_per_hour: int) -> int:
    """Yen for minutes at an hourly rate, rounded half up to the yen."""
    return (minutes * yen_per_hour * 2 + 60) // 120


def monthly_report(month: datetime.date) -> dict:
    """Visits and hours of a month per agency (with the cost at its rate) and per household.
    Four queries whatever the number of cases: the agencies with their rates, the default rate,
    and two aggregates."""
    first, last = month_bounds(month)
    visits = Visit.objects.filter(date__gte=first, date__lte=last)
    done = Q(state=Visit.State.DONE)
    aggregates = dict(
        planned=Count("pk"),
        done=Count("pk", filter=done),
        cancelled=Count("pk", filter=Q(state=Visit.State.CANCELLED)),
        unrecorded=Count(
            "pk",
            filter=Q(
                state=Visit.State.SCHEDULED, date__lt=min(last + datetime.timedelta(days=1), timezone.localdate())
            ),
        ),
        minutes=Sum("minutes", filter=done),
    )
    default_rate = Settings.current().default_yen_per_hour
    rates = dict(AgencyRate.objects.values_list("agency_id", "yen_per_hour"))
    names = dict(HelperAgency.objects.filter(pk__in=visits.values("agency_id")).values_list("pk", "name"))
    agencies = []
    for row in visits.values("agency_id").annotate(**aggregates).order_by("agency_id"):
        rate = rates.get(row["agency_id"], default_rate)
        minutes = row["minutes"] or 0
        agencies.append(
            {
                **row,
                "name": names.get(row["agency_id"], ""),
                "minutes": minutes,
                "hours": minutes / 60,
                "rate": rate,
                "cost": cost(minutes, rate),
            }
        )
    households = []
    for row in visits.values("case_id", "agency_id").annotate(**aggregates).order_by("case_id", "agency_id"):
        minutes = row["minutes"] or 0
        households.append(
            {
                **row,
                "number": f"YC-{row['case_id']:06d}",
                "agency": names.get(row["agency_id"], ""),
                "minutes": minutes,
                "hours": minutes / 60,
                "cost": cost(minutes, rates.get(row["agency_id"], default_rate)),
            }
        )
    totals = {
        key: sum(row[key] for row in agencies)
        for key in ("planned", "done", "cancelled", "unrecorded", "minutes", "cost")
    }
    totals["hours"] = totals["minutes"] / 60
    return {"first": first, "last": last, "agencies": agencies, "households": households, "totals": totals}


REPORT_COLUMNS = [
    "month",
    "agency",
    "case",
    "visits_planned",
    "visits_done",
    "visits_cancelled",
    "minutes",
    "hours",
    "yen_per_hour",
    "cost_yen",
]


def report_frame(month: datetime.date):
    """The monthly report as a pandas DataFrame for the payment CSV: one row per agency and household,
    then one total row per agency."""
    import pandas as pd

    report = monthly_report(month)
    label = report["first"].strftime("%Y-%m")
    rows = []
    rates = {row["agency_id"]: row["rate"] for row in report["agencies"]}
    for row in report["households"]:
        rows.append(
            [
                label,
                row["agency"],
                row["number"],
                row["planned"],
                row["done"],
                row["cancelled"],
                row["minutes"],
                round(row["hours"], 2),
                rates.get(row["agency_id"]),
                row["cost"],
            ]
        )
    for row in report["agencies"]:
        rows.append(
            [
                label,
                row["name"],
                "合計",
                row["planned"],
                row["done"],
                row["cancelled"],
                row["minutes"],
                round(row["hours"], 2),
                row["rate"],
                row["cost"],
            ]
        )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


# --- the account download ------------------------------------------------------------------------


def export_data(user):
    cases = list(Case.objects.filter(household=user).prefetch_related("visits"))
    if not cases:
        return None
    return [
        {
            "number": case.number,
            "status": case.status,
            "guardian_name": case.guardian_name,
            "address": case.address,
            "phone": case.phone,
            "children": case.children,
            "reason": case.reason,
            "reason_detail": case.reason_detail,
            "services_wanted": case.services_wanted,
            "preferred_weekdays": case.preferred_labels(),
            "preferred_hours": case.preferred_hours,
            "wanted_from": case.wanted_from.isoformat(),
            "wanted_to": case.wanted_to.isoformat(),
            "consent_at": case.consent_at.isoformat(),
            "plan": {
                "start": case.plan_start.isoformat(),
                "end": case.plan_end.isoformat(),
                "weekdays": case.weekday_labels(),
                "minutes_per_visit": case.minutes_per_visit,
                "tasks": case.plan_tasks,
            }
            if case.plan_start
            else None,
            "visits": [
                {
                    "date": v.date.isoformat(),
                    "start_time": v.start_time.isoformat() if v.start_time else None,
                    "state": v.state,
                    "minutes": v.minutes,
                }
                for v in case.visits.all()
            ],
        }
        for case in cases
    ]
