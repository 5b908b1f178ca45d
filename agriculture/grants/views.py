"""The public and the applicant's pages of the subsidy engine (thin: forms, services, selectors)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from asahikawa import caching
from asahikawa.accounts.roles import in_department
from asahikawa.accounts.services import access_log_record
from asahikawa.departments import DEPARTMENTS
from asahikawa.errors import ApplicationError
from asahikawa.uploads import document_response

from . import selectors, services
from .forms import ApplicationForm, CompletionForm, DocumentsForm, EligibilityForm, line_item_formset
from .models import EDITABLE, Document, Stage, Status


def _or_404(obj):
    if obj is None:
        raise Http404
    return obj


def attach_errors(error: ApplicationError, *forms) -> list[str]:
    """Put a service's field errors on the forms that have those fields (a formset's rows as
    items-<n>-<field>); return the messages no form could show (for the summary at the top)."""
    left = []
    for name, field_messages in (error.extra.get("fields") or {}).items():
        placed = False
        for form in forms:
            if form is None:
                continue
            if hasattr(form, "forms") and name.startswith(f"{form.prefix}-"):
                _prefix, index, field = name.split("-", 2)
                index = int(index)
                if index < len(form.forms) and field in form.forms[index].fields:
                    for message in field_messages:
                        form.forms[index].add_error(field, message)
                    placed = True
                    break
            elif hasattr(form, "fields") and name in form.fields:
                for message in field_messages:
                    form.add_error(name, message)
                placed = True
                break
        if not placed:
            left.extend(str(message) for message in field_messages)
    return left


# --- programs (public) ----------------------------------------------------------------------------

def _listed(programs):
    """The programs of a list page with their figures, each department's name translated once per page."""
    rows = selectors.programs_with_figures(programs)
    departments = {code: str(name) for code, name in DEPARTMENTS.items()}
    for program, _figures in rows:
        program.department_label = departments.get(program.department, program.department)
    return rows


def _program_list(name, programs):
    """The list of programs with their figures, rendered once per day, language and change of the
    programs or their applications (asahikawa/caching.py: every save of either changes "grants")."""
    return caching.cached("grants", name, timezone.localdate(),
                          compute=lambda: render_to_string("grants/_program_list.html", {"rows": _listed(programs())}))


def programs(request):
    listing = _program_list("programs", lambda: selectors.programs_public().exclude(department="child_welfare"))
    return render(request, "grants/programs.html", {"listing": listing, "nav": "programs", "heading": _("補助金の申請")})


def hearing_test(request):
    listing = _program_list("hearing-test", lambda: selectors.programs_public(department="child_welfare"))
    return render(request, "grants/programs.html", {"listing": listing, "nav": "programs", "heading": _("新生児聴覚検査費用の助成"),
                                                    "child_welfare": True})


def program(request, pk):
    program = _or_404(selectors.program_detail(pk))
    figures = selectors.figures_for(program, selectors.program_figures([program.pk]).get(program.pk))
    draft = None
    if request.user.is_authenticated:
        draft = selectors.applications_of(request.user).filter(program=program, status=Status.DRAFT).first()
    return render(request, "grants/program.html", {"program": program, "figures": figures, "draft": draft, "nav": "programs"})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    """The eligibility questions: a disqualifying answer stops here with the reason."""
    program = _or_404(selectors.program_detail(pk))
    form = EligibilityForm(request.POST if request.method == "POST" else None, program=program)
    reasons, refused = [], ""
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(user=request.user, program_id=program.pk, answers=form.answers())
        except ApplicationError as error:
            if error.status_code == 404:
                raise Http404 from None
            reasons = error.extra.get("reasons") or []
            refused = error.message
            if not reasons:
                left = attach_errors(error, form)
                if left or not error.extra.get("fields"):
                    messages.error(request, " ".join(left) or error.message)
        else:
            return redirect("grants:edit", pk=application.pk)
    return render(request, "grants/apply.html", {"program": program, "form": form, "reasons": reasons, "nav": "programs"},
                  status=400 if (form.errors or reasons or refused) else 200)


# --- the applicant's applications ---------------------------------------------------------------

@login_required
def applications(request):
    rows = selectors.application_lines(request.user)
    return render(request, "grants/applications.html", {"applications": rows, "nav": "mine"})


@login_required
def application(request, pk):
    application = _or_404(selectors.application_of(request.user, pk))
    return render(request, "grants/application.html", {
        "application": application, "nav": "mine",
        "can_withdraw": application.status in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED,
                                               Status.RESUBMITTED, Status.APPROVED),
    })


