"""The staff console of the subsidy engine: the review queue, one application beside its documents,
a program's figures and lottery, and the exports. Staff of agriculture and of child welfare both
use it; each sees only the programs of their own department (another department's application is a
404). Every read of an application and every export is written to the access log."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from asahikawa.accounts.roles import department_required
from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError
from asahikawa.spreadsheets import csv_response, excel_response

from . import selectors, services
from .filters import QueueFilter
from .forms import BulkForm, LotteryForm, StaffActionForm
from .models import Application, LotteryDraw, Selection, Stage, Status
from .workflow import STAFF, STAFF_ACTIONS, next_statuses

staff_required = department_required("agriculture", "child_welfare")
QUEUE_PAGE_SIZE = 50


def _queue_filter(request):
    base = selectors.staff_applications(request.user).order_by("submitted_at", "id")
    return QueueFilter(request.GET or None, queryset=base, request=request)


@staff_required
@require_http_methods(["GET", "POST"])
def queue(request):
    """The review queue: filters (program, status, date of receipt, search), 50 a page in order of
    receipt (first come), bulk actions for the safe steps, the exports of what is filtered."""
    if request.method == "POST":
        form = BulkForm(request.POST)
        if form.is_valid():
            done, refused = services.applications_bulk(application_ids=form.cleaned_data["ids"],
                                                       to=form.cleaned_data["action"], actor=request.user)
            if done:
                messages.success(request, _("%(n)s件を処理しました。") % {"n": len(done)})
            for pk, message in refused[:20]:
                messages.warning(request, _("申請 %(id)s: %(message)s") % {"id": pk, "message": message})
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        query = QueryDict(request.POST.get("query", "")).urlencode()  # re-encoded: nothing but a query string
        return redirect(f"{reverse('grants:staff_queue')}?{query}" if query else reverse("grants:staff_queue"))
    filterset = _queue_filter(request)
    valid = filterset.is_valid() if filterset.is_bound else True
    queryset = filterset.qs if valid else Application.objects.none()
    page = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    labels = selectors.row_labels()
    rows = []
    for application in page.object_list:
        application.status_label = labels["status"].get(application.status, application.status)
        application.amount_text = selectors.yen_text(labels["yen"], application.requested_amount)
        application.choose_label = labels["choose"] % {"number": application.receipt_number}
        rows.append((application, selectors.waiting_days(application, today)))
    return render(request, "grants/staff/queue.html", {
        "filter": filterset, "page": page, "rows": rows, "bulk_form": BulkForm(),
        "query": request.GET.urlencode(), "export_query": _export_query(request),
    }, status=200 if valid else 400)


def _export_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


ACTION_LABELS = {
    Status.UNDER_REVIEW: _lazy("審査を始める"),
    Status.RETURNED: _lazy("差し戻す（修正を依頼）"),
    Status.APPROVED: _lazy("交付決定する"),
    Status.REJECTED: _lazy("不交付にする"),
    Status.CONFIRMED: _lazy("交付額を確定する"),
    Status.PAID: _lazy("支払済みにする"),
}


def _action_forms(application: Application) -> list[dict]:
    """One form per step staff may take now, with what that step needs."""
    forms = []
    for to in next_statuses(application.status, STAFF):
        initial = {}
        needs_amount = to in (Status.APPROVED, Status.CONFIRMED)
        if to == Status.APPROVED:
            initial["amount"] = application.requested_amount
        if to == Status.CONFIRMED:
            initial["amount"] = services.confirmable_amount(application)
        forms.append({
            "to": to, "label": ACTION_LABELS[to], "action": STAFF_ACTIONS[to], "needs_amount": needs_amount,
            "comment_required": to in (Status.RETURNED, Status.REJECTED),
            "form": StaffActionForm(initial=initial, prefix=STAFF_ACTIONS[to]),
        })
    return forms


@staff_required
@require_http_methods(["GET", "POST"])
def application(request, pk):
    """One application beside its documents (images shown, PDFs opened by a link); the buttons of
    the steps staff may take now."""
    application = selectors.staff_application(request.user, pk)
    if application is None:
        raise Http404
    action_forms = _action_forms(application)
    problems = []
    if request.method == "POST":
        to = request.POST.get("to", "")
        chosen = next((f for f in action_forms if f["to"] == to), None)
        if chosen is None:
            problems.append(_("この申請には今その操作はできません（状況が変わった可能性があります）。"))
        else:
            form = StaffActionForm(request.POST, prefix=chosen["action"])
            chosen["form"] = form
            if form.is_valid():
                try:
                    services.application_transition(
                        application_id=application.pk, to=to, actor=request.user,
                        comment=form.cleaned_data.get("comment", ""), amount=form.cleaned_data.get("amount"),
                    )
                except PermissionDenied:
                    raise
                except ApplicationError as error:
                    for name, field_messages in (error.extra.get("fields") or {}).items():
                        for message in field_messages:
                            if name in form.fields:
                                form.add_error(name, message)
                            else:
                                problems.append(str(message))
                    if not error.extra.get("fields"):
                        problems.append(error.message)
                else:
                    messages.success(request, _("「%(status)s」にしました。") % {"status": Status(to).label})
                    return redirect("grants:staff_application", pk=application.pk)
    access_log_record(actor=request.user, action="view", obj=application,
                      detail=f"staff: application {application.receipt_number} with its documents"[:255])
    figures = selectors.figures_for(application.program,
                                    selectors.program_figures([application.program_id]).get(application.program_id))
    documents = list(application.documents.all())
    image_alt = _("%(name)s（画像）")  # translated once, not an image a time
    for document in documents:
        document.image_alt = image_alt % {"name": document.original_name}
    return render(request, "grants/staff/application.html", {
        "application": application, "program": application.program, "figures": figures,
        "action_forms": action_forms, "problems": problems,
        "application_documents": [d for d in documents if d.stage == Stage.APPLICATION],
        "completion_documents": [d for d in documents if d.stage == Stage.COMPLETION],
        "waiting_days": selectors.waiting_days(application),
    }, status=400 if problems or any(f["form"].errors for f in action_forms) else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def program(request, pk):
    """A program's figures (applications, grants, amounts, what remains) and its lottery."""
    program = selectors.staff_programs(request.user).filter(pk=pk).first()
    if program is None:
        raise Http404
    form = LotteryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                draw = services.lottery_draw(program_id=program.pk, actor=request.user)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("抽選を行いました（選ばれた申請 %(n)s件）。") % {"n": len(draw.winners)})
                return redirect("grants:staff_program", pk=program.pk)
        else:
            messages.error(request, _("確認のチェックを入れてください。"))
    figures = selectors.figures_for(program, selectors.program_figures([program.pk]).get(program.pk))
    by_status = dict(Application.objects.filter(program=program).exclude(status=Status.DRAFT)
                     .values_list("status").annotate(n=Count("id")).order_by())
    draw = LotteryDraw.objects.filter(program=program).select_related("drawn_by").first()
    winners = set(draw.winners) if draw else set()
    return render(request, "grants/staff/program.html", {
        "program": program, "figures": figures, "form": form, "draw": draw,
        "draw_verified": services.lottery_verify(draw) if draw else None,
        # (receipt number, selected?) in the order of the draw: a set lookup a row, not a scan of the winners' list
        "draw_rows": [(number, number in winners) for number in draw.ranking] if draw else [],
        "by_status": [(Status(value).label, value, by_status.get(value, 0)) for value in Status.values if value != Status.DRAFT],
        "can_draw": program.selection == Selection.LOTTERY and draw is None and program.phase() == "closed",
    }, status=400 if request.method == "POST" else 200)


