"""Forms of the subsidy pages. They check the shape of the input (field by field, in the user's
language); the services check the rules and compute the amount again."""
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asahikawa.uploads import validate_document

from .formula import MAX_COST
from .models import MAX_LINE_ITEMS, ApplicantType

YES_NO = [("yes", _("はい")), ("no", _("いいえ"))]


class YenField(forms.IntegerField):
    """An amount in whole yen. Accepts 1,200,000 / １２０００００ / 1200000円 (commas, full-width
    digits and a trailing 円 are dropped); refuses fractions and negative amounts."""

    default_error_messages = {"invalid": _("円単位の整数で入力してください。")}

    def __init__(self, *, min_value=0, max_value=MAX_COST, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").removesuffix("円")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off"}


class YenInput(forms.TextInput):
    """A text box (type=number would refuse the commas people type)."""


class EligibilityForm(forms.Form):
    """The program's yes/no questions, one radio group each (q_<question id>)."""

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        for question in program.questions.all():
            self.fields[f"q_{question.pk}"] = forms.ChoiceField(
                label=question.label, choices=YES_NO, widget=forms.RadioSelect,
                error_messages={"required": _("「はい」か「いいえ」を選んでください。")},
            )

    def answers(self) -> dict:
        return {name.removeprefix("q_"): value == "yes" for name, value in self.cleaned_data.items()}


class ApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(label=_("申請者の区分"), widget=forms.RadioSelect, choices=())
    applicant_name = forms.CharField(label=_("氏名（法人は代表者名）"), max_length=100, required=False)
    business_name = forms.CharField(label=_("事業者名・法人名"), max_length=150, required=False,
                                    help_text=_("農業経営体・法人として申請する場合に入力してください。"))
    applicant_address = forms.CharField(label=_("住所"), max_length=200, required=False)
    applicant_phone = forms.CharField(label=_("電話番号"), max_length=20, required=False)
    national_subsidy = YenField(label=_("国の補助の額（円）"), required=False, widget=YenInput)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["applicant_type"].choices = [(kind, ApplicantType(kind).label) for kind in program.applicant_types]
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "name"
        self.fields["applicant_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["applicant_phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        if program.combines:
            self.fields["national_subsidy"].help_text = _(
                "国の補助と併用する場合、その額（交付決定額または見込み額）を入力してください。"
                "市の補助と国の補助の合計は、対象経費の%(numerator)s/%(denominator)sまでです。"
            ) % {"numerator": program.combined_numerator, "denominator": program.combined_denominator}
        else:
            del self.fields["national_subsidy"]

    def clean_applicant_phone(self):
        phone = unicodedata.normalize("NFKC", self.cleaned_data.get("applicant_phone") or "").strip()
        if phone and not all(c.isdigit() or c in "-+() " for c in phone):
            raise ValidationError(_("電話番号は数字とハイフンで入力してください。"))
        return phone

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["national_subsidy"] = data.get("national_subsidy") or 0
        return data


class LineItemForm(forms.Form):
    name = forms.CharField(label=_("設備・内容"), max_length=200, required=False)
    cost = YenField(label=_("経費（税抜・円）"), min_value=1, required=False, widget=YenInput)

    def clean(self):
        data = super().clean()
        name, cost = (data.get("name") or "").strip(), data.get("cost")
        if name and cost is None and "cost" not in self.errors:
            self.add_error("cost", _("経費を入力してください。"))
        if cost is not None and not name:
            self.add_error("name", _("設備・内容を入力してください。"))
        return data


class BaseLineItemFormSet(forms.BaseFormSet):
    def items(self) -> list[dict]:
        return [
            {"name": form.cleaned_data["name"].strip(), "cost": form.cleaned_data["cost"]}
            for form in self.forms
            if form.cleaned_data.get("name") and form.cleaned_data.get("cost") is not None
        ]


def line_item_formset(data=None, *, items=(), blank_rows=2):
    """The line items with a few blank rows to add more (no script needed)."""
    initial = [{"name": item.name, "cost": item.cost} for item in items]
    formset_class = forms.formset_factory(
        LineItemForm, formset=BaseLineItemFormSet, extra=max(0, min(blank_rows, MAX_LINE_ITEMS - len(initial))),
        max_num=MAX_LINE_ITEMS, validate_max=True, absolute_max=MAX_LINE_ITEMS,
    )
    return formset_class(data, initial=initial, prefix="items")


def document_fields(form: forms.Form, requirements) -> None:
    """Add one optional file field (doc_<requirement id>) per requirement."""
    for requirement in requirements:
        form.fields[f"doc_{requirement.pk}"] = forms.FileField(
            label=requirement.title, required=False,
            help_text=_("PDF・JPEG・PNG、10MBまで"),
            widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        )


def clean_documents(form: forms.Form) -> list:
    """[(requirement id, upload)] of the files chosen, each checked by its content; errors by field."""
    uploads = []
    for name in form.fields:
        if not name.startswith("doc_"):
            continue
        upload = form.cleaned_data.get(name)
        if not upload:
            continue
        try:
            validate_document(upload)
        except ValidationError as error:
            form.add_error(name, error)
            continue
        uploads.append((int(name.removeprefix("doc_")), upload))
    return uploads


class DocumentsForm(forms.Form):
    """The file fields of one stage (application documents while editing)."""

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        document_fields(self, requirements)

    def uploads(self) -> list:
        return clean_documents(self)


class CompletionForm(forms.Form):
    actual_cost = YenField(label=_("実際にかかった経費（税抜・円）"), min_value=1, widget=YenInput)

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        document_fields(self, requirements)

    def uploads(self) -> list:
        return clean_documents(self)


class StaffActionForm(forms.Form):
    """What a step needs (the step itself is the button's hidden `to`)."""

    comment = forms.CharField(label=_("コメント（申請者に表示されます）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    amount = YenField(label=_("金額（円）"), required=False, widget=YenInput)


class IdsField(forms.Field):
    """The ids of the ticked rows (each a positive integer)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            raise ValidationError(_("申請の指定が正しくありません。")) from None
        if any(not 1 <= pk < 2**63 for pk in ids):
            raise ValidationError(_("申請の指定が正しくありません。"))
        return ids


class BulkForm(forms.Form):
    ACTIONS = [("under_review", _("審査を始める")), ("paid", _("支払済みにする"))]
    action = forms.ChoiceField(label=_("選んだ申請をまとめて"), choices=ACTIONS)
    ids = IdsField(error_messages={"required": _("申請を1件以上選んでください。")})


class LotteryForm(forms.Form):
    confirm = forms.BooleanField(label=_("受付期間が終わったことを確かめ、抽選を行います"), required=True)