def _edit_forms(request, application):
    program = application.program
    requirements = selectors.requirements_by_stage(program, Stage.APPLICATION)
    if request.method == "POST":
        form = ApplicationForm(request.POST, program=program)
        formset = line_item_formset(request.POST)
        documents = DocumentsForm(request.POST, request.FILES, requirements=requirements)
    else:
        form = ApplicationForm(program=program, initial={
            "applicant_type": application.applicant_type, "applicant_name": application.applicant_name,
            "business_name": application.business_name, "applicant_address": application.applicant_address,
            "applicant_phone": application.applicant_phone, "national_subsidy": application.national_subsidy or None,
        })
        formset = line_item_formset(items=list(application.items.all()))
        documents = DocumentsForm(requirements=requirements)
    return form, formset, documents


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    """The application form: details, line items (the amount computed as the applicant types, by
    grants.js and the API, and again here), documents. Save as a draft, or go on to confirm."""
    application = _or_404(selectors.application_of(request.user, pk))
    if application.status not in EDITABLE:
        messages.info(request, _("この申請は提出済みのため変更できません。"))
        return redirect("grants:application", pk=application.pk)
    form, formset, documents = _edit_forms(request, application)
    problems = []
    if request.method == "POST":
        valid = all([form.is_valid(), formset.is_valid(), documents.is_valid()])
        uploads = documents.uploads() if valid else []
        if valid and not documents.errors:
            try:
                services.application_save(user=request.user, application_id=application.pk,
                                          data=form.data_for_service(), items=formset.items(), uploads=uploads)
            except ApplicationError as error:
                problems = attach_errors(error, form, formset, documents) or [error.message]
            else:
                if "confirm" in request.POST:
                    return redirect("grants:confirm", pk=application.pk)
                messages.success(request, _("下書きを保存しました。"))
                return redirect("grants:edit", pk=application.pk)
        application = selectors.application_of(request.user, pk)
    return render(request, "grants/edit.html", {
        "application": application, "program": application.program, "form": form, "formset": formset,
        "documents_form": documents, "problems": problems, "nav": "mine",
        "has_errors": bool(form.errors or formset.total_error_count() or documents.errors or problems),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def application_confirm(request, pk):
    """The confirmation page: everything as it will be sent, the amount computed by the server."""
    application = _or_404(selectors.application_of(request.user, pk))
    if application.status not in EDITABLE:
        return redirect("grants:application", pk=application.pk)
    problems = []
    if request.method == "POST":
        try:
            if application.status == Status.DRAFT:
                done = services.application_submit(application_id=application.pk, actor=request.user)
                messages.success(request, _("申請を受け付けました。受付番号は %(number)s です。確認のメールを送りました。")
                                 % {"number": done.receipt_number})
            else:
                services.application_resubmit(application_id=application.pk, actor=request.user,
                                              comment=request.POST.get("comment", "")[:2000])
                messages.success(request, _("修正した申請を再提出しました。"))
        except ApplicationError as error:
            problems = [str(m) for messages_ in (error.extra.get("fields") or {}).values() for m in messages_] or [error.message]
            application = selectors.application_of(request.user, pk)
        else:
            return redirect("grants:application", pk=application.pk)
    return render(request, "grants/confirm.html", {
        "application": application, "program": application.program, "problems": problems, "nav": "mine",
        "missing": [r for r in selectors.requirements_by_stage(application.program, Stage.APPLICATION)
                    if r.required and not any(d.requirement_id == r.pk for d in application.documents.all())],
    }, status=400 if problems else 200)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _or_404(selectors.application_of(request.user, pk))
    try:
        services.application_withdraw(application_id=application.pk, actor=request.user,
                                      comment=request.POST.get("comment", "")[:2000])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("申請を取り下げました。"))
    return redirect("grants:application", pk=application.pk)


@login_required
@require_POST
def application_delete(request, pk):
    application = _or_404(selectors.application_of(request.user, pk))
    try:
        services.application_delete_draft(user=request.user, application_id=application.pk)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("grants:application", pk=application.pk)
    messages.success(request, _("下書きを削除しました。"))
    return redirect("grants:applications")


@login_required
@require_http_methods(["GET", "POST"])
def completion(request, pk):
    """The completion report (実績報告): the actual cost, receipts and photos, in one step."""
    application = _or_404(selectors.application_of(request.user, pk))
    if application.status != Status.APPROVED:
        messages.info(request, _("実績報告は交付決定の後に行います。"))
        return redirect("grants:application", pk=application.pk)
    requirements = selectors.requirements_by_stage(application.program, Stage.COMPLETION)
    posted = request.method == "POST"
    form = CompletionForm(request.POST if posted else None, request.FILES if posted else None, requirements=requirements)
    problems = []
    if request.method == "POST" and form.is_valid():
        uploads = form.uploads()
        if not form.errors:
            try:
                services.completion_report(user=request.user, application_id=application.pk,
                                           actual_cost=form.cleaned_data["actual_cost"], uploads=uploads)
            except ApplicationError as error:
                problems = attach_errors(error, form) or [error.message]
            else:
                messages.success(request, _("実績報告を受け付けました。"))
                return redirect("grants:application", pk=application.pk)
    return render(request, "grants/completion.html", {
        "application": application, "form": form, "problems": problems, "nav": "mine",
        "has_errors": bool(form.errors or problems),
    }, status=400 if request.method == "POST" else 200)


# --- documents --------------------------------------------------------------------------------------

@login_required
def document(request, pk, doc_pk):
    """A document, to its applicant, or to staff of the program's department (every staff read is
    written to the access log). Anyone else: 404, as for a document that does not exist."""
    document = (Document.objects.select_related("application__program")
                .filter(pk=doc_pk, application_id=pk).first())
    if document is None:
        raise Http404
    application = document.application
    if application.applicant_id == request.user.pk:
        pass
    elif application.status != Status.DRAFT and in_department(request.user, application.program.department):
        access_log_record(actor=request.user, action="view", obj=document,
                          detail=f"grants document of {application.receipt_number}: {document.original_name}"[:255])
    else:
        raise Http404
    return document_response(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
@require_POST
def document_delete(request, pk, doc_pk):
    _or_404(selectors.application_of(request.user, pk))
    if not Document.objects.filter(pk=doc_pk, application_id=pk).exists():
        raise Http404
    try:
        services.document_delete(user=request.user, document_id=doc_pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("書類を削除しました。"))
    next_page = "grants:completion" if request.POST.get("next") == "completion" else "grants:edit"
    return redirect(next_page, pk=pk)
