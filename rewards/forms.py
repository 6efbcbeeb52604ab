import uuid

from django import forms


class RedeemForm(forms.Form):
    """One form per reward shown; its token makes a double click redeem once."""

    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    shipping_note = forms.CharField(
        required=False,
        max_length=500,
        label="Shipping address and notes",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Reason for cancelling")
