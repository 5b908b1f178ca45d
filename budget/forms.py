from django import forms
from django.utils.translation import gettext_lazy as _

from .calculator import MAX_DEPENDANTS

MAX_AMOUNT = 10_000_000_000  # 100億円: beyond any resident's income


class CalculatorForm(forms.Form):
    MODE_CHOICES = [("income", _("年収（給与の額面）から計算する")), ("tax", _("市民税の額から計算する"))]

    mode = forms.ChoiceField(label=_("計算のしかた"), choices=MODE_CHOICES, initial="income", widget=forms.RadioSelect)
    amount = forms.IntegerField(
        label=_("金額（円）"), min_value=0, max_value=MAX_AMOUNT,
        help_text=_("年収、または住民税決定通知書の「市民税」の年額を、円単位の整数で入力してください。"),
        error_messages={"invalid": _("円単位の整数で入力してください。")},
    )
    HOUSEHOLD_CHOICES = [("single", _("単身（扶養する家族なし）")), ("dependants", _("扶養する家族がいる（配偶者を含む）"))]
    household = forms.ChoiceField(label=_("世帯"), choices=HOUSEHOLD_CHOICES, initial="single", required=False,
                                  widget=forms.RadioSelect, help_text=_("年収から計算するときに使います。"))
    dependants = forms.IntegerField(
        label=_("扶養する家族の人数（配偶者を含む）"), min_value=1, max_value=MAX_DEPENDANTS, required=False,
        help_text=_("「扶養する家族がいる」のときに入力してください。"),
        error_messages={"invalid": _("人数を整数で入力してください。")},
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def clean(self):
        data = super().clean()
        if data.get("household") == "dependants" and data.get("mode") == "income" and not data.get("dependants"):
            self.add_error("dependants", _("扶養する家族の人数を入力してください。"))
        return data

    @property
    def dependants_count(self) -> int:
        data = self.cleaned_data
        return (data.get("dependants") or 0) if data.get("household") == "dependants" else 0

    def __init__(self, *args, years=(), initial_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        from asahikawa.dates import fiscal_year_label

        self.fields["year"].choices = [(year, fiscal_year_label(year)) for year in years]
        if years:
            self.fields["year"].initial = initial_year if initial_year in years else years[0]
        self.fields["amount"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["dependants"].widget.attrs.update({"inputmode": "numeric"})
