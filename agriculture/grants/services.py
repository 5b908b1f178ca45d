"""Every write of the subsidy engine.

Workflow steps: one function each (application_submit, application_approve, ...), all through
_begin/_move: the step must be in the table of workflow.py and the actor must be someone that step
allows (the applicant, or staff of the program's department); the application row is locked, the
step is written to the history with actor, time and comment, and the applicant is notified after
commit. Approvals lock the program row first, so that the quota (count and budget) holds under any
number of concurrent approvals.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asahikawa import caching
from asahikawa.accounts.roles import in_department
from asahikawa.accounts.selectors import profile_for
from asahikawa.errors import ApplicationError, ErrorCode
from asahikawa.notifications.services import notify
from asahikawa.uploads import private_storage, validate_document

from .formula import MAX_COST, subsidy_amount
from .models import (
    EDITABLE,
    GRANTED,
    MAX_LINE_ITEMS,
    PENDING,
    ApplicantType,
    Application,
    Document,
    DocumentRequirement,
    LineItem,
    LotteryDraw,
    Program,
    ReceiptCounter,
    Selection,
    Stage,
    Status,
    StatusChange,
)
from .workflow import APPLICANT, STAFF, SYSTEM, step_for

logger = logging.getLogger(__name__)

BULK_SAFE = (Status.UNDER_REVIEW, Status.PAID)  # steps staff may take for many applications at once
BULK_MAX = 200


def _fields_error(fields: dict, message=None) -> ApplicationError:
    return ApplicationError(message or _("入力内容を確認してください。"), extra={"fields": fields})


def _not_found() -> ApplicationError:
    return ApplicationError(_("申請が見つかりません。"), code=ErrorCode.NOT_FOUND)


# --- eligibility and drafts (the applicant's side) --------------------------------------------

def eligibility_failures(program: Program, answers: dict) -> list:
    """The questions answered with their disqualifying answer, or not answered at all."""
    failures = []
    for question in program.questions.all():
        answer = answers.get(str(question.pk), answers.get(question.pk))
        if answer is None or answer == question.disqualifying_answer:
            failures.append(question)
    return failures


def application_start(*, user, program_id: int, answers: dict) -> Application:
    """Answer the eligibility questions and start (or reopen) the user's draft for the program.
    A disqualifying answer stops here: ApplicationError with the reasons, nothing written."""
    program = Program.objects.filter(pk=program_id, published=True).first()
    if program is None:
        raise ApplicationError(_("制度が見つかりません。"), code=ErrorCode.NOT_FOUND)
    if not program.is_open():
        raise ApplicationError(_("この制度は受付期間外です。"), code=ErrorCode.OUT_OF_PERIOD)
    failures = eligibility_failures(program, answers)
    if failures:
        unanswered = [q for q in failures if answers.get(str(q.pk), answers.get(q.pk)) is None]
        if unanswered:
            raise _fields_error({f"q_{q.pk}": [_("「はい」か「いいえ」を選んでください。")] for q in unanswered})
        raise ApplicationError(
            _("この制度の対象になりません。"),
            extra={"fields": {f"q_{q.pk}": [q.reason_text] for q in failures}, "reasons": [q.reason_text for q in failures]},
        )
    stored = {str(q.pk): bool(answers.get(str(q.pk), answers.get(q.pk))) for q in program.questions.all()}
    with transaction.atomic():
        draft = (Application.objects.select_for_update()
                 .filter(program=program, applicant=user, status=Status.DRAFT).order_by("pk").first())
        if draft is not None:
            draft.eligibility = stored
            draft.save(update_fields=["eligibility", "updated_at"])
            return draft
        return Application.objects.create(
            program=program, applicant=user, status=Status.DRAFT, eligibility=stored,
            applicant_type=program.applicant_types[0], applicant_name=profile_for(user).display_name[:100],
        )


def _own(user, application_id, *, lock=False) -> Application:
    query = Application.objects.select_related("program")
    if lock:
        query = query.select_for_update(of=("self",))
    application = query.filter(pk=application_id, applicant=user).first() if user.is_authenticated else None
    if application is None:
        raise _not_found()
    return application


def _recompute(application: Application) -> int:
    """Eligible cost and requested amount from the stored line items (the server's own computation)."""
    costs = list(LineItem.objects.filter(application=application).values_list("cost", flat=True))
    result = subsidy_amount(application.program.formula, costs=costs,
                            national_subsidy=application.national_subsidy if application.program.combines else 0)
    application.eligible_cost = result.eligible_cost
    application.requested_amount = result.amount
    return result.amount


APPLICANT_FIELDS = ("applicant_type", "applicant_name", "business_name", "applicant_address", "applicant_phone",
                    "national_subsidy")


def application_save(*, user, application_id: int, data: dict, items: list[dict], uploads=()) -> Application:
    """Save the applicant's draft (or the returned application they are correcting): their details,
    the line items (replacing the stored ones), new documents. The amount is computed again here."""
    with _FilesOfTransaction() as written, transaction.atomic():
        application = _own(user, application_id, lock=True)
        if application.status not in EDITABLE:
            raise ApplicationError(_("この申請は今は変更できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
        program = application.program
        errors = {}
        if data.get("applicant_type") not in program.applicant_types:
            errors["applicant_type"] = [_("この制度に申請できる区分を選んでください。")]
        if len(items) > MAX_LINE_ITEMS:
            errors["items"] = [_("明細は%(n)s行までです。") % {"n": MAX_LINE_ITEMS}]
        for index, item in enumerate(items):
            cost = item.get("cost")
            if not isinstance(cost, int) or isinstance(cost, bool) or not 1 <= cost <= MAX_COST:
                errors[f"items-{index}-cost"] = [_("経費は1円以上の整数（円）で入力してください。")]
        national = data.get("national_subsidy") or 0
        if not program.combines:
            national = 0
        elif not isinstance(national, int) or not 0 <= national <= MAX_COST:
            errors["national_subsidy"] = [_("国の補助の額は0円以上の整数（円）で入力してください。")]
        if errors:
            raise _fields_error(errors)
        for name in APPLICANT_FIELDS:
            if name in data:
                setattr(application, name, data[name] if data[name] is not None else "")
        application.national_subsidy = national
        LineItem.objects.filter(application=application).delete()
        LineItem.objects.bulk_create(
            [LineItem(application=application, order=index, name=item["name"][:200], cost=item["cost"])
             for index, item in enumerate(items)]
        )
        _recompute(application)
        application.save()
        for requirement_id, upload in uploads:
            _document_store(application=application, requirement_id=requirement_id, upload=upload, user=user,
                            stage=Stage.APPLICATION, written=written)
    return application


@transaction.atomic
def application_delete_draft(*, user, application_id: int) -> None:
    application = _own(user, application_id, lock=True)
    if application.status != Status.DRAFT:
        raise ApplicationError(_("削除できるのは下書きだけです。提出した申請は取り下げてください。"),
                               code=ErrorCode.NOT_ALLOWED_NOW)
    names = list(application.documents.values_list("file", flat=True))
    application.delete()
    transaction.on_commit(partial(_files_delete, names))


def _files_delete(names) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the row is gone; a file left behind is logged, not shown to the user
            logger.warning("grants: could not delete the private file %s", name)


# --- documents -----------------------------------------------------------------------------------

def _document_store(*, application, requirement_id, upload, user, stage, written: list) -> Document:
    requirement = None
    if requirement_id is not None:
        requirement = DocumentRequirement.objects.filter(
            pk=requirement_id, program_id=application.program_id, stage=stage
        ).first()
        if requirement is None:
            raise _fields_error({"requirement": [_("この申請の書類の種類を選んでください。")]})
    try:
        content_type = validate_document(upload)
    except ValidationError as error:
        field = f"doc_{requirement_id}" if requirement_id is not None else "file"
        raise _fields_error({field: list(error.messages)}) from None
    document = Document(
        application=application, requirement=requirement, stage=stage, original_name=(upload.name or "document")[-200:],
        content_type=content_type, size=upload.size, uploaded_by=user,
    )
    document.file.save(upload.name or "document", upload, save=False)
    written.append(document.file.name)
    document.save()
    return document


class _FilesOfTransaction:
    """Files stored inside a service's transaction: deleted again when the transaction fails, so
    that a refused or failed save leaves no orphan in the private storage."""

    def __init__(self):
        self.names = []

    def __enter__(self):
        return self.names

    def __exit__(self, kind, value, traceback):
        if kind is not None and self.names:
            _files_delete(self.names)
        return False


def document_add(*, user, application_id: int, requirement_id: int | None, upload) -> Document:
    """The applicant adds a document: application documents while editing, completion documents
    (receipts, photos) while approved."""
    with _FilesOfTransaction() as written, transaction.atomic():
        application = _own(user, application_id, lock=True)
        if application.status in EDITABLE:
            stage = Stage.APPLICATION
        elif application.status == Status.APPROVED:
            stage = Stage.COMPLETION
        else:
            raise ApplicationError(_("この申請には今は書類を追加できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
        return _document_store(application=application, requirement_id=requirement_id, upload=upload, user=user,
                               stage=stage, written=written)


@transaction.atomic
def document_delete(*, user, document_id: int) -> None:
    document = Document.objects.select_related("application").filter(pk=document_id, application__applicant=user).first()
    if document is None or not user.is_authenticated:
        raise ApplicationError(_("書類が見つかりません。"), code=ErrorCode.NOT_FOUND)
    application = _own(user, document.application_id, lock=True)
    allowed = (document.stage == Stage.APPLICATION and application.status in EDITABLE) or (
        document.stage == Stage.COMPLETION and application.status == Status.APPROVED
    )
    if not allowed:
        raise ApplicationError(_("提出済みの書類は削除できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    name = document.file.name
    document.delete()
    transaction.on_commit(partial(_files_delete, [name]))


# --- receipt numbers -----------------------------------------------------------------------------

def receipt_number_next(program: Program) -> str:
    """The next receipt number of the program: R5-SMART-000123 (era and year of the program's
    fiscal year, the program's code, a sequence per prefix). One atomic upsert on the counter row:
    concurrent submissions queue on that row and never get the same number (and the number is
    unique in the database as well)."""
    prefix = f"{program.era_prefix}-{program.code}"
    table = connection.ops.quote_name(ReceiptCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 1) "
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix],
        )
        (number,) = cursor.fetchone()
    return f"{prefix}-{number:06d}"


# --- the workflow ----------------------------------------------------------------------------------

def _roles(actor, application: Application, system: bool) -> set:
    roles = {SYSTEM} if system else set()
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active:
        if application.applicant_id == actor.pk:
            roles.add(APPLICANT)  # never also staff of their own application
        elif application.status != Status.DRAFT and in_department(actor, application.program.department):
            roles.add(STAFF)
    return roles


def _begin(application_id: int, to: str, *, actor, system=False, lock_program=False) -> tuple[Application, str]:
    """Lock the application (and its program first, for approvals), check the step against the
    table and the actor against the step. Returns (application, the role the actor acts in)."""
    if lock_program:
        program_id = Application.objects.filter(pk=application_id).values_list("program_id", flat=True).first()
        if program_id is None:
            raise _not_found()
        list(Program.objects.select_for_update().filter(pk=program_id).values_list("pk", flat=True))
    application = (Application.objects.select_for_update(of=("self",)).select_related("program")
                   .filter(pk=application_id).first())
    if application is None:
        raise _not_found()
    roles = _roles(actor, application, system)
    if not roles:
        raise _not_found()  # not theirs: the same answer as an id that does not exist
    step = step_for(application.status, to)
    if step is None:
        raise ApplicationError(
            _("「%(from)s」の申請を「%(to)s」にすることはできません。")
            % {"from": Status(application.status).label, "to": Status(to).label},
            code=ErrorCode.NOT_ALLOWED_NOW,
        )
    allowed = roles & step.by
    if not allowed:
        raise PermissionDenied
    return application, sorted(allowed)[0]


def _move(application: Application, *, to: str, actor, role: str, comment: str = "", amount=None) -> Application:
    step = step_for(application.status, to)
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise _fields_error({"comment": [_("理由を入力してください（申請者に伝わります）。")]})
    now = timezone.now()
    StatusChange.objects.create(
        application=application, from_status=application.status, to_status=to,
        actor=actor if role != SYSTEM else None, by_applicant=role == APPLICANT, at=now, comment=comment[:2000],
        amount=amount,
    )
    application.status = to
    application.status_changed_at = now
    application.save()
    transaction.on_commit(partial(status_notify, application_ids=[application.pk], status=to))
    return application


def _check_complete(application: Application) -> None:
    """Everything a submission needs, as one error naming each field."""
    program = application.program
    errors = {}
    for name, message in (("applicant_name", _("氏名を入力してください。")),
                          ("applicant_address", _("住所を入力してください。")),
                          ("applicant_phone", _("電話番号を入力してください。"))):
        if not getattr(application, name).strip():
            errors[name] = [message]
    if application.applicant_type not in program.applicant_types:
        errors["applicant_type"] = [_("この制度に申請できる区分を選んでください。")]
    if application.applicant_type != ApplicantType.INDIVIDUAL and not application.business_name.strip():
        errors["business_name"] = [_("事業者名・法人名を入力してください。")]
    if eligibility_failures(program, application.eligibility or {}):
        errors["eligibility"] = [_("対象要件の質問に答え直してください（対象外の回答があります）。")]
    amount = _recompute(application)
    if not LineItem.objects.filter(application=application).exists():
        errors["items"] = [_("対象経費の明細を1行以上入力してください。")]
    elif amount <= 0:
        errors["items"] = [_("補助額が0円になるため申請できません（経費と国の補助の額を確かめてください）。")]
    if program.combines and application.national_subsidy > application.eligible_cost:
        errors["national_subsidy"] = [_("国の補助の額が対象経費を超えています。")]
    missing = _missing_documents(application, Stage.APPLICATION)
    if missing:
        errors["documents"] = [_("次の書類を添付してください: %(names)s") % {"names": "、".join(r.title for r in missing)}]
    if errors:
        raise _fields_error(errors, _("申請に足りないところがあります。"))


def _missing_documents(application: Application, stage: str) -> list:
    have = set(application.documents.filter(stage=stage).values_list("requirement_id", flat=True))
    return [r for r in application.program.requirements.filter(stage=stage, required=True) if r.pk not in have]


def application_submit(*, application_id: int, actor) -> Application:
    """The applicant submits the draft: complete, within the window; it gets its receipt number."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.SUBMITTED, actor=actor)
        if not application.program.is_open():
            raise ApplicationError(_("この制度は受付期間外です。"), code=ErrorCode.OUT_OF_PERIOD)
        _check_complete(application)
        application.receipt_number = receipt_number_next(application.program)
        application.submitted_at = timezone.now()
        return _move(application, to=Status.SUBMITTED, actor=actor, role=role)


def application_resubmit(*, application_id: int, actor, comment: str = "") -> Application:
    """The applicant sends the corrected application back (the window need not be open)."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.RESUBMITTED, actor=actor)
        _check_complete(application)
        return _move(application, to=Status.RESUBMITTED, actor=actor, role=role, comment=comment)


def application_start_review(*, application_id: int, actor, comment: str = "") -> Application:
    with transaction.atomic():
        application, role = _begin(application_id, Status.UNDER_REVIEW, actor=actor)
        return _move(application, to=Status.UNDER_REVIEW, actor=actor, role=role, comment=comment)


def application_return(*, application_id: int, actor, comment: str) -> Application:
    """Staff return the application for correction (差戻し), saying what to correct."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.RETURNED, actor=actor)
        return _move(application, to=Status.RETURNED, actor=actor, role=role, comment=comment)


def application_reject(*, application_id: int, actor, comment: str) -> Application:
    with transaction.atomic():
        application, role = _begin(application_id, Status.REJECTED, actor=actor)
        return _move(application, to=Status.REJECTED, actor=actor, role=role, comment=comment)


def program_granted(program_id: int) -> dict:
    """How many grants the program holds and their committed amount (confirmed, else approved)."""
    return Application.objects.filter(program_id=program_id, status__in=GRANTED).aggregate(
        count=Count("id"), amount=Coalesce(Sum(Coalesce("confirmed_amount", "approved_amount")), 0)
    )


def application_approve(*, application_id: int, actor, amount: int | None = None, comment: str = "") -> Application:
    """The grant decision (交付決定) at the computed amount or a lower one. The program row is locked
    first: approvals of one program run one after another, and each sees the ones before it, so the
    count and the budget are never exceeded."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.APPROVED, actor=actor, lock_program=True)
        program = application.program
        if program.selection == Selection.LOTTERY:
            if not LotteryDraw.objects.filter(program=program).exists():
                raise ApplicationError(_("抽選の前は交付決定できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
            if not application.lottery_won:
                raise ApplicationError(_("抽選で選ばれていない申請です。"), code=ErrorCode.NOT_ALLOWED_NOW)
        computed = _recompute(application)
        amount = computed if amount is None else amount
        if not isinstance(amount, int) or amount < 1 or amount > computed:
            raise _fields_error({"amount": [_("交付決定額は1円以上、計算した補助額（%(computed)s円）以下にしてください。")
                                            % {"computed": f"{computed:,}"}]})
        granted = program_granted(program.pk)
        if program.max_grants is not None and granted["count"] + 1 > program.max_grants:
            raise ApplicationError(_("交付予定件数（%(n)s件）に達しています。") % {"n": program.max_grants},
                                   code=ErrorCode.LIMIT_REACHED)
        if program.budget is not None and granted["amount"] + amount > program.budget:
            raise ApplicationError(
                _("予算の残り（%(left)s円）を超えます。") % {"left": f"{program.budget - granted['amount']:,}"},
                code=ErrorCode.LIMIT_REACHED,
            )
        application.approved_amount = amount
        application.decided_at = timezone.now()
        return _move(application, to=Status.APPROVED, actor=actor, role=role, comment=comment, amount=amount)


def application_report_completion(*, application_id: int, actor, actual_cost: int) -> Application:
    """The applicant reports completion (実績報告): the actual cost, with receipts and photos."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.COMPLETION_REPORTED, actor=actor)
        errors = {}
        if not isinstance(actual_cost, int) or isinstance(actual_cost, bool) or not 1 <= actual_cost <= MAX_COST:
            errors["actual_cost"] = [_("実績の経費は1円以上の整数（円）で入力してください。")]
        missing = _missing_documents(application, Stage.COMPLETION)
        if missing:
            errors["documents"] = [_("次の書類を添付してください: %(names)s") % {"names": "、".join(r.title for r in missing)}]
        if errors:
            raise _fields_error(errors, _("実績報告に足りないところがあります。"))
        application.actual_cost = actual_cost
        application.completion_reported_at = timezone.now()
        return _move(application, to=Status.COMPLETION_REPORTED, actor=actor, role=role)


def completion_report(*, user, application_id: int, actual_cost: int, uploads=()) -> Application:
    """The completion report with its documents, in one step: refused, nothing is kept."""
    with _FilesOfTransaction() as written, transaction.atomic():
        application = _own(user, application_id, lock=True)
        if application.status != Status.APPROVED:
            raise ApplicationError(_("実績報告は交付決定の後に行います。"), code=ErrorCode.NOT_ALLOWED_NOW)
        for requirement_id, upload in uploads:
            _document_store(application=application, requirement_id=requirement_id, upload=upload, user=user,
                            stage=Stage.COMPLETION, written=written)
        return application_report_completion(application_id=application.pk, actor=user, actual_cost=actual_cost)


def confirmable_amount(application: Application) -> int:
    """The formula on the actual cost, never above the approved amount."""
    result = subsidy_amount(application.program.formula, costs=[application.actual_cost or 0],
                            national_subsidy=application.national_subsidy if application.program.combines else 0)
    return min(result.amount, application.approved_amount or 0)


def application_confirm(*, application_id: int, actor, amount: int | None = None, comment: str = "") -> Application:
    """Staff confirm the amount (交付確定) from the completion report."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.CONFIRMED, actor=actor)
        computed = confirmable_amount(application)
        amount = computed if amount is None else amount
        if not isinstance(amount, int) or amount < 0 or amount > computed:
            raise _fields_error({"amount": [_("交付確定額は0円以上、実績から計算した額（%(computed)s円）以下にしてください。")
                                            % {"computed": f"{computed:,}"}]})
        application.confirmed_amount = amount
        application.confirmed_at = timezone.now()
        return _move(application, to=Status.CONFIRMED, actor=actor, role=role, comment=comment, amount=amount)


def application_mark_paid(*, application_id: int, actor, comment: str = "") -> Application:
    with transaction.atomic():
        application, role = _begin(application_id, Status.PAID, actor=actor)
        application.paid_at = timezone.now()
        return _move(application, to=Status.PAID, actor=actor, role=role, comment=comment,
                     amount=application.confirmed_amount)


def application_withdraw(*, application_id: int, actor, comment: str = "") -> Application:
    """The applicant withdraws (取下げ); an approved grant goes back to the program's quota."""
    with transaction.atomic():
        application, role = _begin(application_id, Status.WITHDRAWN, actor=actor)
        return _move(application, to=Status.WITHDRAWN, actor=actor, role=role, comment=comment)


def application_transition(*, application_id: int, to: str, actor, comment: str = "", amount: int | None = None):
    """One entry for any step (the staff console's buttons, the tests of the table)."""
    if to == Status.SUBMITTED:
        return application_submit(application_id=application_id, actor=actor)
    if to == Status.RESUBMITTED:
        return application_resubmit(application_id=application_id, actor=actor, comment=comment)
    if to == Status.UNDER_REVIEW:
        return application_start_review(application_id=application_id, actor=actor, comment=comment)
    if to == Status.RETURNED:
        return application_return(application_id=application_id, actor=actor, comment=comment)
    if to == Status.APPROVED:
        return application_approve(application_id=application_id, actor=actor, amount=amount, comment=comment)
    if to == Status.REJECTED:
        return application_reject(application_id=application_id, actor=actor, comment=comment)
    if to == Status.COMPLETION_REPORTED:
        return application_report_completion(application_id=application_id, actor=actor, actual_cost=amount)
    if to == Status.CONFIRMED:
        return application_confirm(application_id=application_id, actor=actor, amount=amount, comment=comment)
    if to == Status.PAID:
        return application_mark_paid(application_id=application_id, actor=actor, comment=comment)
    if to == Status.WITHDRAWN:
        return application_withdraw(application_id=application_id, actor=actor, comment=comment)
    with transaction.atomic():
        _begin(application_id, to, actor=actor)  # refuses: no step of the table leads back to a draft
    raise ApplicationError(_("この操作はできません。"), code=ErrorCode.NOT_ALLOWED_NOW)


def applications_bulk(*, application_ids, to: str, actor, comment: str = "") -> tuple[list, list]:
    """The staff console's bulk actions, only for the steps safe to take for many at once (start
    the review, record the payment). Each application is its own step (locked, checked, recorded);
    the refusals are returned with their reasons. Returns (done ids, [(id, message)])."""
    if to not in BULK_SAFE:
        raise ApplicationError(_("この操作はまとめて行えません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    done, refused = [], []
    for application_id in list(dict.fromkeys(application_ids))[:BULK_MAX]:
        try:
            application_transition(application_id=application_id, to=to, actor=actor, comment=comment)
            done.append(application_id)
        except ApplicationError as error:
            refused.append((application_id, error.message))
        except PermissionDenied:
            refused.append((application_id, _("権限がありません。")))
    return done, refused


# --- notifications --------------------------------------------------------------------------------

STATUS_TITLES = {
    Status.SUBMITTED: gettext_lazy("補助金の申請を受け付けました（受付番号 %(number)s）"),
    Status.UNDER_REVIEW: gettext_lazy("補助金の申請の審査を始めました（受付番号 %(number)s）"),
    Status.RETURNED: gettext_lazy("補助金の申請が差し戻されました。修正して再提出してください（受付番号 %(number)s）"),
    Status.RESUBMITTED: gettext_lazy("修正した申請を受け付けました（受付番号 %(number)s）"),
    Status.APPROVED: gettext_lazy("補助金の交付が決定しました（受付番号 %(number)s）"),
    Status.REJECTED: gettext_lazy("補助金を交付しないことになりました（受付番号 %(number)s）"),
    Status.COMPLETION_REPORTED: gettext_lazy("実績報告を受け付けました（受付番号 %(number)s）"),
    Status.CONFIRMED: gettext_lazy("補助金の額が確定しました（受付番号 %(number)s）"),
    Status.PAID: gettext_lazy("補助金をお支払いしました（受付番号 %(number)s）"),
    Status.WITHDRAWN: gettext_lazy("補助金の申請を取り下げました（受付番号 %(number)s）"),
}


def status_notify(*, application_ids, status: str) -> int:
    """Tell each applicant that their application moved to `status` (after the step committed).
    No amounts or comments in the message: the applicant reads them on the portal."""
    rows = list(Application.objects.filter(pk__in=application_ids, applicant__isnull=False)
                .select_related("program").order_by("pk"))
    if not rows:
        return 0
    template = STATUS_TITLES[status]
    sent = 0
    # One notify() per application (the title carries its receipt number); a step touches one
    # application, and the lottery's many go through notify_lottery instead.
    for application in rows:
        program = application.program
        notify(
            user_ids=[application.applicant_id], kind="subsidy",
            title=lambda a=application: template % {"number": a.receipt_number or "-"},
            body=lambda p=program: _("%(program)s\n状況: %(status)s\n詳しくはポータルの申請ページでご確認ください。")
            % {"program": p.title, "status": Status(status).label},
            url=reverse("grants:application", args=[application.pk]),
        )
        sent += 1
    return sent


# --- the lottery --------------------------------------------------------------------------------

def lottery_ranking(seed: str, receipt_numbers) -> list[str]:
    """The order of a draw: each receipt number by SHA-256 of "<seed>:<receipt number>" (hex,
    ascending). Anyone with the seed and the list can compute it again, in any language; the
    order the list comes in does not matter."""
    return sorted(set(receipt_numbers), key=lambda number: (hashlib.sha256(f"{seed}:{number}".encode()).hexdigest(), number))


def lottery_draw(*, program_id: int, actor, seed: str | None = None) -> LotteryDraw:
    """Draw the lottery of an oversubscribed program, once, after its window closed.

    The candidates are the applications still pending (submitted, under review, returned,
    resubmitted); they are ranked by lottery_ranking with a random seed (recorded), and walked in
    that order: each is selected while it fits the count and the budget left. The others are
    rejected (a step of the table, taken by the system), set-based: one UPDATE, one INSERT of
    their history, one notify per outcome."""
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(pk=program_id).first()
        if program is None:
            raise ApplicationError(_("制度が見つかりません。"), code=ErrorCode.NOT_FOUND)
        if not in_department(actor, program.department):
            raise PermissionDenied
        if program.selection != Selection.LOTTERY:
            raise ApplicationError(_("この制度は抽選で選びません（先着順）。"), code=ErrorCode.NOT_ALLOWED_NOW)
        if timezone.localdate() <= program.closes_on:
            raise ApplicationError(_("抽選は受付期間が終わってから行います。"), code=ErrorCode.OUT_OF_PERIOD)
        if LotteryDraw.objects.filter(program=program).exists():
            raise ApplicationError(_("この制度の抽選はすでに行いました。"), code=ErrorCode.NOT_ALLOWED_NOW)
        candidates = {
            number: (pk, amount, status)
            for pk, number, amount, status in Application.objects.select_for_update()
            .filter(program=program, status__in=PENDING).order_by("receipt_number")
            .values_list("pk", "receipt_number", "requested_amount", "status")
        }
        seed = seed or secrets.token_hex(16)
        ranking = lottery_ranking(seed, candidates)
        granted = program_granted(program.pk)
        count, total = granted["count"], granted["amount"]
        winners, losers = [], []
        for number in ranking:
            pk, amount, status = candidates[number]
            fits = (program.max_grants is None or count + 1 <= program.max_grants) and (
                program.budget is None or total + amount <= program.budget
            )
            if fits:
                winners.append(number)
                count, total = count + 1, total + amount
            else:
                losers.append(number)
        now = timezone.now()
        rank = {number: index for index, number in enumerate(ranking, start=1)}
        winner_set = set(winners)
        updates = []
        for number in ranking:
            pk, _amount, status = candidates[number]
            won = number in winner_set
            application = Application(pk=pk, lottery_rank=rank[number], lottery_won=won, status=status,
                                      status_changed_at=now)
            if not won:
                step = step_for(status, Status.REJECTED)
                if step is None or SYSTEM not in step.by:  # the table must allow the lottery's step
                    raise RuntimeError(f"the workflow table does not let the lottery reject a {status} application")
                application.status = Status.REJECTED
            updates.append(application)
        Application.objects.bulk_update([a for a in updates if a.lottery_won], ["lottery_rank", "lottery_won"],
                                        batch_size=1000)
        Application.objects.bulk_update([a for a in updates if not a.lottery_won],
                                        ["lottery_rank", "lottery_won", "status", "status_changed_at"], batch_size=1000)
        caching.changed("grants")  # bulk_update sends no signal: the program lists' grant counts
        StatusChange.objects.bulk_create(
            [StatusChange(application_id=candidates[number][0], from_status=candidates[number][2],
                          to_status=Status.REJECTED, actor=None, at=now,
                          comment=f"抽選の結果、選ばれませんでした（順位 {rank[number]}）")
             for number in losers],
            batch_size=1000,
        )
        try:
            with transaction.atomic():
                draw = LotteryDraw.objects.create(program=program, seed=seed, drawn_at=now, drawn_by=actor,
                                                  candidates=sorted(candidates), ranking=ranking, winners=winners)
        except IntegrityError:
            raise ApplicationError(_("この制度の抽選はすでに行いました。"), code=ErrorCode.NOT_ALLOWED_NOW) from None
        winner_ids = [candidates[n][0] for n in winners]
        loser_ids = [candidates[n][0] for n in losers]
        transaction.on_commit(partial(lottery_notify, program_id=program.pk, winner_ids=winner_ids, loser_ids=loser_ids))
    return draw


def lottery_notify(*, program_id: int, winner_ids, loser_ids) -> None:
    program = Program.objects.get(pk=program_id)
    for ids, text in ((winner_ids, gettext_lazy("抽選の結果、あなたの申請が選ばれました。審査を続けます。")),
                      (loser_ids, gettext_lazy("抽選の結果、あなたの申請は選ばれませんでした。"))):
        users = list(Application.objects.filter(pk__in=ids, applicant__isnull=False).values_list("applicant_id", flat=True))
        if users:
            notify(user_ids=users, kind="subsidy",
                   title=lambda: _("抽選の結果のお知らせ（%(program)s）") % {"program": program.title},
                   body=text, url=reverse("grants:applications"))


def lottery_verify(draw: LotteryDraw) -> bool:
    """The recorded ranking is what the recorded seed gives."""
    return lottery_ranking(draw.seed, draw.candidates) == list(draw.ranking)


# --- the account --------------------------------------------------------------------------------

@transaction.atomic
def applicant_data_erase(*, user) -> int:
    """The account deletion: the user's applications and their files go, except those with a grant
    decision (the city's record of a public payment), which stay detached from the account."""
    applications = Application.objects.filter(applicant=user).exclude(status__in=GRANTED)
    names = list(Document.objects.filter(application__in=applications).values_list("file", flat=True))
    count = applications.count()
    applications.delete()
    transaction.on_commit(partial(_files_delete, names))
    return count
