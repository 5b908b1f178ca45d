from django import forms

from asahikawa.areas import notification_kinds

from .models import Channel
from .services import channels_for


class PreferencesForm(forms.Form):
    """One choice per kind; reminder kinds also offer 'off' (their default: reminders are opt-in)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for code, kind in notification_kinds().items():
            choices = [(c.value, c.label) for c in Channel if kind.reminder or c != Channel.OFF]
            self.fields[code] = forms.ChoiceField(label=kind.label, choices=choices, widget=forms.RadioSelect)
            self.initial[code] = channels_for(user_ids=[user.pk], kind=code)[user.pk]
