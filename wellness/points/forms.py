import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BACKFILL_DAYS, HISTORY_DAYS
from .validation import RANGES, VALUE_FIELDS, cross_field_errors, day_error, range_message


class RecordForm(forms.Form):
    """One day's record: today, or back-fill of the last 30 days."""

    day = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    steps = forms.IntegerField(label=_("歩数"), required=False)
    weight_kg = forms.DecimalField(label=_("体重（kg）"), required=False, max_digits=4, decimal_places=1)
    body_fat_pct = forms.DecimalField(label=_("体脂肪率（%）"), required=False, max_digits=3, decimal_places=1)
    systolic = forms.IntegerField(label=_("最高血圧（mmHg）"), required=False)
    diastolic = forms.IntegerField(label=_("最低血圧（mmHg）"), required=False)

    max_age_days = BACKFILL_DAYS

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["day"].help_text = _("今日から%(days)s日前まで記録できます。") % {"days": self.max_age_days}
        self.fields["day"].widget.attrs.update(
            {"min": (self.today - datetime.timedelta(days=self.max_age_days)).isoformat(), "max": self.today.isoformat()}
        )
        for name in VALUE_FIELDS:
            low, high = RANGES[name]
            field = self.fields[name]
            field.widget.attrs.update({"min": low, "max": high, "inputmode": "decimal" if name in ("weight_kg", "body_fat_pct") else "numeric"})
            field.help_text = range_message(name)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def clean_day(self):
        day = self.cleaned_data["day"]
        if error := day_error(day, max_age_days=self.max_age_days, today=self.today):
            raise forms.ValidationError(error)
        return day

    def _clean_range(self, name):
        value = self.cleaned_data.get(name)
        low, high = RANGES[name]
        if value is not None and not (low <= value <= high):
            raise forms.ValidationError(range_message(name))
        return value

    def clean_steps(self):
        return self._clean_range("steps")

    def clean_weight_kg(self):
        return self._clean_range("weight_kg")

    def clean_body_fat_pct(self):
        return self._clean_range("body_fat_pct")

    def clean_systolic(self):
        return self._clean_range("systolic")

    def clean_diastolic(self):
        return self._clean_range("diastolic")

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in VALUE_FIELDS):
            return cleaned
        for field, messages in cross_field_errors(cleaned).items():
            for message in messages:
                self.add_error(None if field == "__all__" else field, message)
        return cleaned


class HistoryRecordForm(RecordForm):
    """The same checks for CSV rows: a year of history."""

    max_age_days = HISTORY_DAYS


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("1行目は date,steps,weight_kg,body_fat_pct,systolic,diastolic（UTF-8、最大1,000行）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "aria-describedby": "id_file_helptext"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 512 * 1024:
            raise forms.ValidationError(_("ファイルが大きすぎます（512KBまで）。"))
        return upload


class CounterLookupForm(forms.Form):
    email = forms.EmailField(label=_("住民のメールアドレス"))

