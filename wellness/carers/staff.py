"""Child-welfare staff pages: the review queue, a caseworker's application for a household, one
case (review, plan, extension, early end), the monthly report and its CSV, the access log.

Only child-welfare staff (with TOTP) reach them. Every read of a case, of the monthly report and
every export is written to the access log (who, what, when), which child-welfare staff review on
the access log page and nobody can edit (no form changes it; the admin console shows it read-only).
No sensitive field is ever put in a URL (ids and a month only) or in the log's detail."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from asahikawa.accounts.models import AccessLog
from asahikawa.accounts.roles import department_required
from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError
from asahikawa.spreadsheets import frame_csv_response

from . import selectors, services
from .forms import CaseworkerApplicationForm, EndForm, ExtendForm, MonthForm, PlanForm, ReasonForm
from .models import Case, Status
from .views import form_error

staff_required = department_required("child_welfare")
PAGE_SIZE = 50
LOG_PAGE_SIZE = 100


def _caseworkers():
    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__name="child_welfare")


@staff_required
@require_GET
def queue(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "all", *Status.values):
        status = "open"
    cases = selectors.staff_cases(status="" if status == "all" else status)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = {value: str(label) for value, label in Status.choices}
    applied = {value: str(label) for value, label in Case.AppliedBy.choices}
    rows = list(page.object_list)
    for case in rows:  # labels translated once a page, not get_<field>_display a row
        case.status_label = statuses.get(case.status, case.status)
        case.applied_as_label = applied.get(case.applied_as, case.applied_as)
    filters = [("open", _("審査を待っている")), *Status.choices, ("all", _("すべて"))]
    return render(
        request,
        "carers/staff/queue.html",
        {
            "page": page,
            "cases": rows,
            "status": status,
            "filters": filters,
            "nav": "staff",
            "is_carers_staff": True,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """A caseworker applies on a household's behalf (most families are found by schools and caseworkers)."""
    form = CaseworkerApplicationForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_apply(
                actor=request.user,
                data=form.cleaned_data,
                as_caseworker=True,
                household=form.cleaned_data.get("household_email"),
            )
        except ApplicationError as error:
            problems = form_error(form, error)
        else:
            access_log_record(actor=request.user, action="change", obj=case, detail="staff: application by caseworker")
            messages.success(request, _("申請を登録しました（受付番号 %(number)s）。") % {"number": case.number})
            return redirect("carers:staff_case", pk=case.pk)
    return render(
        request,
        "carers/staff/apply.html",
        {"form": form, "problems": problems, "nav": "staff", "is_carers_staff": True},
        status=400 if request.method == "POST" else 200,
    )


def _forms(case, data=None, action=""):
    today = timezone.localdate()

    def bound(name):
        return data if action == name else None

    plan_initial = {
        "plan_start": max(case.wanted_from, today),
        "plan_end": case.wanted_to,
        "tasks": case.services_wanted,
        "weekdays": [d for d in range(7) if case.preferred_weekdays & (1 << d)],
    }
    forms = {}
    if case.status == Status.SUBMITTED:
        forms["request_info"] = ReasonForm(bound("request_info"), prefix="request_info")
    if case.status in (Status.SUBMITTED, Status.INFO_REQUESTED):
        forms["approve"] = PlanForm(bound("approve"), prefix="approve", initial=plan_initial)
        forms["decline"] = ReasonForm(bound("decline"), prefix="decline")
    if case.status == Status.ACTIVE:
        forms["extend"] = ExtendForm(
            bound("extend"), prefix="extend", initial={"plan_end": case.plan_end + datetime.timedelta(days=28)}
        )
        forms["end"] = EndForm(bound("end"), prefix="end", initial={"end_on": today})
    return forms


def _act(request, case, action, form):
    data = form.cleaned_data
    if action == "request_info":
        services.case_request_info(case_id=case.pk, actor=request.user, reason=data["reason"])
    elif action == "decline":
        services.case_decline(case_id=case.pk, actor=request.user, reason=data["reason"])
    elif action == "approve":
        services.case_approve(
            case_id=case.pk,
            actor=request.user,
            plan_start=data["plan_start"],
            plan_end=data["plan_end"],
            weekdays=data["weekdays"],
            minutes_per_visit=data["minutes_per_visit"],
            tasks=data["tasks"],
            agency=data["agency"],
        )
    elif action == "extend":
        services.case_extend(case_id=case.pk, actor=request.user, plan_end=data["plan_end"], reason=data["reason"])
    elif action == "end":
        services.case_end(case_id=case.pk, actor=request.user, end_on=data["end_on"], reason=data["reason"])


