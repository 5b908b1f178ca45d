"""Every write of the young-carer support: applications, review, plans, visits, erasure.

Each step is atomic, locks its case (select_for_update), writes a CaseEvent (who, when, why) and
tells the people concerned with notify_selected() after commit. Notification texts name no
sensitive field: "申請の状況が変わりました", "訪問の予定が変わりました", never the reason, a name or an
address; the link leads to the page where the signed-in person sees the rest."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asahikawa.errors import ApplicationError, ErrorCode
from asahikawa.notifications.services import notify_selected

from .models import Case, CaseEvent, Settings, Status, Visit, weekday_mask

MAX_PLAN_DAYS = 366


def _not_found():
    return ApplicationError(_("見つかりません。"), code=ErrorCode.NOT_FOUND)


def _not_now():
    return ApplicationError(
        _("このケースには今その操作はできません（状況が変わった可能性があります）。"), code=ErrorCode.NOT_ALLOWED_NOW
    )


def _locked(case_id, *statuses) -> Case:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise _not_found()
    if statuses and case.status not in statuses:
        raise _not_now()
    return case


def _event(case, actor, action, reason=""):
    CaseEvent.objects.create(
        case=case, actor=actor if getattr(actor, "is_authenticated", False) else None, action=action, reason=reason
    )


def _field_error(field, message):
    return ApplicationError(message, extra={"fields": {field: [message]}})


# --- notifications (no sensitive field in any text) ------------------------------------------------


def _users():
    return get_user_model().objects.filter(is_active=True)


def _tell_household(case, *, key: str):
    if case.household_id is None:
        return
    notify_selected(
        users=_users().filter(pk=case.household_id),
        kind="young_carer",
        title=gettext_lazy("家事支援ヘルパーの申請の状況が変わりました"),
        body=gettext_lazy("ポータルにログインして、内容を確かめてください。"),
        url=reverse("carers:case", args=[case.pk]),
        dedupe_key=f"carers:{key}:{case.pk}:{timezone.now().timestamp()}",
    )


def _tell_household_visits(case, *, key: str):
    if case.household_id is None:
        return
    notify_selected(
        users=_users().filter(pk=case.household_id),
        kind="young_carer",
        title=gettext_lazy("家事支援ヘルパーの訪問の予定が変わりました"),
        body=gettext_lazy("ポータルにログインして、訪問の予定を確かめてください。"),
        url=reverse("carers:case", args=[case.pk]),
        dedupe_key=f"carers:{key}:{case.pk}:{timezone.now().timestamp()}",
    )


def _tell_agency(agency_id, *, key: str):
    notify_selected(
        users=_users().filter(profile__agency_id=agency_id),
        kind="young_carer",
        title=gettext_lazy("家事支援ヘルパーの訪問の予定が変わりました"),
        body=gettext_lazy("ポータルにログインして、訪問の予定を確かめてください。"),
        url=reverse("carers:agency_visits"),
        dedupe_key=f"carers:{key}:{agency_id}:{timezone.now().timestamp()}",
    )


# --- application ---------------------------------------------------------------------------------


def _check_period(start, end, *, fields=("wanted_from", "wanted_to")):
    if start and end and start > end:
        raise _field_error(fields[1], _("終了日は開始日より後にしてください。"))
    if start and end and (end - start).days > MAX_PLAN_DAYS:
        raise _field_error(fields[1], _("期間は1年以内にしてください。"))


@transaction.atomic
def case_apply(*, actor, data: dict, as_caseworker: bool = False, household=None, is_sample=False) -> Case:
    """A guardian applies for their household (household = actor), or a child-welfare caseworker
    on the household's behalf (household: the family's account if it has one, else None). The
    consent to the handling of sensitive personal information is required either way."""
    if not data.get("consent"):
        raise ApplicationError(
            _("要配慮個人情報の取扱いへの同意が必要です。"),
            code=ErrorCode.CONSENT_REQUIRED,
            extra={"fields": {"consent": [_("同意が必要です。")]}},
        )
    _check_period(data["wanted_from"], data["wanted_to"])
    case = Case(
        household=household if as_caseworker else actor,
        applied_by=actor,
        applied_as=Case.AppliedBy.CASEWORKER if as_caseworker else Case.AppliedBy.GUARDIAN,
        caseworker=actor if as_caseworker else None,
        guardian_name=data["guardian_name"],
        address=data["address"],
        phone=data["phone"],
        children=data.get("children") or [],
        reason=data["reason"],
        reason_detail=data.get("reason_detail", ""),
        services_wanted=list(data["services_wanted"]),
        preferred_weekdays=weekday_mask(data.get("preferred_weekdays") or []),
        preferred_hours=data.get("preferred_hours", ""),
        wanted_from=data["wanted_from"],
        wanted_to=data["wanted_to"],
        consent_at=timezone.now(),
        is_sample=is_sample,
    )
    case.full_clean()
    case.save()
    _event(case, actor, CaseEvent.Action.SUBMITTED)
    if as_caseworker:
        _tell_household(case, key="applied")
    return case


@transaction.atomic
def case_give_info(*, case_id, user, note: str) -> Case:
    """The household answers a request for more information: the case goes back to the queue."""
    case = _locked(case_id)
    if case.household_id != user.pk:
        raise _not_found()
    if case.status != Status.INFO_REQUESTED:
        raise _not_now()
    if not note.strip():
        raise _field_error("note", _("追加の情報を入力してください。"))
    case.household_note = (f"{case.household_note}\n\n{note}" if case.household_note else note)[:1000]
    case.status = Status.SUBMITTED
    case.save(update_fields=["household_note", "status"])
    _event(case, user, CaseEvent.Action.INFO_GIVEN)
    return case


# --- review --------------------------------------------------------------------------------------


def _reason_required(reason):
    if not (reason or "").strip():
        raise _field_error("reason", _("理由を入力してください。"))


@transaction.atomic
def case_request_info(*, case_id, actor, reason: str) -> Case:
    _reason_required(reason)
    case = _locked(case_id, Status.SUBMITTED)
    case.status = Status.INFO_REQUESTED
    case.save(update_fields=["status"])
    _event(case, actor, CaseEvent.Action.INFO_REQUESTED, reason)
    _tell_household(case, key="info")
    return case


def _closing(case, on: datetime.date):
    case.closed_on = on
    case.erase_after = on + datetime.timedelta(days=Settings.current().retention_days)


@transaction.atomic
def case_decline(*, case_id, actor, reason: str) -> Case:
    _reason_required(reason)
    case = _locked(case_id, Status.SUBMITTED, Status.INFO_REQUESTED)
    case.status = Status.DECLINED
    _closing(case, timezone.localdate())
    case.save(update_fields=["status", "closed_on", "erase_after"])
    _event(case, actor, CaseEvent.Action.DECLINED, reason)
    _tell_household(case, key="declined")
    return case


@transaction.atomic
def case_approve(
    *, case_id, actor, plan_start, plan_end, weekdays, minutes_per_visit: int, tasks, agency, caseworker=None
) -> Case:
    """Approve a plan: period, weekdays (visits per week), length of a visit, tasks, the agency.
    The visits of the whole period are generated at once (one statement)."""
    _check_period(plan_start, plan_end, fields=("plan_start", "plan_end"))
    if plan_start < timezone.localdate():
        raise _field_error("plan_start", _("開始日は今日以降にしてください。"))
    if not weekdays:
        raise _field_error("weekdays", _("訪問する曜日を選んでください。"))
    if not tasks:
        raise _field_error("tasks", _("支援の内容を選んでください。"))
    case = _locked(case_id, Status.SUBMITTED, Status.INFO_REQUESTED)
    case.status = Status.ACTIVE
    case.plan_start, case.plan_end = plan_start, plan_end
    case.plan_weekdays = weekday_mask(weekdays)
    case.minutes_per_visit = minutes_per_visit
    case.plan_tasks = list(tasks)
    case.agency = agency
    case.caseworker = caseworker or case.caseworker or actor
    case.full_clean()
    case.save()
    _event(case, actor, CaseEvent.Action.APPROVED)
    visits_generate(start=plan_start, end=plan_end, case_ids=[case.pk])
    _tell_household(case, key="approved")
    _tell_agency(agency.pk, key="approved")
    return case


@transaction.atomic
def case_extend(*, case_id, actor, plan_end, reason: str) -> Case:
    _reason_required(reason)
    case = _locked(case_id, Status.ACTIVE)
    if plan_end <= case.plan_end:
        raise _field_error("plan_end", _("延長後の終了日は、いまの終了日より後にしてください。"))
    _check_period(case.plan_start, plan_end, fields=("plan_start", "plan_end"))
    start = case.plan_end + datetime.timedelta(days=1)
    case.plan_end = plan_end
    case.save(update_fields=["plan_end"])
    _event(case, actor, CaseEvent.Action.EXTENDED, reason)
    visits_generate(start=start, end=plan_end, case_ids=[case.pk])
    _tell_household_visits(case, key="extended")
    _tell_agency(case.agency_id, key="extended")
    return case


@transaction.atomic
def case_end(*, case_id, actor, end_on, reason: str) -> Case:
    """End a plan early (end_on: the last day of support, today or later): the scheduled visits
    after it are removed, the case is closed once the day has passed."""
    _reason_required(reason)
    case = _locked(case_id, Status.ACTIVE)
    today = timezone.localdate()
    if end_on < today - datetime.timedelta(days=1) or end_on >= case.plan_end:
        raise _field_error("end_on", _("終了日は、昨日から、いまの終了日の前日までの日にしてください。"))
    case.plan_end = max(end_on, case.plan_start)
    update = ["plan_end"]
    if case.plan_end < today:
        case.status = Status.CLOSED
        _closing(case, case.plan_end)
        update += ["status", "closed_on", "erase_after"]
    case.save(update_fields=update)
    Visit.objects.filter(case=case, date__gt=case.plan_end, state=Visit.State.SCHEDULED).delete()
    _event(case, actor, CaseEvent.Action.ENDED, reason)
    _tell_household_visits(case, key="ended")
    _tell_agency(case.agency_id, key="ended")
    return case


def cases_close_finished(*, today=None) -> int:
    """Active cases whose plan ended before today are closed (set-based). Their retention starts."""
    today = today or timezone.localdate()
    days = Settings.current().retention_days
    finished = Case.objects.filter(status=Status.ACTIVE, plan_end__lt=today)
    with transaction.atomic():
        count = 0
        for end in finished.values_list("plan_end", flat=True).distinct().order_by():  # one per end date
            count += finished.filter(plan_end=end).update(
                status=Status.CLOSED, closed_on=end, erase_after=end + datetime.timedelta(days=days)
            )
    return count


# --- visits --------------------------------------------------------------------------------------


def _days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def visits_generate(*, start: datetime.date, end: datetime.date, case_ids=None) -> int:
    """Create the visits of active plans between start and end (inclusive), on each plan's
    weekdays, within its period, at its agency: one INSERT ... SELECT whatever the number of
    cases (the days are a small UNION of parameters; a visit that exists is left as it is)."""
    days = list(_days(start, end))
    if not days:
        return 0
    calendar = " UNION ALL ".join(["SELECT %s AS day, %s AS wbit"] * len(days))
    adapt = connection.ops.adapt_datefield_value
    params = [value for day in days for value in (adapt(day), 1 << day.weekday())]
    visit, case = Visit._meta.db_table, Case._meta.db_table
    where = ""
    if case_ids is not None:
        if not case_ids:
            return 0
        where = f" AND c.id IN ({', '.join(['%s'] * len(case_ids))})"
        params_tail = list(case_ids)
    else:
        params_tail = []
    sql = f"""
        INSERT INTO {visit} (case_id, agency_id, date, helper_name, state, tasks, note, cancel_reason)
        SELECT c.id, c.agency_id, d.day, '', %s, c.plan_tasks, '', ''
        FROM {case} c CROSS JOIN ({calendar}) d
        WHERE c.status = %s AND c.agency_id IS NOT NULL AND c.plan_start <= d.day AND d.day <= c.plan_end
          AND (c.plan_weekdays & d.wbit) <> 0{where}
        ON CONFLICT DO NOTHING
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [Visit.State.SCHEDULED, *params, Status.ACTIVE, *params_tail])
        return cursor.rowcount


