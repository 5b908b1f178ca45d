"""Forms of the circular board. The rules live in services; a refused service call's field
errors are put back on the form (form_errors_from)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from asahikawa.errors import ApplicationError

from .models import Group, Household, Question
from .services import answer_choices


def form_errors_from(form, error: ApplicationError) -> None:
    fields = (error.extra or {}).get("fields") or {}
    for name, messages in fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CircularForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=120)
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    due_date = forms.DateField(label=_("回覧の期限"), required=False, widget=DateInput)
    attachments = MultipleFileField(
        label=_("添付ファイル"), required=False,
        help_text=_("PDF・JPEG・PNG、1つ10MBまで、5個まで。"),  # MAX_ATTACHMENTS
    )
    question = forms.ChoiceField(label=_("質問"), choices=Question.choices, required=False, widget=forms.RadioSelect)
    question_text = forms.CharField(label=_("質問の文"), max_length=200, required=False,
                                    help_text=_("例：清掃活動に参加しますか"))
    options = forms.CharField(label=_("選択肢（1行に1つ）"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("「選択肢から1つ」のときだけ使います。"))
    everyone = forms.TypedChoiceField(
        label=_("回覧する範囲"), choices=[("1", _("町内会の全世帯")), ("0", _("選んだ班だけ"))], initial="1",
        coerce=lambda value: value == "1", widget=forms.RadioSelect,
    )
    groups = forms.ModelMultipleChoiceField(label=_("回覧する班"), queryset=Group.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    publish_at = forms.DateTimeField(label=_("公開日時"), required=False, widget=DateTimeLocalInput,
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                     help_text=_("空欄なら今すぐ公開します。"))
    remind_after_days = forms.IntegerField(
        label=_("未読の世帯へのリマインド（日後）"), required=False, min_value=1, max_value=60,
        help_text=_("公開から何日たっても未読の世帯にお知らせを送ります。空欄なら送りません。"),
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(association=association).order_by("position", "id")


class SafetyForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=120, initial=_("安否確認のお願い"))
    body = forms.CharField(label=_("本文"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           initial=_("無事かどうか、支援が必要かを、ボタン1つで教えてください。"))


class DistrictCheckForm(SafetyForm):
    district = forms.ModelChoiceField(label=_("地区"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from asahikawa.accounts.models import District

        self.fields["district"].queryset = District.objects.order_by("code")
        self.order_fields(["district", "title", "body"])


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("回答"), widget=forms.RadioSelect)
    head_count = forms.IntegerField(label=_("出席する人数"), required=False, min_value=1, max_value=99)
    note = forms.CharField(label=_("ひとこと（任意）"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, circular, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = answer_choices(circular)
        self.fields["answer"].label = circular.question_text or _("回答")
        if circular.question != Question.ATTENDANCE:
            del self.fields["head_count"]
        if circular.is_safety:
            self.fields["answer"].label = _("いまの状況")
            self.fields["note"].label = _("ひとこと（任意：必要な支援など）")


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=_("参加コード"), max_length=20,
                           help_text=_("役員から受け取った10文字のコード（大文字・小文字、ハイフンは区別しません）"))


class AssociationSearchForm(forms.Form):
    """How a resident finds the association to ask to join (selectors.associations_find)."""

    district = forms.ModelChoiceField(label=_("地区"), queryset=None, required=False, empty_label=_("すべての地区"))
    q = forms.CharField(label=_("町内会名（ひらがなでも探せます）"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "find-%s")  # beside the request form on one page
        super().__init__(*args, **kwargs)
        from asahikawa.accounts.models import District

        self.fields["district"].queryset = District.objects.order_by("code")


class JoinRequestForm(forms.Form):
    association = forms.ModelChoiceField(label=_("町内会"), queryset=None)
    household_name = forms.CharField(label=_("世帯の表示名"), max_length=64, help_text=_("例：佐藤（名簿に表示されます）"))
    address = forms.CharField(label=_("住所（番地など）"), max_length=128)
    message = forms.CharField(label=_("役員へのひとこと（任意）"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, associations=None, **kwargs):
        """`associations`: the ones to offer (a search's result); any association is accepted."""
        super().__init__(*args, **kwargs)
        from asahikawa.accounts.models import Association

        field = self.fields["association"]
        field.queryset = Association.objects.all()
        if associations is not None:
            field.choices = [("", field.empty_label),
                             *((association.pk, f"{association.name}（{association.district}）") for association in associations)]
            if len(associations) == 1:
                self.initial.setdefault("association", associations[0].pk)  # the one the search found


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("判断"), choices=[("approve", _("承認する")), ("decline", _("見送る"))],
                                 widget=forms.RadioSelect, initial="approve")
    household = forms.ModelChoiceField(label=_("既存の世帯に加える"), queryset=Household.objects.none(), required=False,
                                       help_text=_("家族がすでに会員のときに選びます。"))
    group = forms.ModelChoiceField(label=_("新しい世帯の班"), queryset=Group.objects.none(), required=False)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(association=association, left_at=None)
        self.fields["group"].queryset = Group.objects.filter(association=association)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("班の名前"), max_length=64)


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("名簿の表示名"), max_length=64, help_text=_("例：佐藤"))
    address = forms.CharField(label=_("住所（番地など）"), max_length=128, required=False)
    group = forms.ModelChoiceField(label=_("班"), queryset=Group.objects.none())
    paper_only = forms.BooleanField(label=_("紙で回覧する（アカウントなし）"), required=False)

    def __init__(self, *args, association, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups if groups is not None else Group.objects.filter(association=association)


class PostForm(forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=120)
    body = forms.CharField(label=_("本文"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("コメント"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)
