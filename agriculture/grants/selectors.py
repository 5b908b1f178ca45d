"""Every non-trivial read of the subsidy engine."""
from __future__ import annotations

import pandas as pd
from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asahikawa.accounts.roles import departments as departments_of
from asahikawa.departments import DEPARTMENTS

from .models import (
    GRANTED,
    WAITING,
    Application,
    DocumentRequirement,
    Program,
    Status,
    StatusChange,
)

# --- programs -------------------------------------------------------------------------------------


def programs_public(*, department: str | None = None):
    query = Program.objects.filter(published=True)
    if department:
        query = query.filter(department=department)
    return query.order_by("-fiscal_year", "code")


def program_figures(program_ids) -> dict:
    """Per program: applications received (not drafts), grants held, their committed amount
    (confirmed, else approved). One query whatever the number of programs."""
    rows = (
        Application.objects.filter(program_id__in=list(program_ids)).exclude(status=Status.DRAFT)
        .values("program_id")
        .annotate(
            received=Count("id"),
            granted=Count("id", filter=Q(status__in=GRANTED)),
            amount=Coalesce(Sum(Coalesce("confirmed_amount", "approved_amount"), filter=Q(status__in=GRANTED)), 0),
            waiting=Count("id", filter=Q(status__in=WAITING)),
        )
    )
    return {row["program_id"]: row for row in rows}


def figures_for(program: Program, figures: dict | None) -> dict:
    """The figures of one program, with what remains of its quota (None where it has no limit)."""
    row = figures or {"received": 0, "granted": 0, "amount": 0, "waiting": 0}
    return {
        **row,
        "remaining_grants": None if program.max_grants is None else max(0, program.max_grants - row["granted"]),
        "remaining_budget": None if program.budget is None else max(0, program.budget - row["amount"]),
    }


def programs_with_figures(programs) -> list[tuple[Program, dict]]:
    programs = list(programs)
    figures = program_figures([p.pk for p in programs])
    return [(program, figures_for(program, figures.get(program.pk))) for program in programs]


def program_detail(pk: int) -> Program | None:
    return (
        Program.objects.filter(pk=pk, published=True)
        .prefetch_related("questions", Prefetch("requirements", DocumentRequirement.objects.order_by("stage", "order", "id")))
        .first()
    )


# --- the applicant's own --------------------------------------------------------------------------

def applications_of(user):
    return Application.objects.filter(applicant=user).select_related("program").order_by("-created_at", "-id")


def application_lines(user) -> list[dict]:
    """The applicant's list page: the columns it shows, as dicts (no model a row), each row's
    status label and amount written with labels translated once."""
    english = (get_language() or "").split("-")[0] == "en"
    labels = row_labels()
    rows = list(
        applications_of(user).values("pk", "receipt_number", "is_sample", "status", "requested_amount", "approved_amount",
                                     "confirmed_amount", "status_changed_at", program_name=F("program__name"),
                                     program_name_en=F("program__name_en"))
    )
    for row in rows:
        row["program_title"] = (english and row["program_name_en"]) or row["program_name"]
        row["status_label"] = labels["status"].get(row["status"], row["status"])
        committed = row["confirmed_amount"] if row["confirmed_amount"] is not None else row["approved_amount"]
        row["amount_text"] = yen_text(labels["yen"], committed if committed is not None else row["requested_amount"])
    return rows


def application_of(user, pk: int) -> Application | None:
    if not user.is_authenticated:
        return None
    return (
        Application.objects.filter(pk=pk, applicant=user)
        .select_related("program")
        .prefetch_related("items", "documents__requirement", "program__requirements", "program__questions",
                          Prefetch("history", StatusChange.objects.select_related("actor")))
        .first()
    )


# --- staff ----------------------------------------------------------------------------------------

def staff_departments(user) -> list[str]:
    """The departments whose programs this staff user reviews (a superuser: all of them)."""
    if user.is_active and user.is_superuser:
        return list(DEPARTMENTS)
    return sorted(departments_of(user))


def staff_programs(user):
    return Program.objects.filter(department__in=staff_departments(user)).order_by("-fiscal_year", "code")


def staff_applications(user):
    """What staff may see: the submitted applications (never drafts) of their departments' programs."""
    return (
        Application.objects.filter(program__department__in=staff_departments(user))
        .exclude(status=Status.DRAFT)
        .select_related("program")
    )


def staff_application(user, pk: int) -> Application | None:
    return (
        staff_applications(user).filter(pk=pk)
        .prefetch_related("items", "documents__requirement", "program__requirements",
                          Prefetch("history", StatusChange.objects.select_related("actor")))
        .first()
    )


def row_labels() -> dict:
    """What a list of applications writes on every row, translated once per page: each status's
    label (as status_tag), the yen pattern (as |yen) and the checkbox's hidden label."""
    return {
        "status": {value: str(label) for value, label in Status.choices},
        "yen": _("%(amount)s円"),
        "choose": _("%(number)s を選ぶ"),
    }


