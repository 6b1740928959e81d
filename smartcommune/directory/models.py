import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .choices import COMMUNE_LEVEL_KINDS, OrganisationKind, OrgUnitKind, Position, Sex, UserKind
from .permissions import PERMISSIONS
from .validators import (
    mask_id_number,
    validate_org_unit_code,
    validate_personal_id,
    validate_phone,
    validate_tax_code,
)


class OrgUnit(MP_Node):
    """An organisational unit (đơn vị): the province, a commune or ward, a village or hamlet
    (thôn, bản, tổ dân phố), a province department or a public administration service centre.

    Tenancy and scoping follow this tree: a grant on a unit may cover its subtree. Units are
    deactivated, never deleted, because dossiers, documents and the audit trail point at them.
    """

    code = models.CharField(
        _("electronic identifier"), max_length=20, unique=True, validators=[validate_org_unit_code]
    )
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # No node_order_by: sorted inserts would renumber siblings' paths, and paths name audit chains.

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")

    def __str__(self):
        return self.name

    @property
    def is_commune_level(self) -> bool:
        return self.kind in COMMUNE_LEVEL_KINDS

    @property
    def province_path(self) -> str:
        return self.path[: self.steplen]

    @property
    def audit_chain_key(self) -> str:
        # One audit chain per commune-level subtree (depth 2); the province and its own units share one.
        return "u:" + self.path[: self.steplen * 2] if self.depth >= 2 else "province"

    def subtree_q(self, field: str = "") -> Q:
        """Q matching this unit and everything below it, on `<field>__path`."""
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}path__startswith": self.path})


class UserManager(DjangoUserManager):
    def officials(self):
        return self.filter(kind=UserKind.OFFICIAL)

    def citizens(self):
        return self.filter(kind=UserKind.CITIZEN)


class User(AbstractUser):
    """A person who signs in: an official (cán bộ, công chức), a citizen, or a system account.

    Citizens sign in with their 12-digit personal identification number as username. Vietnamese
    names are not split into first and last names: `full_name` holds the whole name.
    """

    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=UserKind.choices, default=UserKind.OFFICIAL)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return (self.full_name or self.username).split(" ")[-1]

    @property
    def is_official(self) -> bool:
        return self.kind == UserKind.OFFICIAL

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN


class Official(models.Model):
    """The civil-service side of an official's account (cán bộ, công chức): position and title.

    Where the official works is `Membership`; what they may do is `RoleGrant`.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="official")
    position = models.CharField(
        _("position"), max_length=30, choices=Position.choices, default=Position.OTHER
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    staff_code = models.CharField(_("staff code"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self):
        return str(self.user)


class Membership(models.Model):
    """An official belongs to a unit (biên chế / công tác tại). One membership is primary."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="memberships")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="memberships")
    is_primary = models.BooleanField(_("primary"), default=True)
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["official", "org_unit"], name="membership_official_unit_unique"),
            models.UniqueConstraint(
                fields=["official"], condition=Q(is_primary=True), name="membership_one_primary"
            ),
        ]

    def __str__(self):
        return f"{self.official} @ {self.org_unit}"


class Role(models.Model):
    """A named bundle of permissions (vai trò), e.g. one-stop officer or commune leader.

    Roles are data (a province may add its own); permission codes are checked in code and listed
    in `directory.permissions.PERMISSIONS`. System roles are seeded and cannot be deleted.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list)
    is_system = models.BooleanField(_("system role"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name

    def clean(self):
        unknown = sorted(set(self.permissions or []) - set(PERMISSIONS))
        if unknown:
            raise ValidationError({"permissions": _("Unknown permission codes: %s") % ", ".join(unknown)})


class RoleGrant(models.Model):
    """A role granted to a user on an org unit, with or without the unit's subtree (phân quyền)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="grants")
    include_subtree = models.BooleanField(_("includes sub-units"), default=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "org_unit"], name="rolegrant_user_role_unit_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.role} @ {self.org_unit}"


class Citizen(models.Model):
    """A person as an applicant and data subject (công dân), identified by the 12-digit personal
    identification number (số định danh cá nhân). May exist without an account (counter intake);
    `user` links the account once they sign up or sign in through VNeID.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    personal_id = models.CharField(
        _("personal identification number"), max_length=12, unique=True, validators=[validate_personal_id]
    )
    full_name = models.CharField(_("full name"), max_length=150)
    full_name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    home_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("village or residential group"),
    )
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="citizen"
    )
    identity_verified = models.BooleanField(_("identity verified (VNeID)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        constraints = [
            models.CheckConstraint(
                condition=Q(personal_id__regex=r"^[0-9]{12}$"), name="citizen_personal_id_12_digits"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def masked_personal_id(self) -> str:
        """For lists and logs: only the last four digits are shown."""
        return mask_id_number(self.personal_id)


class Organisation(models.Model):
    """An organisation or business as applicant (tổ chức, doanh nghiệp, hộ kinh doanh)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=250)
    name_folded = models.CharField(max_length=250, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    tax_code = models.CharField(
        _("tax code / enterprise code"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_tax_code],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    home_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    representative = models.ForeignKey(
        Citizen,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_organisations",
        verbose_name=_("legal representative"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A personal API token for an integration (e.g. the national portal sync).

    Only a SHA-256 of the secret is stored; the full token is shown once, when created.
    A revoked or expired token authenticates nothing.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ExternalIdentity(models.Model):
    """An account at an external OpenID Connect provider (VNeID through the national portal's
    sign-in) linked to a citizen's account. The 12-digit personal number is the natural key that
    links them; (issuer, subject) is how the provider names the person (DOMAIN.md §10.1)."""

    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_identity_issuer_subject_unique"
            )
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"


class SignUpRequest(models.Model):
    """A citizen's own sign-up, waiting for the code sent to their phone or e-mail (đăng ký tài
    khoản). The account exists only once the code is confirmed; the code is stored hashed, tried
    at most a few times, and expires."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    personal_id = models.CharField(max_length=12, db_index=True)
    full_name = models.CharField(max_length=150)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    password_hash = models.CharField(max_length=256)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"sign-up {mask_id_number(self.personal_id)}"