# --- exports --------------------------------------------------------------------------------------

def _export_queryset(request):
    filterset = _queue_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        raise ApplicationError(_("絞り込みの条件を確かめてください。"))
    return filterset.qs


def _log_export(request, what: str, count: int):
    access_log_record(actor=request.user, action="export", object_type="grants.application", object_id="",
                      detail=f"{what}: {count} rows; {request.GET.urlencode()}"[:255])


def _export(request, *, kind: str, fmt: str):
    queryset = _export_queryset(request)
    if kind == "payments":
        queryset, columns = selectors.payments_queryset(queryset), selectors.PAYMENT_COLUMNS
    else:
        columns = selectors.APPLICATION_COLUMNS
    _log_export(request, f"grants {kind} {fmt}", queryset.count())
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return csv_response(f"grants-{kind}-{stamp}.csv", list(columns.values()), selectors.export_rows(queryset, columns))
    frame = selectors.export_frame(queryset, columns)
    return excel_response(f"grants-{kind}-{stamp}.xlsx", frame, sheet_name=kind)


@staff_required
def export_applications_csv(request):
    return _export(request, kind="applications", fmt="csv")


@staff_required
def export_applications_xlsx(request):
    return _export(request, kind="applications", fmt="xlsx")


@staff_required
def export_payments_csv(request):
    return _export(request, kind="payments", fmt="csv")


@staff_required
def export_payments_xlsx(request):
    return _export(request, kind="payments", fmt="xlsx")
