"""Pages of the circular board, the roster, the safety check and the member board (thin:
forms, services, selectors). Who may see what is asked of roles.py / selectors.circular_access."""
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from asahikawa.accounts.models import Association
from asahikawa.accounts.roles import department_required, require
from asahikawa.accounts.selectors import profile_for
from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError
from asahikawa.spreadsheets import csv_response
from asahikawa.uploads import document_response

from . import roles, selectors, services
from .forms import (
    AnswerForm,
    AssociationSearchForm,
    CircularForm,
    CommentForm,
    DecideForm,
    DistrictCheckForm,
    GroupForm,
    HouseholdForm,
    JoinCodeForm,
    JoinRequestForm,
    PostForm,
    ReasonForm,
    SafetyForm,
    form_errors_from,
)
from .models import (
    Attachment,
    Circular,
    Comment,
    DistrictCheck,
    Household,
    JoinCode,
    JoinRequest,
    Membership,
    OfficerRole,
    OfficerTitle,
    Post,
    Receipt,
    Safety,
    Via,
)

staff_required = department_required("community")


def managed_associations(user):
    """Associations where the user is an officer or a 班長 (for the menu)."""
    ids = set(OfficerRole.objects.filter(user=user, title=OfficerTitle.GROUP_LEADER).values_list("association_id", flat=True))
    officer_of = getattr(getattr(user, "profile", None), "officer_of_id", None)
    if officer_of:
        ids.add(officer_of)
    return Association.objects.filter(pk__in=ids).order_by("name")


def _association_scope(request, pk, *, officer_only=False):
    association = get_object_or_404(Association.objects.select_related("district"), pk=pk)
    scope = roles.officer_scope(request.user, association)
    require(scope.all if officer_only else bool(scope))
    return association, scope


