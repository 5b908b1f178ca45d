"""Forms of the young-carer support: they check the shape of the input, field by field, in the
user's language; the services check the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from asahikawa.accounts.models import HelperAgency

from .models import Reason, Task, Visit, Weekday

CHILD_ROWS = 3
MINUTES = [(60, _("1時間")), (90, _("1時間30分")), (120, _("2時間")), (150, _("2時間30分")), (180, _("3時間"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ApplicationForm(forms.Form):
    guardian_name = forms.CharField(label=_("保護者の氏名"), max_length=64)
    address = forms.CharField(label=_("住所（ヘルパーが訪問する場所）"), max_length=200)
    phone = forms.CharField(label=_("連絡先の電話番号"), max_length=32)
    reason = forms.ChoiceField(label=_("家事が難しい理由"), choices=Reason.choices, widget=forms.RadioSelect)
    reason_detail = forms.CharField(
        label=_("理由の詳細"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("市の担当者だけが読みます。ヘルパーの事業者には伝えません。"),
    )
    services_wanted = forms.MultipleChoiceField(
        label=_("希望する支援"), choices=Task.choices, widget=forms.CheckboxSelectMultiple
    )
    preferred_weekdays = forms.TypedMultipleChoiceField(
        label=_("希望する曜日"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_hours = forms.CharField(
        label=_("希望する時間帯"), max_length=64, required=False, help_text=_("例：平日の16時〜18時")
    )
    wanted_from = forms.DateField(label=_("希望する期間（開始日）"), widget=DateInput)
    wanted_to = forms.DateField(label=_("希望する期間（終了日）"), widget=DateInput)
    consent = forms.BooleanField(
        label=_(
            "病気などの理由や子どもの情報（要配慮個人情報）を、家事支援の審査と派遣のために市が取り扱うことに同意します。"
        ),
        error_messages={"required": _("同意が必要です。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = list(self.fields.items())
        self.fields.clear()
        for name, field in fields:
            self.fields[name] = field
            if name == "phone":
                for n in range(1, CHILD_ROWS + 1):
                    self.fields[f"child_{n}_age"] = forms.IntegerField(
                        label=_("子ども%(n)sの年齢") % {"n": n}, min_value=0, max_value=17, required=n == 1
                    )
                    self.fields[f"child_{n}_school"] = forms.CharField(
                        label=_("子ども%(n)sの学校・園（学年）") % {"n": n}, max_length=64, required=False
                    )
        self.fields["guardian_name"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean(self):
        data = super().clean()
        start, end = data.get("wanted_from"), data.get("wanted_to")
        if start and end and start > end:
            self.add_error("wanted_to", _("終了日は開始日より後にしてください。"))
        children = []
        for n in range(1, CHILD_ROWS + 1):
            age, school = data.get(f"child_{n}_age"), data.get(f"child_{n}_school")
            if age is None and school:
                self.add_error(f"child_{n}_age", _("年齢を入力してください。"))
            elif age is not None:
                children.append({"age": age, "school": school or ""})
        data["children"] = children
        return data


class CaseworkerApplicationForm(ApplicationForm):
    household_email = forms.EmailField(
        label=_("世帯のアカウントのメールアドレス（あれば）"),
        required=False,
        help_text=_("世帯がポータルに登録していれば、申請と訪問の予定を世帯も見られるようになります。"),
    )
    consent = forms.BooleanField(
        label=_("保護者から、要配慮個人情報を家事支援の審査と派遣のために市が取り扱うことへの同意を得ました。"),
        error_messages={"required": _("保護者の同意が必要です。")},
    )

    def clean_household_email(self):
        email = (self.cleaned_data.get("household_email") or "").strip().lower()
        if not email:
            return None
        user = get_user_model().objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("このメールアドレスのアカウントはありません。"))
        return user


class InfoForm(forms.Form):
    note = forms.CharField(label=_("追加の情報"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    plan_start = forms.DateField(label=_("開始日"), widget=DateInput)
    plan_end = forms.DateField(label=_("終了日"), widget=DateInput)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("訪問する曜日（週の回数）"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    minutes_per_visit = forms.TypedChoiceField(label=_("1回の時間"), choices=MINUTES, coerce=int)
    tasks = forms.MultipleChoiceField(label=_("支援の内容"), choices=Task.choices, widget=forms.CheckboxSelectMultiple)
    agency = forms.ModelChoiceField(label=_("家事支援事業者"), queryset=HelperAgency.objects.all())

    def clean(self):
        data = super().clean()
        start, end = data.get("plan_start"), data.get("plan_end")
        if start and end and start > end:
            self.add_error("plan_end", _("終了日は開始日より後にしてください。"))
        return data


class ExtendForm(forms.Form):
    plan_end = forms.DateField(label=_("延長後の終了日"), widget=DateInput)
    reason = forms.CharField(label=_("延長の理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(forms.Form):
    end_on = forms.DateField(label=_("支援の最終日"), widget=DateInput)
    reason = forms.CharField(label=_("早めに終える理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.Form):
    start_time = forms.TimeField(label=_("開始時刻"), widget=TimeInput)
    helper_name = forms.CharField(label=_("担当ヘルパー"), max_length=64)


class RecordForm(forms.Form):
    tasks_done = forms.MultipleChoiceField(
        label=_("実施した支援"), choices=Task.choices, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.IntegerField(label=_("実施した時間（分）"), min_value=1, max_value=600)
    note = forms.CharField(
        label=_("ひとこと（任意）"),
        max_length=200,
        required=False,
        help_text=_("病気など、世帯の事情は書かないでください。"),
    )


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(label=_("中止の理由"), max_length=200)


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("対象の月"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )


STATE_CHOICES = Visit.State.choices
