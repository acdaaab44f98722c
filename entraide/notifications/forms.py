"""Forms of the notifications app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.volunteers.models import NotificationMode


class NotificationModeForm(forms.Form):
    """How a volunteer wants to hear about requests near them."""

    mode = forms.ChoiceField(
        label=_("Email me about requests near me"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
    )
