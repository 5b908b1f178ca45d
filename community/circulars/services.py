"""Every write of the circular board, the roster, the safety check and the member board.

Bulk work is set-based: publishing a circular writes its roster with one INSERT ... SELECT and
tells the members with one notify_selected(); a district safety check does the same for every
association of the district at once; reminders and erasures are single UPDATE/INSERT statements.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asahikawa.accounts.models import Profile
from asahikawa.accounts.selectors import profile_for
from asahikawa.errors import ApplicationError, ErrorCode
from asahikawa.notifications.services import notify, notify_selected
from asahikawa.uploads import validate_document

from . import roles
from .models import (
    JOIN_CODE_DAYS,
    MAX_ATTACHMENTS,
    MAX_OPTIONS,
    Attachment,
    Circular,
    Comment,
    DistrictCheck,
    Group,
    Household,
    JoinCode,
    JoinRequest,
    Kind,
    Membership,
    OfficerRole,
    OfficerTitle,
    Post,
    Question,
    Receipt,
    Reminder,
    Report,
    RetentionPolicy,
    Safety,
    Via,
)

YES_NO = {"yes": gettext_lazy("はい"), "no": gettext_lazy("いいえ")}
ATTENDANCE = {"attend": gettext_lazy("出席"), "absent": gettext_lazy("欠席")}
ERASED_NOTE = "（退会した会員の投稿は、本人の申し出により削除されました）"


def _invalid(field: str, message) -> ApplicationError:
    return ApplicationError(message, code=ErrorCode.INVALID, extra={"fields": {field: [str(message)]}})


def _not_found() -> ApplicationError:
    return ApplicationError(_("見つかりません。"), code=ErrorCode.NOT_FOUND)


def answer_label(circular: Circular, value: str) -> str:
    """The words of an answer value, in the reader's language."""
    if not value:
        return ""
    if circular.kind == Kind.SAFETY:
        return str(Safety(value).label) if value in Safety.values else value
    if circular.question == Question.YES_NO:
        return str(YES_NO.get(value, value))
    if circular.question == Question.ATTENDANCE:
        return str(ATTENDANCE.get(value, value))
    return value


def answer_choices(circular: Circular) -> list[tuple[str, str]]:
    if circular.kind == Kind.SAFETY:
        return [(value, str(label)) for value, label in Safety.choices]
    if circular.question == Question.YES_NO:
        return [(key, str(label)) for key, label in YES_NO.items()]
    if circular.question == Question.ATTENDANCE:
        return [(key, str(label)) for key, label in ATTENDANCE.items()]
    if circular.question == Question.CHOICE:
        return [(option, option) for option in circular.options]
    return []


# --- roster ------------------------------------------------------------------------------

