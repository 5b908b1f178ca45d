"""Resident pages and the staff pages of the wellness area (thin: forms, services, selectors)."""
import calendar
import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from asahikawa import charts
from asahikawa.accounts.roles import department_required
from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError
from asahikawa.spreadsheets import csv_response, frame_csv_response

from . import csv_import, selectors, services
from .forms import CounterLookupForm, CsvUploadForm, RecordForm
from .models import GRACE_DAYS, EntryKind, HealthRecord, Source


def participant_required(view):
    """Pages with health data: only after the resident's explicit consent (else to the consent page)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        request.participant = selectors.participant_for(request.user)
        if request.participant is None:
            messages.info(request, _("はじめに、健康情報の取扱いへの同意をお願いします。"))
            return redirect("wellness:dashboard")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


staff_required = department_required("wellness")


# --- resident pages ---------------------------------------------------------------------

@login_required
def dashboard(request):
    participant = selectors.participant_for(request.user)
    if participant is None:
        return render(request, "wellness/consent.html", {"nav": "dashboard"})
    return render(
        request, "wellness/dashboard.html",
        {"participant": participant, "summary": selectors.dashboard_summary(request.user), "today": timezone.localdate(),
         "nav": "dashboard"},
    )


@login_required
@require_POST
def consent(request):
    if request.POST.get("agree") != "yes":
        messages.error(request, _("同意する場合は、チェックを入れてから送信してください。"))
        return redirect("wellness:dashboard")
    services.participant_consent(user=request.user)
    messages.success(request, _("同意を記録しました。今日の記録をはじめましょう。"))
    return redirect("wellness:record")


@participant_required
@require_http_methods(["GET", "POST"])
def record(request):
    today = timezone.localdate()
    if request.method == "POST":
        form = RecordForm(request.POST, today=today)
        if form.is_valid():
            services.records_upsert(user=request.user, rows=[form.cleaned_data], source=Source.WEB)
            messages.success(request, _("%(day)s の記録を保存しました。") % {"day": form.cleaned_data["day"]})
            return redirect("wellness:record")
    else:
        initial = {"day": today}
        day = request.GET.get("day")
        if day:
            try:
                initial["day"] = datetime.date.fromisoformat(day)
            except ValueError:
                pass
        existing = HealthRecord.objects.filter(user=request.user, day=initial["day"]).first()
        if existing:
            initial.update(selectors.values_of(existing))
        form = RecordForm(initial=initial, today=today)
    recent = selectors.record_rows(selectors.records_for(request.user, date_from=today - datetime.timedelta(days=30)))
    return render(request, "wellness/record.html", {"form": form, "recent": recent, "grace_days": GRACE_DAYS, "nav": "record"},
                  status=400 if form.errors else 200)


@participant_required
@require_POST
def record_delete(request, pk):
    try:
        services.record_delete(user=request.user, record_id=pk)
    except HealthRecord.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("記録を削除しました。"))
    return redirect("wellness:record")


@participant_required
@require_http_methods(["GET", "POST"])
def upload(request):
    errors, result = [], None
    if request.method == "POST":
        form = CsvUploadForm(request.POST, request.FILES)
        if form.is_valid():
            result, errors = csv_import.records_import_csv(user=request.user, upload=form.cleaned_data["file"])
            if result is not None:
                messages.success(
                    request,
                    _("取り込みました（新規 %(created)s件、更新 %(updated)s件、変更なし %(unchanged)s件）。")
                    % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                )
                return redirect("wellness:record")
    else:
        form = CsvUploadForm()
    return render(request, "wellness/upload.html", {"form": form, "errors": errors, "header": ",".join(csv_import.HEADER), "nav": "record"},
                  status=400 if errors else 200)


@participant_required
def trends(request):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in selectors.TREND_PERIODS:
        days = 30
    today = timezone.localdate()
    rows = {r["day"]: r for r in selectors.trend_series(request.user, days=days, today=today)}
    all_days = [today - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]
    def series(name):
        return [rows[d][name] if d in rows else None for d in all_days]

    context = {
        "nav": "trends",
        "days": days,
        "periods": selectors.TREND_PERIODS,
        "rows": [rows[d] for d in all_days if d in rows],
        "steps_chart": charts.bar_chart(all_days, series("steps"), name=_("歩数")),
        "weight_chart": charts.line_chart(all_days, {_("体重（kg）"): series("weight_kg")}),
        "bp_chart": charts.line_chart(all_days, {_("最高血圧"): series("systolic"), _("最低血圧"): series("diastolic")}),
    }
    return render(request, "wellness/trends.html", context)


@participant_required
def ledger(request):
    paginator = Paginator(selectors.ledger_lines(request.user), 20)
    paginator.count = selectors.ledger_count(request.user)  # (a cached property) counted with no join
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    labels = {value: str(label) for value, label in EntryKind.choices}  # translated once per page
    for line in page.object_list:
        line["kind_label"] = labels[line["kind"]]
    return render(request, "wellness/ledger.html", {"page": page, "participant": request.participant, "nav": "ledger"})


@login_required
def rewards(request):
    rewards = list(selectors.rewards_available())
    period = _("%(start)s〜%(end)s")  # translated once, not a reward a time
    for reward in rewards:
        reward.period_text = period % {"start": reward.valid_from.isoformat(), "end": reward.valid_until.isoformat()}
    return render(
        request, "wellness/rewards.html",
        {"rewards": rewards, "participant": selectors.participant_for(request.user), "nav": "rewards"},
    )


@participant_required
@require_POST
def reward_redeem(request, pk):
    try:
        redemption = services.reward_redeem(user=request.user, reward_id=pk)
    except ApplicationError as error:
        if error.status_code == 404:
            raise Http404 from None
        messages.error(request, error.message)
        return redirect("wellness:rewards")
    messages.success(request, _("交換しました。引換コード: %(code)s") % {"code": redemption.code})
    return redirect("wellness:vouchers")


@participant_required
def vouchers(request):
    paginator = Paginator(selectors.voucher_lines(request.user), 30)
    paginator.count = selectors.voucher_count(request.user)  # (a cached property) counted with no join
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "wellness/vouchers.html", {"page": page, "nav": "vouchers"})


@login_required
def export_json(request):
    data = selectors.export_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="wellness-data.json"'
    return response


@login_required
def export_csv(request):
    """The records as CSV (the same header the upload accepts, plus the source of each value)."""
    data = selectors.export_data(request.user)
    columns = ["date", "steps", "weight_kg", "body_fat_pct", "systolic", "diastolic",
               "steps_source", "weight_source", "body_fat_source", "bp_source"]
    return csv_response("wellness-records.csv", columns, data["records"])


@login_required
@require_http_methods(["GET", "POST"])
def delete_data(request):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("削除する場合は、確認のチェックを入れてください。"))
            return redirect("wellness:delete_data")
        services.wellness_data_delete(user=request.user)
        messages.success(request, _("健康ポイントのデータをすべて削除しました。"))
        return redirect("dashboard")
    return render(request, "wellness/delete.html", {"participant": selectors.participant_for(request.user)})


# --- staff pages ----------------------------------------------------------------------

def _stats_period(request):
    today = timezone.localdate()
    default_from = today.replace(day=1) - datetime.timedelta(days=365)
    default_from = default_from.replace(day=1)
    try:
        date_from = datetime.date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else default_from
        date_to = datetime.date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        date_from, date_to = default_from, today
    # Whole months only: the figures of a month never depend on the days chosen, so two periods
    # cut inside a month cannot be subtracted to single out the residents of a few days.
    date_from = date_from.replace(day=1)
    date_to = date_to.replace(day=calendar.monthrange(date_to.year, date_to.month)[1])
    return date_from, date_to


@staff_required
def staff_stats(request):
    date_from, date_to = _stats_period(request)
    frame = selectors.statistics_frame(date_from=date_from, date_to=date_to)
    return render(
        request, "wellness/staff_stats.html",
        {"rows": frame.to_dict("records"), "date_from": date_from, "date_to": date_to, "min_group": selectors.MIN_GROUP,
         "totals": selectors.statistics_totals(date_from=date_from, date_to=date_to)},
    )


@staff_required
def staff_stats_csv(request):
    date_from, date_to = _stats_period(request)
    frame = selectors.statistics_frame(date_from=date_from, date_to=date_to)
    return frame_csv_response(f"wellness-stats-{date_from}-{date_to}.csv", frame)


@staff_required
@require_http_methods(["GET", "POST"])
def counter(request):
    form = CounterLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_staff=False).first()
        if resident is None:
            form.add_error("email", _("このメールアドレスの住民は見つかりません。"))
        else:
            return redirect("wellness:counter_resident", pk=resident.pk)
    return render(request, "wellness/counter.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def counter_resident(request, pk):
    """Staff enter a record for a resident without a smartphone. Every view is an access-log entry."""
    resident = get_object_or_404(get_user_model(), pk=pk, is_staff=False)
    participant = selectors.participant_for(resident)
    today = timezone.localdate()
    form = RecordForm(request.POST or None, today=today, initial={"day": today})
    if request.method == "POST":
        if participant is None:
            if request.POST.get("paper_consent") == "yes":
                services.participant_consent(user=resident)
                access_log_record(actor=request.user, action="change", object_type="wellness.participant",
                                  object_id=resident.pk, detail="consent on paper at the counter")
                messages.success(request, _("書面での同意を記録しました。"))
                return redirect("wellness:counter_resident", pk=resident.pk)
            messages.error(request, _("本人の書面での同意を確認してから記録してください。"))
            return redirect("wellness:counter_resident", pk=resident.pk)
        if form.is_valid():
            services.record_upsert_by_staff(staff=request.user, resident=resident, values=form.cleaned_data)
            messages.success(request, _("記録を保存しました。"))
            return redirect("wellness:counter_resident", pk=resident.pk)
    access_log_record(actor=request.user, action="view", object_type="wellness.healthrecord", object_id=resident.pk,
                      detail="counter: resident's records")
    recent = selectors.record_rows(selectors.records_for(resident, date_from=today - datetime.timedelta(days=30))) if participant else []
    return render(
        request, "wellness/counter_resident.html",
        {"resident": resident, "participant": participant, "form": form, "recent": recent},
        status=400 if form.errors else 200,
    )
