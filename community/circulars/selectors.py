"""Every non-trivial read of the circular board. Each list is a fixed number of queries."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, Q, Value, When, Window
from django.http import Http404
from django.utils import timezone

from asahikawa.accounts.models import Association
from asahikawa.japanese import fold

from . import roles
from .models import Circular, Comment, Group, Household, Kind, Membership, Post, Receipt, Report, Safety
from .services import answer_label, answers_summary


def memberships_for(user):
    """The user's current memberships with their household, group and association (the app's
    endpoint adds the association's district, which it shows)."""
    return (Membership.objects.filter(user=user, ended_at=None)
            .select_related("household", "household__group", "association")
            .order_by("association__name"))


ASSOCIATIONS_SHOWN = 50


def associations_find(*, district=None, text: str = "", limit: int = ASSOCIATIONS_SHOWN) -> tuple[list, bool]:
    """The associations a resident may ask to join, in one query: of a district (or all), whose
    name, furigana or reading contains the text whatever its script or width (永山 from ながやま),
    in the order of their readings (五十音順); at most `limit`, and whether there are more (the city has hundreds)."""
    associations = Association.objects.select_related("district").order_by("reading", "name")
    if district is not None:
        associations = associations.filter(district=district)
    if folded := fold(text):
        associations = associations.filter(search_key__contains=folded)
    rows = list(associations[:limit + 1])
    return rows[:limit], len(rows) > limit


def _inbox(receipts):
    return (
        receipts.filter(circular__published_at__isnull=False)
        .select_related("circular", "circular__association")
        .order_by(F("read_at").asc(nulls_first=True), "-circular__published_at", "-circular_id")
    )


def inbox_for(user):
    """The receipts of the user's households on published circulars: unread first, newest first."""
    return _inbox(Receipt.objects.filter(household__memberships__user=user, household__memberships__ended_at=None))


# The columns the resident's inbox page shows (and answer_label reads): not the circular's body,
# options or erased totals.
INBOX_PAGE_FIELDS = (
    "circular", "read_at", "answer", "circular__kind", "circular__title", "circular__question",
    "circular__due_date", "circular__published_at", "circular__is_sample", "circular__association__name",
)


def inbox_page(memberships):
    """inbox_for's rows for the inbox page, given the user's current memberships (memberships_for,
    which the page reads anyway): their households' receipts, without joining the memberships
    again, and only the columns the page shows. One query."""
    receipts = Receipt.objects.filter(household_id__in=[membership.household_id for membership in memberships])
    return _inbox(receipts).only(*INBOX_PAGE_FIELDS)


SAFETY_BANNER_DAYS = 3


def dashboard_receipts(memberships, limit: int = 3) -> tuple[list, int]:
    """For the dashboard, given the user's current memberships: the recent safety checks (the last
    SAFETY_BANNER_DAYS days) their households have not answered (at most `limit`), and how many
    of their receipts are unread, in one query: the rows are the unread receipts and the open
    safety checks, the open safety checks first, each carrying the unread count (a window taken
    before the limit)."""
    since = timezone.now() - datetime.timedelta(days=SAFETY_BANNER_DAYS)
    open_safety = Q(circular__kind=Kind.SAFETY, answer="", circular__answers_erased_at=None,
                    circular__published_at__gte=since)
    rows = list(
        _inbox(Receipt.objects.filter(household_id__in=[membership.household_id for membership in memberships]))
        .filter(Q(read_at=None) | open_safety)
        .annotate(open_safety=Case(When(open_safety, then=Value(True)), default=Value(False), output_field=BooleanField()),
                  unread_total=Window(Count("pk", filter=Q(read_at=None))))
        .order_by("-open_safety", F("read_at").asc(nulls_first=True), "-circular__published_at", "-circular_id")[:limit]
    )
    return [row for row in rows if row.open_safety], rows[0].unread_total if rows else 0


