"""The helper agency's pages: its own visits only (another agency's visit is a 404), with only
what a visit needs: the address, the times, the tasks and the contact; never the reason, the
children or a note of the city. The agency assigns its helper and the time, then records the
visit (done: tasks, minutes, a short note) or its cancellation."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from asahikawa.accounts.selectors import profile_for
from asahikawa.errors import ApplicationError

from . import selectors, services
from .forms import CancelForm, RecordForm, ScheduleForm
from .views import form_error

DAYS_AHEAD = 28


def _agency_id(user) -> int:
    agency_id = profile_for(user).agency_id if user.is_active else None
    if not agency_id:
        raise PermissionDenied
    return agency_id


@login_required
@require_GET
def visits(request):
    agency_id = _agency_id(request.user)
    today = timezone.localdate()
    unrecorded = selectors.agency_visits(agency_id, end=today - datetime.timedelta(days=1), state="scheduled")
    upcoming = selectors.agency_visits(agency_id, start=today, end=today + datetime.timedelta(days=DAYS_AHEAD))
    return render(
        request,
        "carers/agency/visits.html",
        {
            "unrecorded": unrecorded,
            "upcoming": upcoming,
            "today": today,
            "nav": "agency",
            "agency_id": agency_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit(request, pk):
    agency_id = _agency_id(request.user)
    row = selectors.agency_visit(agency_id, pk)
    if row is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    initial_minutes = row["case__minutes_per_visit"]
    forms = {
        "schedule": ScheduleForm(
            request.POST if action == "schedule" else None,
            prefix="schedule",
            initial={"start_time": row["start_time"], "helper_name": row["helper_name"]},
        ),
        "record": RecordForm(
            request.POST if action == "record" else None,
            prefix="record",
            initial={"tasks_done": row["tasks"], "minutes": initial_minutes},
        ),
        "cancel": CancelForm(request.POST if action == "cancel" else None, prefix="cancel"),
    }
    problems = []
    if request.method == "POST":
        form = forms.get(action)
        if form is None:
            problems.append(_("この操作はできません。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if action == "schedule":
                    services.visit_schedule(
                        visit_id=pk,
                        agency_id=agency_id,
                        start_time=data["start_time"],
                        helper_name=data["helper_name"],
                        actor=request.user,
                    )
                elif action == "record":
                    services.visit_record(
                        visit_id=pk,
                        agency_id=agency_id,
                        tasks_done=data["tasks_done"],
                        minutes=data["minutes"],
                        note=data["note"],
                        actor=request.user,
                    )
                else:
                    services.visit_cancel(
                        visit_id=pk, agency_id=agency_id, reason=data["cancel_reason"], actor=request.user
                    )
            except ApplicationError as error:
                problems = form_error(form, error)
            else:
                messages.success(request, _("保存しました。"))
                return redirect("carers:agency_visit", pk=pk)
    return render(
        request,
        "carers/agency/visit.html",
        {
            "visit": row,
            "forms": forms,
            "problems": problems,
            "nav": "agency",
            "agency_id": agency_id,
            "can_record": row["date"] <= timezone.localdate(),
            "open": row["state"] == "scheduled",
        },
        status=400 if request.method == "POST" else 200,
    )