def _qr_data_uri(url: str) -> str:
    """A QR code made here (segno), as an SVG data URI (the CSP allows data: images)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


# --- resident pages ----------------------------------------------------------------------

@login_required
def index(request):
    memberships = list(selectors.memberships_for(request.user))
    receipts = list(selectors.inbox_page(memberships)[:100]) if memberships else []
    for receipt in receipts:
        receipt.answer_text = services.answer_label(receipt.circular, receipt.answer)
    return render(request, "circulars/index.html", {
        "memberships": memberships, "receipts": receipts, "nav": "index",
        "managed": roles.manages_any(request.user),
        **({} if memberships else {"code_form": JoinCodeForm(), **_join_request(request)}),
    })


def _join_request(request, data=None) -> dict:
    """The request form and the search that finds the association for it (GET: `district`, `q`;
    without them the resident's own district), for the join forms' template."""
    search = AssociationSearchForm(request.GET if {"district", "q"} & set(request.GET) else None,
                                   initial={"district": profile_for(request.user).district_id})
    if not search.is_bound:
        found = {"district": search.initial["district"], "text": ""}
    elif search.is_valid():
        found = {"district": search.cleaned_data["district"], "text": search.cleaned_data["q"]}
    else:
        found = None
    associations, more = selectors.associations_find(**found) if found else ([], False)
    return {"search_form": search, "request_form": JoinRequestForm(data, associations=associations),
            "associations_found": len(associations), "associations_more": more,
            "search_query": urlencode({name: value for name in ("district", "q") if (value := request.GET.get(name))})}


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinCodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.join_code_redeem(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("%(association)s の %(household)s の世帯に参加しました。") % {
                "association": membership.association, "household": membership.household})
            return redirect("circulars:index")
    context = _join_request(request)
    return render(request, "circulars/join.html", {"form": form, "nav": "index", **context},
                  status=400 if form.errors or context["search_form"].errors else 200)


@login_required
@require_POST
def join_request(request):
    context = _join_request(request, request.POST)
    form = context["request_form"]
    if form.is_valid():
        try:
            services.join_request_create(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("入会を申請しました。役員が承認すると、お知らせが届きます。"))
            return redirect("circulars:index")
    return render(request, "circulars/join.html", {"form": JoinCodeForm(), "nav": "index", **context}, status=400)


@login_required
@require_POST
def membership_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("household"), pk=pk, ended_at=None)
    own = membership.user_id == request.user.pk
    if not own and not roles.officer_scope(request.user, membership.association_id).covers_group(membership.household.group_id):
        raise Http404
    services.membership_end(membership=membership)
    messages.success(request, _("世帯の会員登録を終了しました。"))
    if own:
        return redirect("circulars:index")
    return redirect("circulars:household", membership.household_id)


@login_required
def detail(request, pk):
    access = selectors.circular_access(request.user, pk)
    circular = access.circular
    receipt = access.receipt
    first = False
    if receipt is not None:
        receipt, first = services.circular_open(user=request.user, circular=circular, via=Via.WEB)
        receipt.answer_text = services.answer_label(circular, receipt.answer)
    form = None
    if receipt is not None and services.answer_choices(circular) and circular.answers_erased_at is None:
        form = AnswerForm(circular=circular, initial={"answer": receipt.answer, "head_count": receipt.head_count,
                                                      "note": receipt.note})
    return render(request, "circulars/detail.html", {
        "circular": circular, "receipt": receipt, "first": first, "form": form, "access": access,
        "attachments": circular.attachments.all(), "nav": "index",
    })


@login_required
@require_POST
def answer(request, pk):
    access = selectors.circular_access(request.user, pk)
    circular = access.circular
    if access.receipt is None:
        raise Http404
    form = AnswerForm(request.POST, circular=circular)
    if form.is_valid():
        try:
            services.circular_answer(user=request.user, circular=circular, answer=form.cleaned_data["answer"],
                                     head_count=form.cleaned_data.get("head_count"), note=form.cleaned_data["note"])
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("回答を送りました。ありがとうございました。"))
            return redirect("circulars:detail", circular.pk)
    receipt = access.receipt
    receipt.answer_text = services.answer_label(circular, receipt.answer)
    return render(request, "circulars/detail.html", {
        "circular": circular, "receipt": receipt, "form": form, "access": access,
        "attachments": circular.attachments.all(), "nav": "index",
    }, status=400)


@login_required
def attachment(request, pk):
    item = get_object_or_404(Attachment, pk=pk)
    selectors.circular_access(request.user, item.circular_id)  # 404 unless they may read the circular
    return document_response(item.file, filename=item.filename, content_type=item.content_type)


# --- officers: circulars -----------------------------------------------------------------

@login_required
def manage_index(request):
    associations = list(managed_associations(request.user))
    require(bool(associations))
    if len(associations) == 1:
        return redirect("circulars:manage", associations[0].pk)
    return render(request, "circulars/manage_index.html", {"associations": associations, "nav": "manage"})


@login_required
def manage(request, pk):
    association, scope = _association_scope(request, pk)
    circulars = list(selectors.circulars_of(association, scope)[:200])
    pending = association.join_requests.filter(status=JoinRequest.Status.PENDING).count() if scope.all else 0
    return render(request, "circulars/manage.html", {
        "association": association, "scope": scope, "circulars": circulars, "pending": pending, "nav": "manage",
    })


@login_required
@require_http_methods(["GET", "POST"])
def circular_new(request, pk):
    association, scope = _association_scope(request, pk, officer_only=True)
    form = CircularForm(request.POST or None, request.FILES or None, association=association)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circular = services.circular_create(
                association=association, author=request.user, attachments=data["attachments"],
                data=services.CircularInput(
                    title=data["title"], body=data["body"], due_date=data["due_date"], question=data["question"],
                    question_text=data["question_text"], options=data["options"].splitlines(),
                    everyone=data["everyone"], groups=list(data["groups"]), publish_at=data["publish_at"],
                    remind_after_days=data["remind_after_days"],
                ),
            )
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            if circular.is_published:
                messages.success(request, _("回覧を公開しました（%(n)s世帯）。") % {"n": circular.receipts.count()})
            else:
                messages.success(request, _("回覧を保存しました。%(at)s に公開します。") % {
                    "at": timezone.localtime(circular.publish_at).strftime("%Y-%m-%d %H:%M")})
            return redirect("circulars:progress", circular.pk)
    return render(request, "circulars/circular_form.html", {"form": form, "association": association, "scope": scope,
                                                          "nav": "manage"},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def safety_new(request, pk):
    association, scope = _association_scope(request, pk, officer_only=True)
    form = SafetyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            circular = services.safety_check_send(association=association, author=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("安否確認を送りました（%(n)s世帯）。") % {"n": circular.receipts.count()})
            return redirect("circulars:progress", circular.pk)
    return render(request, "circulars/safety_form.html", {"form": form, "association": association, "scope": scope,
                                                        "nav": "manage"},
                  status=400 if form.errors else 200)


PROGRESS_PAGE_SIZE = 200


@login_required
def progress(request, pk):
    access = selectors.circular_access(request.user, pk, manage=True)
    circular = access.circular
    data = selectors.progress(circular, access.scope)
    group_ids = {g["group_id"] for g in data.groups}
    group_id = request.GET.get("group", "")
    group_id = int(group_id) if group_id.isdigit() and int(group_id) in group_ids else None
    unread = request.GET.get("show") == "unread"
    rows = selectors.progress_rows(circular, access.scope, group_id=group_id, unread=unread)
    page = Paginator(rows, PROGRESS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(selectors.with_answer_text(circular, page.object_list))
    query = {key: value for key, value in (("group", group_id), ("show", "unread" if unread else None)) if value}
    return render(request, "circulars/progress.html", {
        "circular": circular, "scope": access.scope, "progress": data, "association": circular.association,
        "reminders": list(circular.reminders.all()), "nav": "manage", "Safety": Safety, "page": page,
        "group_id": group_id, "unread": unread, "query": urlencode(query),
        "any_unread": any(receipt.read_at is None for receipt in page.object_list),
    })


@login_required
def receipts_csv(request, pk):
    access = selectors.circular_access(request.user, pk, manage=True)
    circular = access.circular
    access_log_record(actor=request.user, action="export", obj=circular, detail="circular receipts CSV")
    header = [_("班"), _("世帯"), _("既読"), _("既読日時"), _("既読の方法"), _("回答"), _("人数"), _("ひとこと"), _("回答日時")]
    receipts = selectors.progress_rows(circular, access.scope).iterator(chunk_size=2000)

    def rows():
        for r in selectors.with_answer_text(circular, receipts):
            yield [
                r.group.name if r.group else "", r.household.name, _("既読") if r.read_at else _("未読"),
                timezone.localtime(r.read_at).strftime("%Y-%m-%d %H:%M") if r.read_at else "",
                r.get_via_display() if r.via else "", r.answer_text, r.head_count if r.head_count is not None else "",
                r.note, timezone.localtime(r.answered_at).strftime("%Y-%m-%d %H:%M") if r.answered_at else "",
            ]

    return csv_response(f"circular-{circular.pk}-receipts.csv", header, rows())


@login_required
@require_POST
def mark_paper(request, pk):
    access = selectors.circular_access(request.user, pk, manage=True)
    ids = [value for value in request.POST.getlist("household") if value.isdigit()]
    if not ids:
        messages.error(request, _("紙で受け取った世帯を選んでください。"))
        return redirect("circulars:progress", pk)
    count = services.receipts_mark_paper(actor=request.user, circular=access.circular, household_ids=ids)
    messages.success(request, _("%(n)s世帯を既読（紙）として記録しました。") % {"n": count})
    return redirect("circulars:progress", pk)


@login_required
@require_POST
def remind(request, pk):
    access = selectors.circular_access(request.user, pk, manage=True)
    require(access.scope.all)
    reminder = services.circular_remind(circular=access.circular, actor=request.user)
    if reminder is not None:
        messages.success(request, _("未読の%(h)s世帯にリマインドを送りました（%(n)s人）。") % {
            "h": reminder.households, "n": reminder.notified})
    return redirect("circulars:progress", pk)


@login_required
@require_POST
def publish_now(request, pk):
    access = selectors.circular_access(request.user, pk, manage=True)
    require(access.scope.all)
    if services.circular_publish(circular_id=pk):
        messages.success(request, _("回覧を公開しました。"))
    return redirect("circulars:progress", pk)


@login_required
def print_view(request, pk):
    access = selectors.circular_access(request.user, pk, manage=True)
    circular = access.circular
    if not circular.is_published:
        raise Http404
    url = request.build_absolute_uri(reverse("circulars:detail", args=[circular.pk]))
    groups = []
    for receipt in selectors.progress_rows(circular, access.scope):
        if not groups or groups[-1]["id"] != receipt.group_id:
            groups.append({"id": receipt.group_id, "name": receipt.group.name if receipt.group else "", "rows": []})
        groups[-1]["rows"].append(receipt)
    return render(request, "circulars/print.html", {
        "circular": circular, "groups": groups, "qr": _qr_data_uri(url), "url": url,
        "attachments": circular.attachments.all(), "choices": services.answer_choices(circular),
    })


# --- officers: roster --------------------------------------------------------------------

@login_required
def roster(request, pk):
    association, scope = _association_scope(request, pk)
    groups = selectors.roster(association, scope)
    return render(request, "circulars/roster.html", {
        "association": association, "scope": scope, "groups": groups, "nav": "manage",
        "group_form": GroupForm() if scope.all else None,
        "household_form": HouseholdForm(
            association=association, groups=association.circular_groups.filter(pk__in=[g.pk for g in groups])
        ) if groups else None,
        "leaders": OfficerRole.objects.filter(association=association).select_related("user", "user__profile", "group"),
    })


@login_required
@require_POST
def group_add(request, pk):
    association, scope = _association_scope(request, pk, officer_only=True)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.group_create(association=association, name=form.cleaned_data["name"])
        except ApplicationError as error:
            messages.error(request, "; ".join(sum(error.extra.get("fields", {}).values(), [])) or error.message)
        else:
            messages.success(request, _("班を追加しました。"))
    else:
        messages.error(request, _("班の名前を入力してください。"))
    return redirect("circulars:roster", association.pk)


@login_required
@require_POST
def household_add(request, pk):
    association, scope = _association_scope(request, pk)
    form = HouseholdForm(request.POST, association=association)
    if form.is_valid():
        require(scope.covers_group(form.cleaned_data["group"].pk))
        try:
            household = services.household_save(association=association, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("世帯「%(name)s」を名簿に加えました。") % {"name": household.name})
            return redirect("circulars:household", household.pk)
    else:
        messages.error(request, _("世帯の表示名と班を入力してください。"))
    return redirect("circulars:roster", association.pk)


def _household_scope(request, pk):
    household = get_object_or_404(Household.objects.select_related("association", "group"), pk=pk, left_at=None)
    scope = roles.officer_scope(request.user, household.association_id)
    if not scope.covers_group(household.group_id):
        raise Http404
    return household, scope


@login_required
@require_http_methods(["GET", "POST"])
def household(request, pk):
    household, scope = _household_scope(request, pk)
    association = household.association
    groups = association.circular_groups.all()
    if not scope.all:
        groups = groups.filter(pk__in=scope.group_ids)
    initial = {"name": household.name, "address": household.address, "group": household.group_id,
               "paper_only": household.paper_only}
    form = HouseholdForm(request.POST or None, association=association, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_save(association=association, household=household, **form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("世帯の情報を保存しました。"))
            return redirect("circulars:household", household.pk)
    code = JoinCode.objects.filter(household=household, used_at=None, revoked_at=None,
                                   expires_at__gt=timezone.now()).first()
    qr = None
    if code:
        qr = _qr_data_uri(request.build_absolute_uri(reverse("circulars:join") + f"?code={code.code}"))
    return render(request, "circulars/household.html", {
        "household": household, "association": association, "form": form, "code": code, "qr": qr,
        "members": household.memberships.filter(ended_at=None).select_related("user", "user__profile"),
        "nav": "manage",
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def code_issue(request, pk):
    household, scope = _household_scope(request, pk)
    services.join_code_issue(household=household, actor=request.user)
    messages.success(request, _("参加コードを発行しました（前のコードは使えなくなりました）。"))
    return redirect("circulars:household", household.pk)


@login_required
@require_POST
def move_out(request, pk):
    household, scope = _household_scope(request, pk)
    services.household_move_out(household=household)
    messages.success(request, _("世帯を転出として名簿から外しました。これまでの回覧の記録は匿名で集計に残ります。"))
    return redirect("circulars:roster", household.association_id)


@login_required
def requests_list(request, pk):
    association, scope = _association_scope(request, pk, officer_only=True)
    pending = list(association.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user"))
    for item in pending:
        item.form = DecideForm(association=association, prefix=f"r{item.pk}")
    return render(request, "circulars/requests.html", {"association": association, "pending": pending, "scope": scope,
                                                       "nav": "manage"})


@login_required
@require_POST
def request_decide(request, pk):
    item = get_object_or_404(JoinRequest.objects.select_related("association"), pk=pk)
    if not roles.is_officer(request.user, item.association_id):
        raise Http404
    form = DecideForm(request.POST, association=item.association, prefix=f"r{item.pk}")
    if form.is_valid():
        try:
            services.join_request_decide(join_request=item, actor=request.user,
                                         approve=form.cleaned_data["decision"] == "approve",
                                         household=form.cleaned_data["household"], group=form.cleaned_data["group"])
        except ApplicationError as error:
            messages.error(request, "; ".join(sum(error.extra.get("fields", {}).values(), [])) or error.message)
        else:
            messages.success(request, _("申請を処理しました。"))
    else:
        messages.error(request, _("判断を選んでください。"))
    return redirect("circulars:requests", item.association_id)


# --- member board ------------------------------------------------------------------------

def _board_associations(user):
    ids = set(Membership.objects.filter(user=user, ended_at=None).values_list("association_id", flat=True))
    officer_of = getattr(getattr(user, "profile", None), "officer_of_id", None)
    if officer_of:
        ids.add(officer_of)
    return Association.objects.filter(pk__in=ids).order_by("name")


@login_required
def board(request):
    associations = list(_board_associations(request.user))
    if len(associations) == 1:
        return redirect("circulars:board_association", associations[0].pk)
    return render(request, "circulars/board_index.html", {"associations": associations, "nav": "board"})


@login_required
@require_http_methods(["GET", "POST"])
def board_association(request, pk):
    association = get_object_or_404(Association, pk=pk)
    if not roles.can_read_board(request.user, association):
        raise Http404
    officer = roles.is_officer(request.user, association)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(user=request.user, association=association, **form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("投稿しました。"))
            return redirect("circulars:post", post.pk)
    posts = list(selectors.board_posts(association, officer=officer)[:100])
    return render(request, "circulars/board.html", {
        "association": association, "posts": posts, "form": form, "officer": officer, "nav": "board",
        "reports": list(selectors.open_reports(association)[:50]) if officer else [],
    }, status=400 if form.errors else 200)


def _post_for(request, pk):
    post = get_object_or_404(Post.objects.select_related("association", "author", "author__profile"), pk=pk)
    if not roles.can_read_board(request.user, post.association_id):
        raise Http404
    return post


@login_required
@require_http_methods(["GET", "POST"])
def post_detail(request, pk):
    post = _post_for(request, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_create(user=request.user, post=post, body=form.cleaned_data["body"])
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("コメントしました。"))
            return redirect("circulars:post", post.pk)
    officer = roles.is_officer(request.user, post.association_id)
    comments = list(selectors.comments_of(post))
    return render(request, "circulars/post.html", {
        "post": post, "comments": comments, "form": form, "officer": officer, "reason_form": ReasonForm(),
        "open_reports": post.reports.filter(resolved_at=None).count() if officer else 0, "nav": "board",
    }, status=400 if form.errors else 200)


def _reason(request):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("理由を入力してください。"))
        return None
    return form.cleaned_data["reason"]


@login_required
@require_POST
def post_report(request, pk):
    post = _post_for(request, pk)
    if (reason := _reason(request)) is not None:
        try:
            services.report_create(user=request.user, post=post, reason=reason)
        except ApplicationError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("通報しました。役員が確認します。"))
    return redirect("circulars:post", post.pk)


def _comment_for(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not roles.can_read_board(request.user, comment.post.association_id):
        raise Http404
    return comment


def _moderated_post(request, pk):
    """The post if the user moderates its board (an officer of its association); else 404."""
    post = _post_for(request, pk)
    if not roles.is_officer(request.user, post.association_id):
        raise Http404
    return post


def _moderated_comment(request, pk):
    comment = _comment_for(request, pk)
    if not roles.is_officer(request.user, comment.post.association_id):
        raise Http404
    return comment


@login_required
@require_POST
def comment_report(request, pk):
    comment = _comment_for(request, pk)
    if (reason := _reason(request)) is not None:
        try:
            services.report_create(user=request.user, comment=comment, reason=reason)
        except ApplicationError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("通報しました。役員が確認します。"))
    return redirect("circulars:post", comment.post_id)


@login_required
@require_POST
def post_hide(request, pk):
    post = _moderated_post(request, pk)
    if (reason := _reason(request)) is not None:
        services.item_hide(actor=request.user, item=post, reason=reason)
        messages.success(request, _("投稿を非表示にしました。投稿者には理由が表示されます。"))
    return redirect("circulars:post", post.pk)


@login_required
@require_POST
def post_restore(request, pk):
    post = _moderated_post(request, pk)
    services.item_restore(actor=request.user, item=post)
    messages.success(request, _("投稿を再表示しました。"))
    return redirect("circulars:post", post.pk)


@login_required
@require_POST
def post_dismiss(request, pk):
    post = _moderated_post(request, pk)
    services.reports_dismiss(actor=request.user, post=post)
    messages.success(request, _("通報を確認済みにしました（投稿はそのまま表示されます）。"))
    return redirect("circulars:post", post.pk)


@login_required
@require_POST
def comment_hide(request, pk):
    comment = _moderated_comment(request, pk)
    if (reason := _reason(request)) is not None:
        services.item_hide(actor=request.user, item=comment, reason=reason)
        messages.success(request, _("コメントを非表示にしました。投稿者には理由が表示されます。"))
    return redirect("circulars:post", comment.post_id)


@login_required
@require_POST
def comment_restore(request, pk):
    comment = _moderated_comment(request, pk)
    services.item_restore(actor=request.user, item=comment)
    messages.success(request, _("コメントを再表示しました。"))
    return redirect("circulars:post", comment.post_id)


# --- city staff: safety checks of a district ---------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def staff_safety(request):
    form = DistrictCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.district_check_send(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("%(district)sの町内会%(n)s件に安否確認を送りました。") % {
                "district": check.district, "n": check.circulars.count()})
            return redirect("circulars:staff_safety_detail", check.pk)
    checks = DistrictCheck.objects.select_related("district").annotate(associations=Count("circulars"))[:50]
    return render(request, "circulars/staff_safety.html", {"form": form, "checks": checks, "nav": "staff"},
                  status=400 if form.errors else 200)


@staff_required
def staff_safety_detail(request, pk):
    check = get_object_or_404(DistrictCheck.objects.select_related("district"), pk=pk)
    rows = list(
        Circular.objects.filter(district_check=check).select_related("association")
        .annotate(total=Count("receipts"), answered=Count("receipts", filter=~Q(receipts__answer="")),
                  safe=Count("receipts", filter=Q(receipts__answer=Safety.SAFE)),
                  help=Count("receipts", filter=Q(receipts__answer=Safety.HELP)),
                  away=Count("receipts", filter=Q(receipts__answer=Safety.AWAY)),
                  paper=Count("receipts", filter=Q(receipts__household__paper_only=True)))
        .order_by("association__name")
    )
    totals = {key: sum(getattr(row, key) for row in rows) for key in ("total", "answered", "safe", "help", "away", "paper")}
    help_rows = list(
        Receipt.objects.filter(circular__district_check=check, answer=Safety.HELP)
        .select_related("household", "circular__association").order_by("circular__association__name")[:500]
    )
    if help_rows:
        access_log_record(actor=request.user, action="view", obj=check, detail="households needing help")
    return render(request, "circulars/staff_safety_detail.html", {
        "check": check, "rows": rows, "totals": totals, "help_rows": help_rows, "nav": "staff",
    })