@dataclass
class Access:
    """What a user may see of one circular: their household's receipt, and/or what they manage."""

    circular: Circular
    receipt: Receipt | None = None
    scope: roles.Scope = field(default_factory=roles.Scope)

    @property
    def manages(self) -> bool:
        return bool(self.scope)


def circular_access(user, pk, *, manage=False) -> Access:
    """The circular if the user may read it (a member whose household is on its roster, an officer
    of its association, a 班長 of a group on its roster); else 404, never a hint that it exists."""
    circular = Circular.objects.select_related("association").filter(pk=pk).first()
    if circular is None:
        raise Http404
    scope = roles.officer_scope(user, circular.association_id)
    if scope and not scope.all:
        on_roster = circular.receipts.filter(group_id__in=scope.group_ids).exists() if circular.is_published else (
            circular.everyone or circular.groups.filter(pk__in=scope.group_ids).exists())
        if not on_roster:
            scope = roles.NOTHING
    if manage:
        if not scope:
            raise Http404
        return Access(circular, None, scope)
    receipt = None
    if circular.is_published:
        receipt = (Receipt.objects.filter(circular=circular, household__memberships__user=user,
                                          household__memberships__ended_at=None).select_related("household").first())
    if receipt is None and not scope:
        raise Http404
    return Access(circular, receipt, scope)


@dataclass
class Progress:
    total: int
    read: int
    answered: int
    groups: list
    summary: dict
    visit: list = field(default_factory=list)
    visit_count: int = 0


VISIT_LIMIT = 300


def _scoped_receipts(circular: Circular, scope: roles.Scope):
    receipts = Receipt.objects.filter(circular=circular)
    return receipts if scope.all else receipts.filter(group_id__in=scope.group_ids)


def progress(circular: Circular, scope: roles.Scope) -> Progress:
    """The officer's figures: read/answered per group (one query), answer totals (one query) and,
    for a safety check, the households to visit first: those needing help, then those that have
    not answered, paper households among them (one query, the first VISIT_LIMIT)."""
    receipts = _scoped_receipts(circular, scope)
    groups = list(
        receipts.values("group_id", "group__name", "group__position")
        .annotate(total=Count("id"), read=Count("read_at"), answered=Count("id", filter=~Q(answer="")),
                  help=Count("id", filter=Q(answer=Safety.HELP)))
        .order_by("group__position", "group_id")
    )
    for group in groups:
        done = group["answered"] if circular.is_safety else group["read"]
        group["rate"] = round(100 * done / group["total"]) if group["total"] else 0
    summary = {value: {**data, "label": answer_label(circular, value)}
               for value, data in answers_summary(receipts).items()}
    result = Progress(sum(g["total"] for g in groups), sum(g["read"] for g in groups),
                      sum(g["answered"] for g in groups), groups, summary)
    if circular.is_safety and circular.answers_erased_at is None:
        to_visit = receipts.filter(Q(answer=Safety.HELP) | Q(answer=""))
        result.visit_count = sum(g["help"] + g["total"] - g["answered"] for g in groups)
        result.visit = list(
            to_visit.select_related("household", "group")
            .order_by(F("answer").desc(), "group__position", "group_id", "household__position", "household_id")
            [:VISIT_LIMIT]
        )
        for receipt in result.visit:
            receipt.answer_text = answer_label(circular, receipt.answer)
    return result


def progress_rows(circular: Circular, scope: roles.Scope, *, group_id=None, unread=False):
    """Every household's line of a circular in the roster's order (one query; pages slice it)."""
    receipts = _scoped_receipts(circular, scope).select_related("household", "group")
    if group_id is not None:
        receipts = receipts.filter(group_id=group_id)
    if unread:
        receipts = receipts.filter(read_at=None)
    return receipts.order_by("group__position", "group_id", "household__position", "household_id")


def with_answer_text(circular: Circular, receipts):
    for receipt in receipts:
        receipt.answer_text = answer_label(circular, receipt.answer)
        yield receipt


