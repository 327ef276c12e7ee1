from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from accounts import throttle
from accounts.enums import EmailFrequency


class SignupForm(forms.Form):
    """Shape checks only; accounts.services.user_signup applies the password validators and uniqueness."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        # A lazy string (django.utils.functional.lazy): the list is made when shown, in the request's language.
        help_text=password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", forms.ValidationError(_("The two passwords differ."), code="mismatch"))
        return cleaned


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ApiTokenForm(forms.Form):
    """A name for a new API token, so that its owner can tell tokens apart when revoking one."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        required=False,
        help_text=_("For example the script or computer that will use it."),
    )


class SettingsForm(forms.Form):
    """The user's own settings; accounts.services.user_settings_update checks the choices again."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    language = forms.ChoiceField(
        label=_("Language of e-mails"), choices=settings.LANGUAGES, help_text=_("Pages follow the language you pick.")
    )
    email_frequency = forms.ChoiceField(
        label=_("Notification e-mails"), choices=EmailFrequency.choices, widget=forms.RadioSelect
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; an address gets at most one reset mail per MAIL_ADDRESS_INTERVAL_SECONDS."""

    def get_users(self, email):
        if not throttle.mail_address_take(address=email):
            return iter(())
        return super().get_users(email)