ACTION_DONE = {
    "request_info": _lazy("追加の情報を依頼しました。"),
    "decline": _lazy("見送りにしました。"),
    "approve": _lazy("計画を承認しました。"),
    "extend": _lazy("期間を延長しました。"),
    "end": _lazy("終了日を変更しました。"),
}


@staff_required
@require_http_methods(["GET", "POST"])
def case(request, pk):
    case = selectors.staff_case(pk)
    if case is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(case, request.POST if action else None, action)
    problems = []
    if request.method == "POST":
        form = forms.get(action)
        if form is None:
            problems.append(_("このケースには今その操作はできません（状況が変わった可能性があります）。"))
        elif form.is_valid():
            try:
                _act(request, case, action, form)
            except ApplicationError as error:
                problems = form_error(form, error)
            else:
                access_log_record(actor=request.user, action="change", obj=case, detail=f"staff: {action}")
                messages.success(request, ACTION_DONE[action])
                return redirect("carers:staff_case", pk=case.pk)
    access_log_record(actor=request.user, action="view", obj=case, detail="staff: case")
    visits = selectors.visit_rows(case)
    actions = selectors.event_action_labels()
    events = list(case.events.select_related("actor"))
    for event in events:
        event.action_label = actions.get(event.action, event.action)
    return render(
        request,
        "carers/staff/case.html",
        {
            "case": case,
            "forms": forms,
            "problems": problems,
            "events": events,
            "visits": visits,
            "nav": "staff",
            "is_carers_staff": True,
            "visits_done": sum(1 for v in visits if v["state"] == "done"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _month(request):
    form = MonthForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["month"]
    today = timezone.localdate()
    return MonthForm(initial={"month": today.replace(day=1)}), today.replace(day=1)


@staff_required
@require_GET
def report(request):
    form, month = _month(request)
    report = selectors.monthly_report(month)
    access_log_record(
        actor=request.user,
        action="view",
        object_type="carers.report",
        object_id=month.strftime("%Y-%m"),
        detail="staff: monthly report",
    )
    return render(
        request,
        "carers/staff/report.html",
        {
            "form": form,
            "report": report,
            "month": month.strftime("%Y-%m"),
            "nav": "report",
            "is_carers_staff": True,
        },
        status=400 if request.GET and form.errors else 200,
    )


@staff_required
@require_GET
def report_csv(request):
    _form, month = _month(request)
    frame = selectors.report_frame(month)
    label = month.strftime("%Y-%m")
    access_log_record(
        actor=request.user,
        action="export",
        object_type="carers.report",
        object_id=label,
        detail=f"staff: monthly report CSV, {len(frame)} rows",
    )
    return frame_csv_response(f"carers-report-{label}.csv", frame)


@staff_required
@require_GET
def access_log(request):
    """The access log of this service, for child-welfare staff to review (read-only)."""
    entries = AccessLog.objects.filter(object_type__startswith="carers.").order_by("-at", "-pk")
    case_id = request.GET.get("case", "")
    if case_id.isdigit():
        entries = entries.filter(object_type=Case._meta.label_lower, object_id=case_id)
    page = Paginator(
        entries.values("at", "action", "object_type", "object_id", "detail", actor_email=F("actor__email")), LOG_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    actions = {value: str(label) for value, label in AccessLog.Action.choices}
    case_label, report_label = _("ケース %(id)s"), _("月次報告 %(month)s")  # translated once, not a row a time
    for entry in page.object_list:
        entry["at_text"] = timezone.localtime(entry["at"]).strftime("%Y-%m-%d %H:%M:%S")
        entry["action_label"] = actions.get(entry["action"], entry["action"])
        if entry["object_type"] == "carers.case":
            entry["object_label"] = case_label % {"id": entry["object_id"]}
        else:
            entry["object_label"] = report_label % {"month": entry["object_id"]}
    return render(
        request,
        "carers/staff/access_log.html",
        {"page": page, "case_id": case_id if case_id.isdigit() else "", "nav": "log", "is_carers_staff": True},
    )