def group_create(*, association, name: str, position: int | None = None) -> Group:
    name = (name or "").strip()
    if not name:
        raise _invalid("name", _("班の名前を入力してください。"))
    if position is None:
        position = (Group.objects.filter(association=association).aggregate(m=Max("position"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            return Group.objects.create(association=association, name=name, position=position)
    except IntegrityError:
        raise _invalid("name", _("同じ名前の班がすでにあります。")) from None


def household_save(*, association, group: Group, name: str, address: str = "", paper_only: bool = False,
                   position: int | None = None, household: Household | None = None, is_sample=False) -> Household:
    if group.association_id != association.pk:
        raise _invalid("group", _("この町内会の班を選んでください。"))
    if not (name or "").strip():
        raise _invalid("name", _("名簿の表示名を入力してください。"))
    if household is None:
        if position is None:
            position = (Household.objects.filter(group=group).aggregate(m=Max("position"))["m"] or 0) + 1
        household = Household(association=association, is_sample=is_sample)
    elif household.left_at is not None:
        raise ApplicationError(_("転出した世帯は変更できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    household.group = group
    household.name = name.strip()
    household.address = (address or "").strip()
    household.paper_only = paper_only
    if position is not None:
        household.position = position
    household.full_clean()
    household.save()
    return household


def _forget_person_in_household(*, user_id, household_id) -> None:
    """The household's receipts stay in the totals, without the person who opened or answered (and
    without the words they wrote: a note may say something about them)."""
    Receipt.objects.filter(household_id=household_id, read_by_id=user_id).update(read_by=None)
    Receipt.objects.filter(household_id=household_id, answered_by_id=user_id).update(answered_by=None, note="")


@transaction.atomic
def membership_end(*, membership: Membership) -> None:
    """A resident leaves a household (moves out, or an officer removes them)."""
    ended = Membership.objects.filter(pk=membership.pk, ended_at=None).update(ended_at=timezone.now())
    if not ended:
        return
    _forget_person_in_household(user_id=membership.user_id, household_id=membership.household_id)
    Profile.objects.filter(user_id=membership.user_id, association_id=membership.association_id).update(association=None)


@transaction.atomic
def household_move_out(*, household: Household) -> None:
    """A household leaves the association: memberships end, its codes stop working, its name and
    address are removed; its receipts stay in past totals, anonymous."""
    now = timezone.now()
    if Household.objects.filter(pk=household.pk, left_at=None).update(
        left_at=now, name=_("転出した世帯"), address="", paper_only=False
    ) == 0:
        return
    for membership in Membership.objects.filter(household=household, ended_at=None):
        membership_end(membership=membership)
    JoinCode.objects.filter(household=household, used_at=None, revoked_at=None).update(revoked_at=now)
    Receipt.objects.filter(household=household).update(read_by=None, answered_by=None, note="")


@transaction.atomic
def join_code_issue(*, household: Household, actor) -> JoinCode:
    """A new single-use code for the household (the previous live one stops working)."""
    if household.left_at is not None:
        raise ApplicationError(_("転出した世帯には参加コードを発行できません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    now = timezone.now()
    JoinCode.objects.filter(household=household, used_at=None, revoked_at=None).update(revoked_at=now)
    return JoinCode.objects.create(household=household, created_by=actor, created_at=now,
                                   expires_at=now + datetime.timedelta(days=JOIN_CODE_DAYS))


def _membership_create(*, user, household: Household) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(household=household, association_id=household.association_id, user=user)
    except IntegrityError:
        raise ApplicationError(
            _("この町内会には、すでに別の世帯の会員として登録されています。"), code=ErrorCode.CONFLICT
        ) from None
    Profile.objects.filter(user=user, association=None).update(association_id=household.association_id)
    if household.paper_only:  # the household now has an account: its receipts come from the portal
        Household.objects.filter(pk=household.pk).update(paper_only=False)
    return membership


def join_code_normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def join_code_redeem(*, user, code: str) -> Membership:
    """Join a household with its code: works once, before it expires (compare-and-set)."""
    code = join_code_normalize(code)
    now = timezone.now()
    join_code = JoinCode.objects.select_related("household").filter(code=code).first() if code else None
    if join_code is None or join_code.household.left_at is not None:
        raise _invalid("code", _("参加コードが見つかりません。印刷された10文字のコードをもう一度確かめてください。"))
    if join_code.used_at is not None:
        raise _invalid("code", _("この参加コードはすでに使われています。役員に新しいコードを頼んでください。"))
    if join_code.revoked_at is not None or join_code.expires_at <= now:
        raise _invalid("code", _("この参加コードは有効期限が切れています。役員に新しいコードを頼んでください。"))
    if roles.is_member(user, join_code.household.association_id):
        raise ApplicationError(_("この町内会には、すでに会員として登録されています。"), code=ErrorCode.CONFLICT)
    claimed = JoinCode.objects.filter(pk=join_code.pk, used_at=None, revoked_at=None, expires_at__gt=now).update(
        used_at=now, used_by=user
    )
    if not claimed:  # someone used it a moment ago
        raise _invalid("code", _("この参加コードはすでに使われています。役員に新しいコードを頼んでください。"))
    return _membership_create(user=user, household=join_code.household)


def join_request_create(*, user, association, household_name: str, address: str, message: str = "") -> JoinRequest:
    if roles.is_member(user, association):
        raise ApplicationError(_("この町内会には、すでに会員として登録されています。"), code=ErrorCode.CONFLICT)
    if not (household_name or "").strip():
        raise _invalid("household_name", _("世帯の表示名を入力してください。"))
    if not (address or "").strip():
        raise _invalid("address", _("住所を入力してください。"))
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(association=association, user=user, household_name=household_name.strip(),
                                                 address=address.strip(), message=(message or "").strip())
    except IntegrityError:
        raise ApplicationError(_("この町内会への申請は、すでに承認を待っています。"), code=ErrorCode.CONFLICT) from None
    officers = list(Profile.objects.filter(officer_of=association).values_list("user_id", flat=True))
    if officers:
        notify(user_ids=officers, kind="circular", title=gettext_lazy("町内会への入会の申請が届きました"),
               url=reverse("circulars:requests", args=[association.pk]))
    return request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, actor, approve: bool, household: Household | None = None,
                        group: Group | None = None) -> JoinRequest:
    """Approve into an existing household, or into a new one in `group`; or decline."""
    now = timezone.now()
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        raise ApplicationError(_("この申請はすでに処理されています。"), code=ErrorCode.NOT_ALLOWED_NOW)
    if approve:
        if household is None:
            if group is None:
                raise _invalid("group", _("新しい世帯の班を選ぶか、既存の世帯を選んでください。"))
            household = household_save(association=locked.association, group=group, name=locked.household_name,
                                       address=locked.address)
        elif household.association_id != locked.association_id or household.left_at is not None:
            raise _invalid("household", _("この町内会の世帯を選んでください。"))
        _membership_create(user=locked.user, household=household)
        locked.household = household
    locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    locked.decided_at, locked.decided_by = now, actor
    locked.save()
    title = (gettext_lazy("町内会への入会が承認されました") if approve
             else gettext_lazy("町内会への入会の申請は見送られました"))
    notify(user_ids=[locked.user_id], kind="circular", title=title, url=reverse("circulars:index"))
    return locked


ASSOCIATION_WIDE = {OfficerTitle.CHAIR, OfficerTitle.VICE_CHAIR, OfficerTitle.TREASURER, OfficerTitle.SECRETARY}


@transaction.atomic
def officer_role_assign(*, association, user, title: str, group: Group | None = None) -> OfficerRole:
    """Give a title. An association-wide title also makes the user the association's officer
    (Profile.officer_of), so that the one rule in accounts.roles stays the source of truth."""
    if title == OfficerTitle.GROUP_LEADER:
        if group is None or group.association_id != association.pk:
            raise _invalid("group", _("班長には、この町内会の班を選んでください。"))
    else:
        group = None
        profile = profile_for(user)
        if profile.officer_of_id not in (None, association.pk):
            raise _invalid("user", _("この方は別の町内会の役員です。"))
        profile.officer_of = association
        profile.save(update_fields=["officer_of"])
    role, _created = OfficerRole.objects.get_or_create(association=association, user=user, title=title, group=group)
    return role


@transaction.atomic
def officer_role_remove(*, role: OfficerRole) -> None:
    """Remove a title; the last association-wide title also ends Profile.officer_of."""
    role.delete()
    if role.title in ASSOCIATION_WIDE and not OfficerRole.objects.filter(
        association_id=role.association_id, user_id=role.user_id, title__in=ASSOCIATION_WIDE
    ).exists():
        Profile.objects.filter(user_id=role.user_id, officer_of_id=role.association_id).update(officer_of=None)


# --- circulars ---------------------------------------------------------------------------

@dataclass
class CircularInput:
    title: str
    body: str = ""
    due_date: datetime.date | None = None
    question: str = ""
    question_text: str = ""
    options: list | None = None
    everyone: bool = True
    groups: list | None = None
    publish_at: datetime.datetime | None = None
    remind_after_days: int | None = None


def _clean_circular(association, data: CircularInput, attachments) -> list:
    errors = {}
    if not (data.title or "").strip():
        errors["title"] = [_("件名を入力してください。")]
    options = [option.strip() for option in (data.options or []) if option and option.strip()]
    if data.question and data.question not in Question.values:
        errors["question"] = [_("質問の形式を選び直してください。")]
    if data.question and not (data.question_text or "").strip():
        errors["question_text"] = [_("質問の文を入力してください。")]
    if data.question == Question.CHOICE:
        if len(options) < 2:
            errors["options"] = [_("選択肢を2つ以上、1行に1つずつ入力してください。")]
        elif len(options) > MAX_OPTIONS:
            errors["options"] = [_("選択肢は%(n)s個までです。") % {"n": MAX_OPTIONS}]
        elif len(set(options)) != len(options):
            errors["options"] = [_("同じ選択肢が2回あります。")]
        elif any(len(option) > 100 for option in options):
            errors["options"] = [_("選択肢は1つ100文字までです。")]
    groups = list(data.groups or [])
    if not data.everyone:
        if not groups:
            errors["groups"] = [_("回覧する班を1つ以上選んでください。")]
        elif any(group.association_id != association.pk for group in groups):
            errors["groups"] = [_("この町内会の班を選んでください。")]
    if data.publish_at and data.publish_at < timezone.now() - datetime.timedelta(minutes=5):
        errors["publish_at"] = [_("公開日時は今より後にしてください（すぐに公開するなら空欄に）。")]
    if data.remind_after_days is not None and not 1 <= data.remind_after_days <= 60:
        errors["remind_after_days"] = [_("1〜60日の範囲で入力してください。")]
    attachments = list(attachments or [])
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("添付ファイルは%(n)s個までです。") % {"n": MAX_ATTACHMENTS}]
    else:
        for upload in attachments:
            try:
                content_type = validate_document(upload)
            except ValidationError as error:
                errors.setdefault("attachments", []).extend(f"{upload.name}: {message}" for message in error.messages)
            else:
                upload.checked_content_type = content_type
    if errors:
        raise ApplicationError(_("入力内容を確認してください。"), code=ErrorCode.INVALID, extra={"fields": errors})
    data.options = options if data.question == Question.CHOICE else []
    return attachments


def circular_create(*, association, author, data: CircularInput, attachments=(), is_sample=False) -> Circular:
    """Write a circular with up to 5 checked attachments; publish now, or at data.publish_at.
    Nothing is written (no row, no file) if any part is refused."""
    if not roles.is_officer(author, association):
        raise ApplicationError(_("回覧を作成できるのは町内会の役員です。"), code=ErrorCode.NOT_FOUND)
    attachments = _clean_circular(association, data, attachments)
    stored = []
    try:
        with transaction.atomic():
            circular = Circular.objects.create(
                association=association, kind=Kind.CIRCULAR, title=data.title.strip(), body=data.body or "",
                due_date=data.due_date, question=data.question or "", question_text=(data.question_text or "").strip(),
                options=data.options, everyone=data.everyone, publish_at=data.publish_at,
                remind_after_days=data.remind_after_days, created_by=author, is_sample=is_sample,
            )
            if not data.everyone:
                circular.groups.set(data.groups)
            for upload in attachments:
                attachment = Attachment(circular=circular, filename=upload.name[:200],
                                        content_type=upload.checked_content_type, size=upload.size)
                attachment.file.save(upload.name, upload, save=False)
                stored.append(attachment.file.name)
                attachment.save()
            if data.publish_at is None or data.publish_at <= timezone.now():
                circular_publish(circular_id=circular.pk)
    except BaseException:
        for name in stored:  # the transaction rolled back: leave no file behind
            Attachment.file.field.storage.delete(name)
        raise
    circular.refresh_from_db()
    return circular


ROSTER_SQL = """
    INSERT INTO {receipt} (circular_id, household_id, group_id, via, answer, note)
    SELECT c.id, h.id, h.group_id, '', '', ''
    FROM {circular} c
    JOIN {household} h ON h.association_id = c.association_id AND h.left_at IS NULL
    WHERE {where}
      AND (c.everyone OR h.group_id IN (SELECT cg.group_id FROM {groups} cg WHERE cg.circular_id = c.id))
    ON CONFLICT DO NOTHING
"""


def _roster_insert(where: str, params: list) -> int:
    sql = ROSTER_SQL.format(
        receipt=Receipt._meta.db_table, circular=Circular._meta.db_table, household=Household._meta.db_table,
        groups=Circular.groups.through._meta.db_table, where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def audience_users(*, circular_ids=None, district_check_id=None, unread_only=False):
    """The active members of the households on the roster of these circulars (a queryset)."""
    condition = Q(circular_memberships__ended_at=None, is_active=True)
    if circular_ids is not None:
        condition &= Q(circular_memberships__household__receipts__circular_id__in=circular_ids)
    if district_check_id is not None:
        condition &= Q(circular_memberships__household__receipts__circular__district_check_id=district_check_id)
    if unread_only:
        condition &= Q(circular_memberships__household__receipts__read_at=None)
    return get_user_model().objects.filter(condition)


def _notify_circular(circular: Circular) -> int:
    if circular.kind == Kind.SAFETY:
        title = lambda: _("【安否確認】%(title)s") % {"title": circular.title}  # noqa: E731
        return notify_selected(users=audience_users(circular_ids=[circular.pk]), kind="safety_check", title=title,
                               body=circular.body[:500], url=reverse("circulars:detail", args=[circular.pk]),
                               urgent=True, dedupe_key=f"circular:{circular.pk}")
    title = lambda: _("回覧板：%(title)s") % {"title": circular.title}  # noqa: E731
    return notify_selected(users=audience_users(circular_ids=[circular.pk]), kind="circular", title=title,
                           url=reverse("circulars:detail", args=[circular.pk]), dedupe_key=f"circular:{circular.pk}")


@transaction.atomic
def circular_publish(*, circular_id: int) -> bool:
    """Publish once (compare-and-set): the roster in one INSERT ... SELECT, the members told in one
    notify_selected. False if it was already published."""
    now = timezone.now()
    if not Circular.objects.filter(pk=circular_id, published_at=None).update(published_at=now):
        return False
    _roster_insert("c.id = %s", [circular_id])
    circular = Circular.objects.get(pk=circular_id)
    _notify_circular(circular)
    return True


def circulars_publish_due(*, now=None) -> int:
    """The beat's every-minute job: publish the circulars whose time has come."""
    now = now or timezone.now()
    due = Circular.objects.filter(published_at=None, publish_at__lte=now).values_list("pk", flat=True)
    return sum(circular_publish(circular_id=pk) for pk in list(due))


def _readable_receipt(user, circular: Circular):
    """The receipt of the user's household on this circular's roster, or None."""
    return (
        Receipt.objects.filter(circular=circular, household__memberships__user=user,
                               household__memberships__ended_at=None)
        .first()
    )


def circular_open(*, user, circular: Circular, via: str = Via.WEB) -> tuple[Receipt, bool]:
    """The first member of a household to open a circular marks the household as read: one
    compare-and-set UPDATE, so two members opening at the same moment leave one read mark.
    Returns (receipt, whether this call was the first)."""
    if not circular.is_published:
        raise _not_found()
    receipt = _readable_receipt(user, circular)
    if receipt is None:
        raise _not_found()
    first = bool(
        Receipt.objects.filter(pk=receipt.pk, read_at=None).update(read_at=timezone.now(), read_by=user, via=via)
    )
    if first:
        receipt.refresh_from_db()
    return receipt, first


def circular_answer(*, user, circular: Circular, answer: str, head_count: int | None = None, note: str = "",
                    via: str = Via.WEB) -> Receipt:
    """The household's answer (the last one given counts); answering also marks it read."""
    errors = {}
    choices = dict(answer_choices(circular))
    if not choices:
        raise ApplicationError(_("この回覧には質問がありません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    if circular.answers_erased_at is not None:
        raise ApplicationError(_("この安否確認の回答受付は終わりました。"), code=ErrorCode.NOT_ALLOWED_NOW)
    if answer not in choices:
        errors["answer"] = [_("回答を選んでください。")]
    if circular.question == Question.ATTENDANCE and answer == "attend":
        if head_count is None or not 1 <= head_count <= 99:
            errors["head_count"] = [_("出席する人数を1〜99で入力してください。")]
    else:
        head_count = None
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = [_("ひとことは500文字までです。")]
    if errors:
        raise ApplicationError(_("入力内容を確認してください。"), code=ErrorCode.INVALID, extra={"fields": errors})
    receipt, _first = circular_open(user=user, circular=circular, via=via)
    Receipt.objects.filter(pk=receipt.pk).update(answer=answer, head_count=head_count, note=note,
                                                 answered_at=timezone.now(), answered_by=user)
    receipt.refresh_from_db()
    return receipt


def receipts_mark_paper(*, actor, circular: Circular, household_ids) -> int:
    """An officer (or the group's 班長) records households that read the paper copy: one UPDATE."""
    scope = roles.officer_scope(actor, circular.association_id)
    if not scope:
        raise _not_found()
    query = Receipt.objects.filter(circular=circular, household_id__in=list(household_ids), read_at=None)
    if not scope.all:
        query = query.filter(group_id__in=scope.group_ids)
    return query.update(read_at=timezone.now(), via=Via.PAPER, read_by=None)


def circular_remind(*, circular: Circular, actor=None, number: int | None = None) -> Reminder | None:
    """Remind the members of households that have not read it, once per reminder: the reminder's
    number is unique (a second run of the same reminder does nothing) and its dedupe key keeps
    anyone from getting it twice. Set-based: a count and one notify_selected."""
    if not circular.is_published:
        raise ApplicationError(_("公開前の回覧にはリマインドできません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    if number is None:
        number = (circular.reminders.aggregate(m=Max("number"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(circular=circular, number=number, sent_by=actor)
            unread = Receipt.objects.filter(circular=circular, read_at=None)
            reminder.households = unread.count()
            title = lambda: _("未読の回覧があります：%(title)s") % {"title": circular.title}  # noqa: E731
            reminder.notified = notify_selected(
                users=audience_users(circular_ids=[circular.pk], unread_only=True), kind="circular", title=title,
                url=reverse("circulars:detail", args=[circular.pk]),
                dedupe_key=f"circular:{circular.pk}:reminder:{number}",
            )
            reminder.save(update_fields=["households", "notified"])
    except IntegrityError:
        return None  # this reminder was already sent
    return reminder


def reminders_send_due(*, now=None) -> int:
    """The beat's job: circulars unread after the days their officer picked get their reminder (once)."""
    now = now or timezone.now()
    sent = 0
    candidates = Circular.objects.filter(kind=Kind.CIRCULAR, remind_after_days__isnull=False,
                                         published_at__isnull=False, reminders__isnull=True).only(
        "pk", "published_at", "remind_after_days", "title")
    for circular in candidates:
        if circular.published_at + datetime.timedelta(days=circular.remind_after_days) <= now:
            if circular_remind(circular=circular, number=1) is not None:
                sent += 1
    return sent


# --- safety check ------------------------------------------------------------------------

def safety_check_send(*, association, author, title: str, body: str = "", is_sample=False) -> Circular:
    """An officer's one-tap check (無事 / 支援が必要 / 不在) to every household of the roster, now."""
    if not roles.is_officer(author, association):
        raise ApplicationError(_("安否確認を送れるのは町内会の役員です。"), code=ErrorCode.NOT_FOUND)
    if not (title or "").strip():
        raise _invalid("title", _("件名を入力してください。"))
    with transaction.atomic():
        circular = Circular.objects.create(association=association, kind=Kind.SAFETY, title=title.strip(),
                                           body=body or "", everyone=True, created_by=author, is_sample=is_sample)
        circular_publish(circular_id=circular.pk)
    circular.refresh_from_db()
    return circular


@transaction.atomic
def district_check_send(*, district, actor, title: str, body: str = "", is_sample=False) -> DistrictCheck:
    """City staff's safety check to every association of a district, in one set-based pass: one
    INSERT of the circulars, one INSERT ... SELECT of every roster, one notify_selected."""
    if not (title or "").strip():
        raise _invalid("title", _("件名を入力してください。"))
    now = timezone.now()
    check = DistrictCheck.objects.create(district=district, title=title.strip(), body=body or "", created_by=actor,
                                         created_at=now, is_sample=is_sample)
    association_ids = list(district.associations.values_list("pk", flat=True))
    Circular.objects.bulk_create([
        Circular(association_id=pk, kind=Kind.SAFETY, title=check.title, body=check.body, everyone=True,
                 published_at=now, created_by=actor, created_at=now, district_check=check, is_sample=is_sample)
        for pk in association_ids
    ], batch_size=1000)
    _roster_insert("c.district_check_id = %s", [check.pk])
    title_text = lambda: _("【安否確認】%(title)s") % {"title": check.title}  # noqa: E731
    notify_selected(users=audience_users(district_check_id=check.pk), kind="safety_check", title=title_text,
                    body=check.body[:500], url=reverse("circulars:index"), urgent=True,
                    dedupe_key=f"circulars:district-check:{check.pk}")
    return check


def safety_answers_erase_expired(*, now=None) -> int:
    """Erase the per-household answers of safety checks older than the retention period staff
    set, keeping only their totals. Set-based: one aggregate, one UPDATE per table."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=RetentionPolicy.current().safety_answer_days)
    expired = Circular.objects.filter(kind=Kind.SAFETY, published_at__lt=cutoff, answers_erased_at=None)
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return 0
    totals: dict[int, dict] = {pk: {"households": 0, "answered": 0, **{value: 0 for value in Safety.values}} for pk in ids}
    rows = (Receipt.objects.filter(circular_id__in=ids).values("circular_id", "answer")
            .annotate(n=Count("id")).order_by())
    for row in rows:
        total = totals[row["circular_id"]]
        total["households"] += row["n"]
        if row["answer"]:
            total["answered"] += row["n"]
            total[row["answer"]] = total.get(row["answer"], 0) + row["n"]
    with transaction.atomic():
        Receipt.objects.filter(circular_id__in=ids).update(answer="", note="", head_count=None, answered_by=None,
                                                           read_by=None)
        for pk, total in totals.items():  # one row per safety check (a handful), not per household
            Circular.objects.filter(pk=pk).update(answers_erased_at=now, erased_totals=total)
    return len(ids)


# --- member board ------------------------------------------------------------------------

def _board_require(user, association):
    if not roles.can_read_board(user, association):
        raise _not_found()


def post_create(*, user, association, title: str, body: str, is_sample=False) -> Post:
    _board_require(user, association)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("タイトルを入力してください。")]
    if not (body or "").strip():
        errors["body"] = [_("本文を入力してください。")]
    if errors:
        raise ApplicationError(_("入力内容を確認してください。"), code=ErrorCode.INVALID, extra={"fields": errors})
    post = Post(association=association, author=user, title=title.strip(), body=body.strip(), is_sample=is_sample)
    post.full_clean()
    post.save()
    return post


def comment_create(*, user, post: Post, body: str) -> Comment:
    _board_require(user, post.association_id)
    if post.hidden_at is not None:
        raise ApplicationError(_("非表示の投稿にはコメントできません。"), code=ErrorCode.NOT_ALLOWED_NOW)
    if not (body or "").strip():
        raise _invalid("body", _("コメントを入力してください。"))
    comment = Comment(post=post, author=user, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


def report_create(*, user, post: Post | None = None, comment: Comment | None = None, reason: str) -> Report:
    association_id = post.association_id if post else comment.post.association_id
    _board_require(user, association_id)
    if not (reason or "").strip():
        raise _invalid("reason", _("通報の理由を入力してください。"))
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, comment=comment, reporter=user, reason=reason.strip()[:300])
    except IntegrityError:
        raise ApplicationError(_("この内容はすでに通報しています。役員が確認します。"), code=ErrorCode.CONFLICT) from None
    officers = list(Profile.objects.filter(officer_of_id=association_id).values_list("user_id", flat=True))
    if officers:
        notify(user_ids=officers, kind="board", title=gettext_lazy("掲示板の投稿が通報されました"),
               url=reverse("circulars:board_association", args=[association_id]))
    return report


@transaction.atomic
def item_hide(*, actor, item: Post | Comment, reason: str) -> None:
    """An officer hides a post or comment with a reason the author sees (nothing is deleted)."""
    association_id = item.association_id if isinstance(item, Post) else item.post.association_id
    if not roles.is_officer(actor, association_id):
        raise _not_found()
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("非表示にする理由を入力してください（投稿者に表示されます）。"))
    type(item).objects.filter(pk=item.pk).update(hidden_at=timezone.now(), hidden_by=actor, hidden_reason=reason[:300])
    reports = Report.objects.filter(post=item) if isinstance(item, Post) else Report.objects.filter(comment=item)
    reports.filter(resolved_at=None).update(resolved_at=timezone.now())
    if item.author_id:
        url = reverse("circulars:post", args=[item.pk if isinstance(item, Post) else item.post_id])
        notify(user_ids=[item.author_id], kind="board", title=gettext_lazy("掲示板のあなたの投稿が非表示になりました"),
               body=lambda: _("理由：%(reason)s") % {"reason": reason}, url=url)


@transaction.atomic
def item_restore(*, actor, item: Post | Comment) -> None:
    association_id = item.association_id if isinstance(item, Post) else item.post.association_id
    if not roles.is_officer(actor, association_id):
        raise _not_found()
    type(item).objects.filter(pk=item.pk).update(hidden_at=None, hidden_by=None, hidden_reason="")


def reports_dismiss(*, actor, post: Post) -> int:
    if not roles.is_officer(actor, post.association_id):
        raise _not_found()
    return Report.objects.filter(Q(post=post) | Q(comment__post=post), resolved_at=None).update(resolved_at=timezone.now())


# --- the resident's own data -------------------------------------------------------------

def circulars_data_erase(*, user) -> None:
    """Before an account is deleted: memberships end; receipts stay in the totals without the
    person (read_by/answered_by become NULL, their note goes); posts and comments lose their
    author and text, visibly."""
    for membership in Membership.objects.filter(user=user, ended_at=None):
        membership_end(membership=membership)
    Receipt.objects.filter(answered_by=user).update(answered_by=None, note="")
    Receipt.objects.filter(read_by=user).update(read_by=None)
    Post.objects.filter(author=user).update(author=None, author_erased=True, body=ERASED_NOTE)
    Comment.objects.filter(author=user).update(author=None, author_erased=True, body=ERASED_NOTE)
    Report.objects.filter(reporter=user).update(reporter=None)


def answers_summary(receipts) -> dict:
    """Totals of answers: answer -> {"households", "people"} (people: the attendance head count)."""
    rows = receipts.exclude(answer="").values("answer").annotate(n=Count("id"), people=Sum("head_count")).order_by()
    return {row["answer"]: {"households": row["n"], "people": row["people"] or 0} for row in rows}