def yen_text(pattern: str, amount) -> str:
    """|yen with a pattern translated once (row_labels()["yen"])."""
    return "" if amount is None else pattern % {"amount": f"{int(amount):,}"}


def waiting_days(application: Application, today=None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localdate(application.status_changed_at)).days


# --- exports --------------------------------------------------------------------------------------

APPLICATION_COLUMNS = {
    "receipt_number": "受付番号",
    "program__fiscal_year": "年度",
    "program__code": "制度コード",
    "program__name": "制度名",
    "status": "状況",
    "applicant_type": "申請者の区分",
    "applicant_name": "氏名",
    "business_name": "事業者名",
    "eligible_cost": "対象経費（円）",
    "national_subsidy": "国の補助（円）",
    "requested_amount": "申請額（円）",
    "approved_amount": "交付決定額（円）",
    "confirmed_amount": "交付確定額（円）",
    "submitted_at": "受付日時",
    "decided_at": "交付決定日時",
    "paid_at": "支払日時",
    "is_sample": "サンプル",
}
PAYMENT_COLUMNS = {
    "receipt_number": "受付番号",
    "program__fiscal_year": "年度",
    "program__code": "制度コード",
    "program__name": "制度名",
    "status": "状況",
    "applicant_name": "氏名",
    "business_name": "事業者名",
    "applicant_address": "住所",
    "applicant_phone": "電話番号",
    "approved_amount": "交付決定額（円）",
    "confirmed_amount": "交付確定額（円）",
    "payable_amount": "支払額（円）",
    "decided_at": "交付決定日時",
    "confirmed_at": "交付確定日時",
    "paid_at": "支払日時",
    "is_sample": "サンプル",
}


def _local_text(moment):
    return "" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def export_rows(queryset, columns: dict):
    """Rows (tuples in the columns' order) for a CSV or Excel export, read in chunks: the status
    as its label, moments in Asia/Tokyo, amounts as integers."""
    fields = [name for name in columns if name != "payable_amount"]
    labels = dict(Status.choices)
    for values in queryset.order_by("submitted_at", "id").values_list(*fields).iterator(chunk_size=2000):
        row = dict(zip(fields, values))
        row["status"] = str(labels.get(row["status"], row["status"]))
        for name in ("submitted_at", "decided_at", "confirmed_at", "paid_at"):
            if name in row:
                row[name] = _local_text(row[name])
        if "payable_amount" in columns:
            row["payable_amount"] = row["confirmed_amount"] if row["confirmed_amount"] is not None else row["approved_amount"]
        yield tuple(row[name] for name in columns)


def payments_queryset(queryset):
    """The payment export: applications with a grant decision (交付決定以降)."""
    return queryset.filter(status__in=GRANTED)


def export_frame(queryset, columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(export_rows(queryset, columns)), columns=list(columns.values()))
    for heading in columns.values():
        if heading.endswith("（円）"):
            frame[heading] = frame[heading].astype("Int64")
    return frame


# --- the resident's download ----------------------------------------------------------------------

def export_data(user) -> dict | None:
    applications = list(
        applications_of(user).prefetch_related("items", "documents", "history")
    )
    if not applications:
        return None
    return {
        "applications": [
            {
                "program": f"{a.program.fiscal_year} {a.program.code} {a.program.name}",
                "receipt_number": a.receipt_number,
                "status": a.status,
                "applicant_type": a.applicant_type,
                "applicant_name": a.applicant_name,
                "business_name": a.business_name,
                "applicant_address": a.applicant_address,
                "applicant_phone": a.applicant_phone,
                "eligibility": a.eligibility,
                "national_subsidy": a.national_subsidy,
                "eligible_cost": a.eligible_cost,
                "requested_amount": a.requested_amount,
                "approved_amount": a.approved_amount,
                "actual_cost": a.actual_cost,
                "confirmed_amount": a.confirmed_amount,
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                "items": [{"name": i.name, "cost": i.cost} for i in a.items.all()],
                "documents": [{"name": d.original_name, "type": d.content_type, "stage": d.stage,
                               "uploaded_at": d.uploaded_at.isoformat()} for d in a.documents.all()],
                "history": [{"from": h.from_status, "to": h.to_status, "at": h.at.isoformat(), "comment": h.comment}
                            for h in a.history.all()],
            }
            for a in applications
        ],
        "note": "交付決定を受けた申請は、アカウントを削除しても市の支出の記録として残ります。",
    }


def requirements_by_stage(program: Program, stage: str):
    return [r for r in program.requirements.all() if r.stage == stage]


def items_total(application: Application) -> int:
    return sum(item.cost for item in application.items.all())

