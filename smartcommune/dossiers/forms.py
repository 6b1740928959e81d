"""Forms of the one-stop screens: intake at the counter, the actions on a dossier, the list filters.

They parse and check input only; the services decide. Every form works as a plain HTML form.
"""

import uuid
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.catalog.choices import ApplicantType, FeeKind
from smartcommune.catalog.models import Procedure
from smartcommune.catalog.selectors import procedure_options
from smartcommune.core.text import normalize
from smartcommune.core.widgets import (
    PlainHiddenInput,
    PlainInputMixin,
    PlainSelect,
    PlainTextarea,
    PlainTextInput,
    PlainTimeInput,
)
from smartcommune.directory import permissions as perms
from smartcommune.directory.choices import SETTLEMENT_KINDS, OrganisationKind
from smartcommune.directory.models import Organisation, OrgUnit, User
from smartcommune.directory.policies import citizen_for_reception, unit_scope_q
from smartcommune.directory.validators import (
    normalize_phone,
    parse_personal_id,
    validate_personal_id_matches_birth,
    validate_phone,
    validate_tax_code,
)
from smartcommune.workdays.engine import VN_TZ

from .choices import Channel, DossierStatus, DueState, ReturnMethod
from .files import DEFAULT_ACCEPTED, MAX_FILE_BYTES
from .selectors import DossierFilters
from .services.intake import ComponentIn, FeeIn
from .workflow import Action