def circulars_of(association, scope: roles.Scope):
    """The officer's list: every circular of the association with its read counts (one query)."""
    query = Circular.objects.filter(association=association)
    receipt_filter = Q()
    if not scope.all:
        query = query.filter(Q(everyone=True) | Q(groups__in=scope.group_ids)).distinct()
        receipt_filter = Q(receipts__group_id__in=scope.group_ids)
    return query.annotate(
        total=Count("receipts", filter=receipt_filter, distinct=True),
        read=Count("receipts", filter=receipt_filter & Q(receipts__read_at__isnull=False), distinct=True),
    ).order_by(F("published_at").desc(nulls_first=True), "-created_at")


def roster(association, scope: roles.Scope):
    """Groups and their current households with how many accounts each has (two queries)."""
    groups = list(Group.objects.filter(association=association).order_by("position", "id"))
    if not scope.all:
        groups = [g for g in groups if g.pk in scope.group_ids]
    households = (Household.objects.filter(association=association, left_at=None, group__in=groups)
                  .annotate(members=Count("memberships", filter=Q(memberships__ended_at=None)))
                  .order_by("group__position", "position", "id"))
    by_group = {group.pk: [] for group in groups}
    for household in households:
        by_group[household.group_id].append(household)
    for group in groups:
        group.roster = by_group[group.pk]
    return groups


def board_posts(association, *, officer: bool):
    """The board's posts with their comment and open-report counts (one query)."""
    return (Post.objects.filter(association=association).select_related("author", "author__profile")
            .annotate(comment_count=Count("comments", distinct=True),
                      open_reports=Count("reports", filter=Q(reports__resolved_at=None), distinct=True))
            .order_by("-created_at", "-id"))


def open_reports(association):
    return (Report.objects.filter(Q(post__association=association) | Q(comment__post__association=association),
                                  resolved_at=None)
            .select_related("post", "comment", "comment__post").order_by("-created_at"))


def comments_of(post):
    return Comment.objects.filter(post=post).select_related("author", "author__profile").order_by("created_at", "id")


def export_data(user) -> dict:
    """The resident's part of the account download: memberships, receipts they opened, answers
    they gave, join requests, posts and comments."""
    return {
        "memberships": [
            {"association": str(m.association), "household": m.household.name, "group": str(m.household.group),
             "joined_at": m.joined_at.isoformat(), "ended_at": m.ended_at.isoformat() if m.ended_at else None}
            for m in Membership.objects.filter(user=user).select_related("association", "household", "household__group")
        ],
        "opened": [
            {"circular": r.circular.title, "association": str(r.circular.association),
             "read_at": r.read_at.isoformat() if r.read_at else None, "via": r.via}
            for r in Receipt.objects.filter(read_by=user).select_related("circular", "circular__association")
        ],
        "answers": [
            {"circular": r.circular.title, "kind": r.circular.kind, "answer": answer_label(r.circular, r.answer),
             "head_count": r.head_count, "note": r.note, "answered_at": r.answered_at.isoformat() if r.answered_at else None}
            for r in Receipt.objects.filter(answered_by=user).select_related("circular")
        ],
        "join_requests": [
            {"association": str(j.association), "household_name": j.household_name, "address": j.address,
             "message": j.message, "status": j.status, "created_at": j.created_at.isoformat()}
            for j in user.circular_join_requests.select_related("association")
        ],
        "posts": [
            {"association": str(p.association), "title": p.title, "body": p.body, "created_at": p.created_at.isoformat(),
             "hidden_reason": p.hidden_reason or None}
            for p in Post.objects.filter(author=user).select_related("association")
        ],
        "comments": [
            {"post": c.post.title, "body": c.body, "created_at": c.created_at.isoformat(),
             "hidden_reason": c.hidden_reason or None}
            for c in Comment.objects.filter(author=user).select_related("post")
        ],
    }
