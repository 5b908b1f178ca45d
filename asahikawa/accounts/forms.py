from allauth.account.forms import SignupForm
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Profile


class SignupConsentForm(SignupForm):
    """allauth's sign-up form, plus explicit consent to the privacy policy (asked last)."""

    privacy_consent = forms.BooleanField(
        label=_("個人情報の取扱い（プライバシーポリシー）に同意します"),
        help_text=format_lazy(
            "{} /privacy/", _("取扱いの内容は「個人情報の取扱い」のページに掲載しています：")
        ),
        required=True,
        error_messages={"required": _("登録するには、個人情報の取扱いへの同意が必要です。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"] = self.fields.pop("privacy_consent")  # after the passwords
        self.fields["password2"].label = _("パスワード（確認のためもう一度）")
        # The label above each field says what to type; a placeholder would vanish on typing.
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def custom_signup(self, request, user):
        Profile.objects.update_or_create(user=user, defaults={"privacy_consent_at": timezone.now()})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "district", "association", "birth_year", "language"]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("確認のためパスワードを入力してください"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("パスワードが正しくありません。"))
        return password