MAX_FILES_PER_FIELD = 30
MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)
TEXT_MAX = 4000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a scanned component is often a few images)."""

    def __init__(self, *args, accept: str = "", **kwargs):
        attrs = {"accept": accept} if accept else {}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        items = [item for item in items if item]
        if len(items) > MAX_FILES_PER_FIELD:
            raise ValidationError(
                _("At most %(count)d files at once."),
                code="too_many_files",
                params={"count": MAX_FILES_PER_FIELD},
            )
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items]
        for upload in cleaned:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(_("The file is larger than 20 MB."), code="file_too_large")
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PlainDateInput(PlainInputMixin, DateInput):
    """DateInput drawn in Python (core.widgets)."""


def accept_attr(types) -> str:
    return ",".join(f".{t}" for t in (types or DEFAULT_ACCEPTED))


def _text(label, *, required=True, rows=3, max_length=TEXT_MAX, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=PlainTextarea(attrs={"rows": rows}),
    )


def _count_field(label, initial):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=99,
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count-input"}),
    )


# --- intake at the counter -------------------------------------------------------------------------

INTENT_RECEIVE, INTENT_PREVIEW, INTENT_SUPPLEMENT, INTENT_REFUSE = (
    "receive",
    "preview",
    "supplement",
    "refuse",
)
INTENTS = (INTENT_RECEIVE, INTENT_PREVIEW, INTENT_SUPPLEMENT, INTENT_REFUSE)
COUNTER_CHANNELS = [
    (Channel.IN_PERSON.value, Channel.IN_PERSON.label),
    (Channel.POST.value, Channel.POST.label),
]


class ProcedurePickForm(forms.Form):
    """The plain select of every procedure: the fallback when searching is not wanted."""

    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a procedure"),
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} — {p.name}"


class IntakeForm(forms.Form):
    """Reception of one procedure's dossier: applicant, components handed in, fees, payment.

    The same form issues the slips given instead of receiving: Form 02 (what is missing) and
    Form 03 (refusal, with reasons); the submit button's `intent` says which.
    """

    client_token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    # One of the officer's receiving units, which the view has loaded: chosen among them by id.
    org_unit = forms.TypedChoiceField(label=_("Receiving unit"), coerce=int)
    applicant_kind = forms.ChoiceField(
        label=_("The applicant is"),
        choices=[(ApplicantType.CITIZEN, _("A citizen")), (ApplicantType.ORGANISATION, _("An organisation"))],
        initial=ApplicantType.CITIZEN,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    personal_id = forms.CharField(
        label=_("Personal identification number"),
        max_length=12,
        required=False,
        help_text=_("12 digits, from the citizen's ID card. A citizen already recorded is found by it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{12}"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    home_unit = forms.ModelChoiceField(
        label=_("Village or residential group"), queryset=OrgUnit.objects.none(), required=False
    )
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=14,
        required=False,
        help_text=_("An organisation already recorded is found by it."),
    )
    org_name = forms.CharField(label=_("Name of the organisation"), max_length=250, required=False)
    org_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=[("", "—"), *OrganisationKind.choices], required=False
    )
    org_address = forms.CharField(label=_("Address of the organisation"), max_length=300, required=False)
    submitted_by_name = forms.CharField(
        label=_("Submitted on behalf of the applicant by"),
        max_length=150,
        required=False,
        help_text=_("Leave empty when the applicant came in person."),
    )
    channel = forms.TypedChoiceField(
        label=_("How the dossier came in"),
        coerce=int,
        choices=COUNTER_CHANNELS,
        initial=Channel.IN_PERSON.value,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    needs_verification = forms.BooleanField(
        label=_("The matter needs verification (the time limit is extended)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    pages = forms.IntegerField(
        label=_("Pages of the original"),
        min_value=0,
        max_value=100_000,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count-input"}),
    )
    copies = forms.IntegerField(
        label=_("Copies"),
        min_value=0,
        max_value=100_000,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count-input"}),
    )
    cases = forms.IntegerField(
        label=_("Cases"),
        min_value=0,
        max_value=100_000,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count-input"}),
    )
    exemption = forms.ChoiceField(label=_("Fee exemption"), required=False)
    cash_receipt_number = forms.CharField(
        label=_("Cash receipt number"),
        max_length=60,
        required=False,
        help_text=_("When the fee is paid now. Without it the dossier waits for payment."),
    )
    notice_items = _text(
        _("What the applicant must add or correct"),
        required=False,
        rows=4,
        help_text=_("One item a line. Guide fully, once."),
    )
    notice_reason = _text(_("Reason"), required=False, rows=2)
    refusal_reason = _text(_("Reasons for refusing"), required=False, rows=3)

    def __init__(self, *args, procedure, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure, self.user = procedure, user
        self.citizen = self.organisation = None
        self.fields["client_token"].initial = uuid.uuid4().hex
        self.units = sorted(units, key=lambda u: u.path)
        unit_field = self.fields["org_unit"]
        unit_field.choices = [(u.pk, u.name) for u in self.units]
        if len(units) == 1:
            unit_field.initial, unit_field.required = units[0].pk, False
            unit_field.widget = forms.HiddenInput()
        self.single_unit = units[0] if len(units) == 1 else None
        home = self.fields["home_unit"]
        below = Q(pk__in=[])
        for unit in units:
            below |= Q(path__startswith=unit.path)
        home.queryset = OrgUnit.objects.filter(below, is_active=True, kind__in=SETTLEMENT_KINDS).order_by(
            "path"
        )
        home.label_from_instance = lambda u: u.name
        home.empty_label = _("The receiving unit itself")

        kinds = set(procedure.applicant_types or [ApplicantType.CITIZEN])
        self.applicant_kinds = kinds
        if len(kinds) == 1:
            self.fields["applicant_kind"].initial = next(iter(kinds))
            self.fields["applicant_kind"].widget = forms.HiddenInput()

        if not procedure.verification_extension_days:
            del self.fields["needs_verification"]
        rule_kinds = {r.kind for r in procedure.fee_rules.all()}
        self.has_fees = bool(rule_kinds)
        if FeeKind.PER_PAGE not in rule_kinds:
            del self.fields["pages"]
            del self.fields["copies"]
        if FeeKind.PER_CASE not in rule_kinds:
            del self.fields["cases"]
        for name in ("pages", "copies", "cases"):
            if name in self.fields:
                self.fields[name].required = True  # asked for only when a fee is counted on it
        exemptions = list(procedure.fee_exemptions.all())
        if exemptions:
            self.fields["exemption"].choices = [
                ("", _("No exemption")),
                *[(e.code, e.reason) for e in exemptions],
            ]
        else:
            del self.fields["exemption"]
        if not self.has_fees:
            del self.fields["cash_receipt_number"]

        self.components = list(procedure.components.all())
        for component in self.components:
            prefix = f"c{component.pk}"
            self.fields[f"{prefix}_given"] = forms.BooleanField(
                label=_("Handed in"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{prefix}_originals"] = _count_field(_("Originals"), component.originals)
            self.fields[f"{prefix}_copies"] = _count_field(_("Copies"), component.copies)
            self.fields[f"{prefix}_files"] = MultipleFileField(
                label=_("Scans"), accept=accept_attr(component.accepted_types)
            )

    # --- what the template needs --------------------------------------------------------------------

    @property
    def intent(self) -> str:
        value = self.data.get("intent", INTENT_RECEIVE) if self.is_bound else INTENT_RECEIVE
        return value if value in INTENTS else INTENT_RECEIVE

    def component_rows(self) -> list[dict]:
        return [
            {
                "component": c,
                "given": self[f"c{c.pk}_given"],
                "originals": self[f"c{c.pk}_originals"],
                "copies": self[f"c{c.pk}_copies"],
                "files": self[f"c{c.pk}_files"],
                "accepted": ", ".join(c.accepted_types or DEFAULT_ACCEPTED),
            }
            for c in self.components
        ]

    def fee_field_names(self) -> list[str]:
        return [n for n in ("pages", "copies", "cases", "exemption") if n in self.fields]

    # --- cleaning ------------------------------------------------------------------------------------

    def clean_org_unit(self) -> OrgUnit | None:
        pk = self.cleaned_data.get("org_unit")
        return next((u for u in self.units if u.pk == pk), None)

    def clean_personal_id(self):
        value = (self.cleaned_data.get("personal_id") or "").strip()
        if value:
            parse_personal_id(value)
        return value

    def clean_tax_code(self):
        value = (self.cleaned_data.get("tax_code") or "").strip()
        if value:
            validate_tax_code(value)
        return value

    def clean_phone(self):
        value = normalize_phone(self.cleaned_data.get("phone") or "")
        if value:
            validate_phone(value)
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and not date(1900, 1, 1) <= value <= timezone.localdate():
            raise ValidationError(_("Enter a date of birth between 1900 and today."), code="birth_range")
        return value

    def clean(self):
        cleaned = super().clean()
        intent = self.intent
        if intent == INTENT_PREVIEW:
            return cleaned
        kind = cleaned.get("applicant_kind") or ApplicantType.CITIZEN
        if kind not in self.applicant_kinds:
            self.add_error("applicant_kind", _("This procedure is not for this kind of applicant."))
            return cleaned
        if kind == ApplicantType.CITIZEN:
            self._clean_citizen(cleaned, creating=intent == INTENT_RECEIVE)
        else:
            self._clean_organisation(cleaned, creating=intent == INTENT_RECEIVE)
        if intent == INTENT_SUPPLEMENT:
            for name in ("notice_items", "notice_reason"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("Fill this in for the slip."))
        elif intent == INTENT_REFUSE and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("State the reasons for refusing."))
        return cleaned

    def _clean_citizen(self, cleaned, *, creating: bool) -> None:
        personal_id = cleaned.get("personal_id")
        if "personal_id" in self.errors:
            return
        if not personal_id:
            if creating or not (cleaned.get("full_name") or "").strip():
                self.add_error("personal_id", _("Enter the applicant's 12-digit identification number."))
            return
        self.citizen = citizen_for_reception(user=self.user, personal_id=personal_id)
        if self.citizen is not None:
            return
        if not (cleaned.get("full_name") or "").strip():
            self.add_error(
                "full_name",
                _(
                    "No citizen with this number is recorded in the province: enter the full name to record them."
                ),
            )
            return
        if cleaned.get("date_of_birth"):
            try:
                validate_personal_id_matches_birth(personal_id, cleaned["date_of_birth"])
            except ValidationError as exc:
                self.add_error("date_of_birth", exc)

    def _clean_organisation(self, cleaned, *, creating: bool) -> None:
        tax_code = cleaned.get("tax_code")
        if "tax_code" in self.errors:
            return
        if tax_code:
            scope = unit_scope_q(self.user, perms.CITIZEN_VIEW, field="home_unit")
            self.organisation = Organisation.objects.filter(scope, tax_code=tax_code).first()
            if self.organisation is not None:
                return
        if not (cleaned.get("org_name") or "").strip():
            self.add_error("org_name", _("Enter the organisation's name (or a tax code already recorded)."))
        elif creating and not cleaned.get("org_kind"):
            self.add_error("org_kind", _("Choose the kind of organisation."))

    # --- what the view passes on to the services --------------------------------------------------------

    @property
    def receiving_unit(self) -> OrgUnit:
        return self.cleaned_data.get("org_unit") or self.single_unit

    @property
    def applicant_is_organisation(self) -> bool:
        return self.cleaned_data.get("applicant_kind") == ApplicantType.ORGANISATION

    def new_citizen_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "personal_id": data["personal_id"],
            "full_name": data["full_name"],
            "date_of_birth": data.get("date_of_birth"),
            "phone": data.get("phone") or "",
            "address": data.get("address") or "",
            "home_unit": data.get("home_unit") or self.receiving_unit,
        }

    def new_organisation_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["org_name"],
            "kind": data["org_kind"],
            "tax_code": data.get("tax_code") or None,
            "address": data.get("org_address") or "",
            "home_unit": self.receiving_unit,
        }

    def component_inputs(self) -> list[ComponentIn]:
        data, given = self.cleaned_data, []
        for c in self.components:
            files = data.get(f"c{c.pk}_files") or []
            handed_in = data.get(f"c{c.pk}_given") or bool(files)
            given.append(
                ComponentIn(
                    c,
                    originals=(data.get(f"c{c.pk}_originals") or 0) if handed_in else 0,
                    copies=(data.get(f"c{c.pk}_copies") or 0) if handed_in else 0,
                    files=files,
                )
            )
        return given

    def fee_inputs(self) -> FeeIn:
        data = self.cleaned_data
        return FeeIn(
            pages=data.get("pages") or 0,
            copies=data.get("copies") if data.get("copies") is not None else 1,
            cases=data.get("cases") if data.get("cases") is not None else 1,
            exemption_code=data.get("exemption") or None,
        )

    def applicant_snapshot(self) -> dict:
        """Who the slip (Form 02 or 03) is addressed to."""
        data = self.cleaned_data
        if self.citizen is not None:
            c = self.citizen
            return {
                "applicant_name": c.full_name,
                "applicant_id_number": c.personal_id,
                "applicant_phone": c.phone,
                "applicant_address": c.address,
            }
        if self.organisation is not None:
            o = self.organisation
            return {
                "applicant_name": o.name,
                "applicant_id_number": o.tax_code or "",
                "applicant_phone": o.phone,
                "applicant_address": o.address,
            }
        if self.applicant_is_organisation:
            return {
                "applicant_name": data.get("org_name") or "",
                "applicant_id_number": data.get("tax_code") or "",
                "applicant_address": data.get("org_address") or "",
            }
        return {
            "applicant_name": normalize(data.get("full_name") or ""),
            "applicant_id_number": data.get("personal_id") or "",
            "applicant_phone": data.get("phone") or "",
            "applicant_address": data.get("address") or "",
        }


# --- actions on a dossier ------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action carries the version the officer saw: an older one is a conflict."""

    version = forms.IntegerField(widget=PlainHiddenInput, min_value=1)

    def __init__(self, *args, dossier, moves=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.fields["version"].initial = dossier.version


class ForwardForm(ActionForm):
    assignee = forms.ModelChoiceField(
        label=_("Forward to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Whoever's turn it is"),
        widget=PlainSelect,
    )
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args, moves=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = moves.candidates if moves else []
        assignee = self.fields["assignee"]
        # A posted choice is checked against the database; the options are drawn from the people
        # step_moves loaded already (a ModelChoiceField would query them again to draw them).
        assignee.queryset = User.objects.filter(pk__in=[u.pk for u in candidates])
        assignee.choices = [("", assignee.empty_label)] + [
            (u.pk, u.full_name or u.username) for u in candidates
        ]
        if moves and moves.next_name:
            self.fields["assignee"].help_text = _("Next step: %(step)s") % {"step": moves.next_name}


class SendBackForm(ActionForm):
    reason = _text(_("Why it goes back"))


class RequestSupplementForm(ActionForm):
    items = _text(_("What the applicant must add or correct"), rows=3, help_text=_("One item a line."))
    reason = _text(_("Reason"), rows=2)


class SupplementForm(ActionForm):
    files = MultipleFileField(label=_("Scans of the supplements"), accept=accept_attr(DEFAULT_ACCEPTED))
    note = _text(_("Note"), required=False, rows=2)


class ApproveForm(ActionForm):
    note = _text(_("Note"), required=False, rows=2)


class RefuseForm(ActionForm):
    reason = _text(_("Reasons (they are sent to the applicant)"))


class RecordResultForm(ActionForm):
    result_file = forms.FileField(
        label=_("The signed result (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier.procedure.result_kind == "document":
            self.fields["result_file"].required = True


class SignResultForm(ActionForm):
    """The approving leader signs the e-result: the document and a fresh TOTP code."""

    result_file = forms.FileField(
        label=_("The result document to sign (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        help_text=_(
            "Your digital signature is applied, then the agency's seal; the signed file joins the dossier."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReturnResultForm(ActionForm):
    method = forms.ChoiceField(
        label=_("How the result was handed over"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.COUNTER,
        widget=forms.RadioSelect,
    )


class ConfirmReceiptForm(ActionForm):
    pass


class WithdrawForm(ActionForm):
    reason = _text(_("The applicant's reason"), rows=2)


class ApologizeForm(ActionForm):
    reason = _text(_("Reason for the delay"))
    new_date = forms.DateField(label=_("New appointment: day"), widget=PlainDateInput)
    new_time = forms.TimeField(
        label=_("New appointment: time"),
        initial=time(16, 0),
        widget=PlainTimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        cleaned = super().clean()
        day, clock = cleaned.get("new_date"), cleaned.get("new_time")
        if day and not MIN_DATE <= day <= MAX_DATE:
            self.add_error("new_date", _("Enter a date between 2000 and 2100."))
        elif day and clock:
            cleaned["new_due_at"] = datetime.combine(day, clock, tzinfo=VN_TZ)
        return cleaned


class PayForm(ActionForm):
    receipt_number = forms.CharField(label=_("Cash receipt number"), max_length=60)


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.PAY: PayForm,
    Action.FORWARD: ForwardForm,
    Action.SEND_BACK: SendBackForm,
    Action.REQUEST_SUPPLEMENT: RequestSupplementForm,
    Action.SUPPLEMENT: SupplementForm,
    Action.APPROVE: ApproveForm,
    Action.REFUSE: RefuseForm,
    Action.RECORD_RESULT: RecordResultForm,
    Action.RETURN_RESULT: ReturnResultForm,
    Action.CONFIRM_RECEIPT: ConfirmReceiptForm,
    Action.WITHDRAW: WithdrawForm,
    Action.APOLOGIZE: ApologizeForm,
}


def action_form(action: Action, *, dossier, moves=None, data=None, files=None) -> ActionForm:
    # Each action's fields carry its name as prefix: several forms share one page.
    return ACTION_FORMS[action](data, files, dossier=dossier, moves=moves, prefix=action.value)


# --- lists ---------------------------------------------------------------------------------------------

DUE_FILTERS = [
    ("", _("Any")),
    ("open", _("Open (not finished)")),
    (DueState.OVERDUE, _("Overdue")),
    (DueState.PAUSED, _("Clock paused (waiting for supplements)")),
]


class DossierFilterForm(forms.Form):
    """The filters of the unit's list (a GET form: bookmarkable, works without JavaScript)."""

    # Drawn in Python (core.widgets): this form tops every list page.
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Dossier code, applicant's name (with or without accents) or identification number"),
        widget=PlainTextInput(attrs={"type": "search"}),
    )
    procedure = forms.TypedChoiceField(
        label=_("Procedure"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Any")), *DossierStatus.choices],
        widget=PlainSelect,
    )
    channel = forms.TypedChoiceField(
        label=_("Channel"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Any")), *Channel.choices],
        widget=PlainSelect,
    )
    due_state = forms.ChoiceField(label=_("Time"), required=False, choices=DUE_FILTERS, widget=PlainSelect)
    received_from = forms.DateField(label=_("Received from"), required=False, widget=PlainDateInput)
    received_to = forms.DateField(label=_("Received until"), required=False, widget=PlainDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Any")), *procedure_options()]

    def clean(self):
        cleaned = super().clean()
        for name in ("received_from", "received_to"):
            value = cleaned.get(name)
            if value and not MIN_DATE <= value <= MAX_DATE:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date must not be before the start date."))
        return cleaned

    def to_filters(self) -> DossierFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DossierFilters(
            q=(data.get("q") or "").strip(),
            procedure_id=data.get("procedure"),
            status=data.get("status"),
            channel=data.get("channel"),
            due_state=data.get("due_state") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
        )


class LedgerForm(forms.Form):
    """The period of the ledger: the current month unless chosen."""

    # `from` is a Python keyword: the query parameters are read under these names by the view.
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        start = cleaned.get("date_from") or today.replace(day=1)
        end = cleaned.get("date_to") or today
        for name, value in (("date_from", start), ("date_to", end)):
            if not MIN_DATE <= value <= MAX_DATE:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
        if start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        elif (end - start).days > 366:
            self.add_error("date_to", _("Export at most one year at a time."))
        cleaned["date_from"], cleaned["date_to"] = start, end
        return cleaned
