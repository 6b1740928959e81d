"""Portal forms: parse and check what a citizen sends; the services decide."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from smartcommune.catalog.models import Field
from smartcommune.directory.validators import validate_phone
from smartcommune.dossiers.models import ConsentMethod, Feedback, OnBehalf

from .selectors import life_event_choices, receiving_units

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9.]{5,20}-\d{6}-[A-Za-z0-9]{4,}$", _("A dossier code looks like 000.01.00.H18-260813-0007.")
)


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Search procedures"), max_length=100, required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    event = forms.ChoiceField(label=_("Life event"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [
            (f.code, f.name) for f in Field.objects.order_by("name")
        ]
        self.fields["event"].choices = [("", _("All life events")), *life_event_choices()]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "field": "", "life_event": ""}
        data = self.cleaned_data
        return {"q": data["q"], "field": data["field"], "life_event": data["event"]}


class UnechoedInput(forms.TextInput):
    """A text input that never sends back what was typed (a phone or ID digits are personal data)."""

    def format_value(self, value):
        return None


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code (mã hồ sơ)"),
        max_length=40,
        validators=[CODE_VALIDATOR],
        help_text=_("It is printed on your receipt, under the QR code."),
    )
    factor = forms.CharField(
        label=_("Your phone number, or the last 4 digits of your identification number"),
        max_length=20,
        widget=UnechoedInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_factor(self):
        value = self.cleaned_data["factor"].strip()
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) < 4 or any(not (ch.isdigit() or ch in " +-.()") for ch in value):
            raise forms.ValidationError(_("Enter a phone number or 4 digits."))
        return value


class DraftForm(forms.Form):
    """Office and note of a draft; file inputs are added per component of the procedure."""

    org_unit = forms.ModelChoiceField(
        label=_("Commune or ward that will handle it"), queryset=receiving_units()
    )
    note = forms.CharField(
        label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, components=(), repository=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = receiving_units()
        self.components = list(components)
        self.repository = {str(f.public_id): f for f in repository}
        earlier = [("", _("— none —"))] + [
            (key, f"{f.original_name} ({f.dossier.code}, {f.uploaded_at:%d/%m/%Y})")
            for key, f in self.repository.items()
        ]
        for component in self.components:
            self.fields[f"file_{component.pk}"] = forms.FileField(
                label=component.name,
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,application/pdf", "data-component": component.pk}
                ),
            )
            if self.repository:
                self.fields[f"reuse_{component.pk}"] = forms.ChoiceField(
                    label=_("Or use a paper from one of your earlier dossiers"),
                    choices=earlier,
                    required=False,
                )

    def uploads(self, files) -> dict:
        return {c: files.getlist(f"file_{c.pk}") for c in self.components if files.getlist(f"file_{c.pk}")}

    def reused(self) -> dict:
        """Earlier files chosen per component (only the citizen's own can be chosen)."""
        chosen = {}
        for c in self.components:
            key = self.cleaned_data.get(f"reuse_{c.pk}")
            if key:
                chosen[c] = [self.repository[key]]
        return chosen


class SupplementForm(forms.Form):
    files = forms.FileField(
        label=_("What you were asked to add (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the service?"),
        choices=[("yes", _("Satisfied (hài lòng)")), ("no", _("Not satisfied (không hài lòng)"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why? (needed if you are not satisfied)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What happened?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignUpForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Personal identification number (số định danh cá nhân)"),
        min_length=12,
        max_length=12,
        help_text=_("The 12 digits on your chip-based citizen identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("We send a code to your phone, or to your e-mail if you give no phone."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Give a phone number or an e-mail address for the code."))
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class SignUpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we sent you"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class OnBehalfForm(forms.Form):
    """Who the dossier is for, and the applicant's consent (personal-data law: consent recorded)."""

    personal_id = forms.CharField(
        label=_("The applicant's personal identification number"),
        min_length=12,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("The applicant's full name"), max_length=150)
    date_of_birth = forms.DateField(
        label=_("The applicant's date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(
        label=_("The applicant's phone number (for news about the dossier)"), max_length=20, required=False
    )
    relation = forms.ChoiceField(label=_("You are"), choices=OnBehalf.choices, widget=forms.RadioSelect)
    consent_method = forms.ChoiceField(
        label=_("How did the applicant agree?"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_(
            "I confirm that the applicant agreed that I send this dossier, with their personal data, for them."
        )
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_phone(phone)
        return phone
