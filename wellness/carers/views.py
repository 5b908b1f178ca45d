"""The household's pages: what the service is, the application, its own cases and visits.
Another household's case is a 404, as an id that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asahikawa.accounts.roles import in_department
from asahikawa.accounts.selectors import profile_for
from asahikawa.errors import ApplicationError

from . import selectors, services
from .forms import ApplicationForm, InfoForm
from .models import CaseEvent, Status


def form_error(form, error: ApplicationError) -> list[str]:
    """Put a service's refusal on the form's fields; what fits no field is returned as problems."""
    problems = []
    for name, field_messages in (error.extra.get("fields") or {}).items():
        for message in field_messages:
            if name in form.fields:
                form.add_error(name, message)
            else:
                problems.append(str(message))
    if not error.extra.get("fields"):
        problems.append(error.message)
    return problems


def roles_context(user) -> dict:
    return {
        "is_carers_staff": in_department(user, "child_welfare"),
        "agency_id": profile_for(user).agency_id if user.is_authenticated else None,
    }


def index(request):
    context = {"nav": "index", "cases": []}
    if request.user.is_authenticated:
        context.update(roles_context(request.user), cases=list(selectors.household_cases(request.user)))
    return render(request, "carers/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_apply(actor=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            problems = form_error(form, error)
        else:
            messages.success(request, _("申請を受け付けました（受付番号 %(number)s）。") % {"number": case.number})
            return redirect("carers:case", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "carers/apply.html", {"form": form, "problems": problems, "nav": "apply"}, status=status)


# What the household may read of its case's history: the steps, and the reasons given to it.
HOUSEHOLD_REASONS = {
    CaseEvent.Action.INFO_REQUESTED,
    CaseEvent.Action.DECLINED,
    CaseEvent.Action.EXTENDED,
    CaseEvent.Action.ENDED,
}


@login_required
@require_http_methods(["GET", "POST"])
def case(request, pk):
    case = selectors.household_case(request.user, pk)
    if case is None:
        raise Http404
    form = InfoForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_give_info(case_id=case.pk, user=request.user, note=form.cleaned_data["note"])
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("追加の情報を送りました。"))
                return redirect("carers:case", pk=case.pk)
    actions = selectors.event_action_labels()
    events = []
    for event in case.events.all():
        event.action_label = actions.get(event.action, event.action)
        events.append((event, event.reason if event.action in HOUSEHOLD_REASONS else ""))
    visits = selectors.visit_rows(case)
    return render(
        request,
        "carers/case.html",
        {
            "case": case,
            "events": events,
            "visits": visits,
            "form": form,
            "nav": "index",
            "can_answer": case.status == Status.INFO_REQUESTED,
        },
        status=400 if request.method == "POST" else 200,
    )
