"""The staff review queue's filters (django-filter): program, status, date of receipt, search."""
import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WAITING, Application, Status
from .selectors import staff_programs

QUEUE_STATUSES = [(value, label) for value, label in Status.choices if value != Status.DRAFT]


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.fiscal_year} {obj.code} {obj.title}"


class ProgramFilter(django_filters.ModelChoiceFilter):
    field_class = ProgramChoiceField


def _programs(request):
    return staff_programs(request.user) if request is not None else Application.objects.none()


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2200, 1, 1)


def _day_start(day: datetime.date) -> datetime.datetime:
    """The start of a day in Asia/Tokyo (days far outside any fiscal year are clamped, so that
    no conversion overflows)."""
    day = min(max(day, EARLIEST), LATEST)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class QueueFilter(django_filters.FilterSet):
    program = ProgramFilter(label=_("制度"), queryset=_programs, empty_label=_("すべての制度"))
    status = django_filters.ChoiceFilter(label=_("状況"), choices=[("waiting", _("審査待ち（受付・審査中・再提出）")), *QUEUE_STATUSES],
                                         method="filter_status", empty_label=_("すべての状況"))
    submitted_from = django_filters.DateFilter(label=_("受付日（から）"), method="filter_from",
                                               widget=forms.DateInput(attrs={"type": "date"}))
    submitted_to = django_filters.DateFilter(label=_("受付日（まで）"), method="filter_to",
                                             widget=forms.DateInput(attrs={"type": "date"}))
    q = django_filters.CharFilter(label=_("受付番号・氏名"), method="filter_search", max_length=100)

    class Meta:
        model = Application
        fields = ["program", "status", "submitted_from", "submitted_to", "q"]

    def filter_status(self, queryset, name, value):
        if value == "waiting":
            return queryset.filter(status__in=WAITING)
        return queryset.filter(status=value)

    def filter_from(self, queryset, name, value):
        # A range on the indexed column (Asia/Tokyo days), not a date() of every row.
        return queryset.filter(submitted_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=_day_start(min(value, LATEST) + datetime.timedelta(days=1)))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(receipt_number__icontains=value) | Q(applicant_name__icontains=value) | Q(business_name__icontains=value)
        )