def _agency_visit(visit_id, agency_id) -> Visit:
    visit = Visit.objects.select_for_update().select_related("case").filter(pk=visit_id, agency_id=agency_id).first()
    if visit is None:
        raise _not_found()
    return visit


@transaction.atomic
def visit_schedule(*, visit_id, agency_id, start_time, helper_name: str, actor=None) -> Visit:
    """The agency assigns its helper and the time. A change of time tells the household."""
    visit = _agency_visit(visit_id, agency_id)
    if visit.state != Visit.State.SCHEDULED:
        raise ApplicationError(_("記録済みの訪問は変更できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    changed = visit.start_time != start_time
    visit.start_time, visit.helper_name = start_time, helper_name
    visit.save(update_fields=["start_time", "helper_name"])
    if changed:
        _tell_household_visits(visit.case, key=f"visit-{visit.pk}")
    return visit


@transaction.atomic
def visit_record(*, visit_id, agency_id, tasks_done, minutes: int, note: str = "", actor=None) -> Visit:
    visit = _agency_visit(visit_id, agency_id)
    if visit.state != Visit.State.SCHEDULED:
        raise ApplicationError(_("この訪問はもう記録されています。"), code=ErrorCode.NOT_ALLOWED_NOW)
    if visit.date > timezone.localdate():
        raise _field_error("minutes", _("訪問日より前には記録できません。"))
    if not minutes or minutes <= 0 or minutes > 600:
        raise _field_error("minutes", _("時間は1〜600分で入力してください。"))
    visit.state, visit.tasks_done, visit.minutes, visit.note = Visit.State.DONE, list(tasks_done), minutes, note
    visit.recorded_at, visit.recorded_by = timezone.now(), actor
    visit.save()
    return visit


@transaction.atomic
def visit_cancel(*, visit_id, agency_id, reason: str, actor=None) -> Visit:
    if not (reason or "").strip():
        raise _field_error("cancel_reason", _("中止の理由を入力してください。"))
    visit = _agency_visit(visit_id, agency_id)
    if visit.state != Visit.State.SCHEDULED:
        raise ApplicationError(_("この訪問はもう記録されています。"), code=ErrorCode.NOT_ALLOWED_NOW)
    visit.state, visit.cancel_reason = Visit.State.CANCELLED, reason
    visit.recorded_at, visit.recorded_by = timezone.now(), actor
    visit.save()
    _tell_household_visits(visit.case, key=f"visit-{visit.pk}-cancel")
    return visit


# --- retention and erasure -----------------------------------------------------------------------

ERASED = {
    "guardian_name": "",
    "address": "",
    "phone": "",
    "children": [],
    "reason": "",
    "reason_detail": "",
    "household_note": "",
    "preferred_hours": "",
}


def _erase(cases, now) -> int:
    ids = list(cases.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Case.objects.filter(pk__in=ids).update(**ERASED, erased_at=now)
        Visit.objects.filter(case_id__in=ids).update(note="", cancel_reason="", helper_name="")
        CaseEvent.objects.filter(case_id__in=ids).update(reason="")
        CaseEvent.objects.bulk_create([CaseEvent(case_id=pk, action=CaseEvent.Action.ERASED, at=now) for pk in ids])
    return len(ids)


def cases_erase_expired(*, today=None) -> int:
    """Erase the sensitive fields of cases closed (or declined) longer ago than the retention
    period: set-based, one UPDATE per table. The visit counts and minutes stay for the reports."""
    today = today or timezone.localdate()
    expired = Case.objects.filter(status__in=[Status.CLOSED, Status.DECLINED], erase_after__lte=today, erased_at=None)
    return _erase(expired, timezone.now())


def household_data_erase(*, user) -> None:
    """Account deletion: the household's finished or pending cases are erased now (the figures
    stay); an active plan keeps going for the children (the caseworker holds it), without the account."""
    now = timezone.now()
    mine = Case.objects.filter(household=user)
    pending = mine.filter(status__in=[Status.SUBMITTED, Status.INFO_REQUESTED])
    for case_id in pending.values_list("pk", flat=True):
        Case.objects.filter(pk=case_id).update(status=Status.DECLINED, closed_on=timezone.localdate())
    _erase(mine.exclude(status=Status.ACTIVE).filter(erased_at=None), now)
    mine.update(household=None)
    Case.objects.filter(applied_by=user).update(applied_by=None)


def visits_generate_next_month(*, today=None) -> int:
    """The monthly run: every active plan's visits of the next month (those of a plan approved or
    extended are already there; this fills in nothing twice)."""
    today = today or timezone.localdate()
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return visits_generate(start=first, end=last)
