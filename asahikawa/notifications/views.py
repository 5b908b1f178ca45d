from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asahikawa.areas import notification_kinds

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification

PER_PAGE = 20


@login_required
def inbox(request):
    """The rows of the page asked for carry the counts: one query. Past the end (or a page that is
    not a number), the counts first, then the page the paginator gives (the last, or the first)."""
    asked = request.GET.get("page") or "1"
    rows = selectors.inbox_rows(request.user, int(asked), PER_PAGE) if asked.isdigit() and int(asked) >= 1 else []
    counts = {"total": rows[0].total, "unread": rows[0].unread_total} if rows else selectors.inbox_counts(request.user)
    paginator = Paginator(request.user.notifications.all(), PER_PAGE)
    paginator.count = counts["total"]  # (a cached property) no count query of its own
    page = paginator.get_page(asked)
    page.object_list = rows if rows else list(page.object_list)
    labels = {code: str(kind.label) for code, kind in notification_kinds().items()}  # translated once per page
    for notification in page.object_list:
        notification.kind_label = labels.get(notification.kind, notification.kind)
    return render(request, "notifications/inbox.html", {"page": page, "inbox_unread": counts["unread"]})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("すべて既読にしました。"))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, channels=form.cleaned_data)
        messages.success(request, _("通知の設定を保存しました。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200)
