from django import forms


class WebhookSecretForm(forms.Form):
    community = forms.ModelChoiceField(queryset=None)
    secret = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        help_text=(
            "Paste the signing secret your shop shows (Shopify, WooCommerce), or leave empty to "
            "generate one. It is shown once; the previous secret stops working at once."
        ),
        widget=forms.PasswordInput(render_value=False),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
