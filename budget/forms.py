from django import forms
from django.utils.translation import gettext_lazy as _

MAX_AMOUNT = 10_000_000_000  # 100億円: beyond any resident's income


class CalculatorForm(forms.Form):
    MODE_CHOICES = [("income", _("年収（給与の額面）から計算する")), ("tax", _("市民税の額から計算する"))]

    mode = forms.ChoiceField(label=_("計算のしかた"), choices=MODE_CHOICES, initial="income", widget=forms.RadioSelect)
    amount = forms.IntegerField(
        label=_("金額（円）"), min_value=0, max_value=MAX_AMOUNT,
        help_text=_("年収、または住民税決定通知書の「市民税」の年額を、円単位の整数で入力してください。"),
        error_messages={"invalid": _("円単位の整数で入力してください。")},
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        from asahikawa.dates import fiscal_year_label

        self.fields["year"].choices = [(year, fiscal_year_label(year)) for year in years]
        if years:
            self.fields["year"].initial = years[0]
        self.fields["amount"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
