"""Forms of the notifications app."""

from typing import Any

from django import forms

from entraide.notifications.registry import Preferences


class NotificationModeForm(forms.Form):
    """How a recipient wants to hear from us; the choices come from the app that keeps them."""

    mode = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, preferences: Preferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        mode.label = preferences.label
        mode.choices = list(preferences.choices())
