from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User

USERNAME_TAKEN = "That username is already taken."


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional. Never shown to other members.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN)
        return username
