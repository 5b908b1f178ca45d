"""Forms of the notices. The rules live in services; refused calls put their field errors back on the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asahikawa.accounts.models import Association, District
from asahikawa.uploads import validate_document

from .models import AGE_BANDS, age_band_label


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def validate_image(upload):
    if validate_document(upload) not in ("image/jpeg", "image/png"):
        raise ValidationError(_("画像はJPEGかPNGにしてください。"), code="type")


class NoticeForm(forms.Form):
    category = forms.ChoiceField(label=_("分類"))
    title = forms.CharField(label=_("件名"), max_length=120)
    body = forms.CharField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown が使えます（見出し・箇条書き・リンク・太字）。HTMLは使えません。"),
    )
    easy_title = forms.CharField(label=_("件名（やさしい日本語）"), max_length=120, required=False)
    easy_body = forms.CharField(
        label=_("本文（やさしい日本語）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("短い文で、むずかしい言葉を使わずに書きます。同じ時に公開されます。"),
    )
    title_en = forms.CharField(label=_("件名（英語）"), max_length=120, required=False)
    body_en = forms.CharField(label=_("本文（英語）"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    image = forms.FileField(
        label=_("画像"),
        required=False,
        validators=[validate_image],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG・PNG、10MBまで。"),
    )
    image_alt = forms.CharField(label=_("画像の説明（代替テキスト）"), max_length=200, required=False)
    link = forms.URLField(label=_("関連リンク"), required=False, assume_scheme="https")
    urgent = forms.BooleanField(label=_("緊急（最初に表示・ホームに掲示・すぐにメール）"), required=False)
    public = forms.BooleanField(label=_("ログインしていない人にも公開する"), required=False)
    everyone = forms.BooleanField(label=_("全市民に配信する"), required=False)
    districts = forms.ModelMultipleChoiceField(
        label=_("地区"), queryset=District.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    age_bands = forms.TypedMultipleChoiceField(
        label=_("年代"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    associations = forms.ModelMultipleChoiceField(
        label=_("町内会"),
        queryset=Association.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    publish_at = forms.DateTimeField(
        label=_("公開日時"), required=False, widget=DateTimeLocalInput, help_text=_("空欄なら今すぐ配信します。")
    )
    expires_at = forms.DateTimeField(label=_("掲載終了日時"), required=False, widget=DateTimeLocalInput)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.value, c.label) for c in categories]
        self.fields["age_bands"].choices = [(band, age_band_label(band)) for band in AGE_BANDS]

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", _("画像の説明を入力してください（読み上げに使います）。"))
        return data


class ReadingForm(forms.Form):
    word = forms.CharField(label=_("語"), max_length=32)
    reading = forms.RegexField(
        label=_("読み（ひらがな）"),
        max_length=64,
        regex=r"^[\u3041-\u309fー]+$",
        error_messages={"invalid": _("ひらがなで入力してください。")},
    )


class ReaderForm(forms.Form):
    easy = forms.BooleanField(label=_("やさしい日本語で読む"), required=False)
    furigana = forms.BooleanField(label=_("ふりがなをつける"), required=False)
