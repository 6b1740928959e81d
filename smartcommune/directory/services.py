"""Writes for org units, people, grants and API tokens. One transaction each, with its audit entry."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from smartcommune.audit.services import audit_record
from smartcommune.core.text import fold, normalize

from .choices import Position, UserKind
from .models import (
    ApiToken,
    Citizen,
    ExternalIdentity,
    Membership,
    Official,
    Organisation,
    OrgUnit,
    Role,
    RoleGrant,
    SignUpRequest,
    User,
)
from .policies import forget_grants
from .validators import normalize_phone, parse_personal_id, validate_personal_id_matches_birth


@transaction.atomic
def orgunit_create(
    *, actor, parent: OrgUnit | None, code: str, name: str, kind: str, address: str = ""
) -> OrgUnit:
    """Add a unit under `parent` (or a new root province). Caller has authorized `actor`."""
    fields = {
        "code": code.strip().upper(),
        "name": normalize(name),
        "kind": kind,
        "address": normalize(address),
    }
    fields["name_folded"] = fold(fields["name"])
    probe = OrgUnit(**fields)
    probe.full_clean(exclude=["path", "depth", "numchild"])
    unit = OrgUnit.objects.add_child(parent, fields) if parent else OrgUnit.objects.add_root(fields)
    audit_record(actor=actor, action="orgunit.created", target=unit, org_unit=unit, data={"code": unit.code})
    return unit


@transaction.atomic
def orgunit_update(*, actor, unit: OrgUnit, **changes) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    allowed = {"name", "address", "phone", "email", "is_active"}
    changed = {}
    for field, value in changes.items():
        if field not in allowed:
            raise ValueError(f"orgunit_update cannot change {field}")
        value = normalize(value) if isinstance(value, str) else value
        if getattr(unit, field) != value:
            changed[field] = value
            setattr(unit, field, value)
    if not changed:
        return unit
    unit.name_folded = fold(unit.name)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    audit_record(actor=actor, action="orgunit.updated", target=unit, org_unit=unit, data=changed)
    return unit


@transaction.atomic
def official_create(
    *,
    actor,
    username: str,
    full_name: str,
    org_unit: OrgUnit,
    position: str = Position.CIVIL_SERVANT,
    title: str = "",
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Create an official's account, profile and primary membership in `org_unit`."""
    user = User(
        username=username.strip(),
        full_name=normalize(full_name),
        email=email.strip(),
        phone=normalize_phone(phone),
        kind=UserKind.OFFICIAL,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    official = Official.objects.create(user=user, position=position, title=normalize(title))
    Membership.objects.create(official=official, org_unit=org_unit, is_primary=True)
    audit_record(
        actor=actor,
        action="official.created",
        target=user,
        org_unit=org_unit,
        data={"username": user.username, "position": position},
    )
    return user


@transaction.atomic
def role_grant(
    *, actor, user: User, role: Role, org_unit: OrgUnit, include_subtree: bool = True
) -> RoleGrant:
    """Grant `role` on `org_unit` to `user` (idempotent: an existing grant is updated)."""
    grant, created = RoleGrant.objects.select_for_update().get_or_create(
        user=user,
        role=role,
        org_unit=org_unit,
        defaults={
            "include_subtree": include_subtree,
            "granted_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if not created and grant.include_subtree == include_subtree:
        return grant
    if not created:
        grant.include_subtree = include_subtree
        grant.save(update_fields=["include_subtree"])
    forget_grants(user)
    audit_record(
        actor=actor,
        action="rolegrant.created" if created else "rolegrant.updated",
        target=grant,
        org_unit=org_unit,
        data={"user": user.username, "role": role.code, "include_subtree": include_subtree},
    )
    return grant


@transaction.atomic
def role_revoke(*, actor, grant: RoleGrant) -> None:
    grant = RoleGrant.objects.select_for_update().select_related("user", "role", "org_unit").get(pk=grant.pk)
    audit_record(
        actor=actor,
        action="rolegrant.revoked",
        target=grant,
        org_unit=grant.org_unit,
        data={"user": grant.user.username, "role": grant.role.code},
    )
    grant.delete()
    forget_grants(grant.user)


@transaction.atomic
def citizen_register(
    *,
    actor,
    personal_id: str,
    full_name: str,
    date_of_birth=None,
    phone: str = "",
    email: str = "",
    address: str = "",
    home_unit: OrgUnit | None = None,
) -> Citizen:
    """Record a citizen (at the counter, by import, or on sign-up). Raises ValidationError."""
    personal_id = (personal_id or "").strip()
    info = parse_personal_id(personal_id)
    validate_personal_id_matches_birth(personal_id, date_of_birth)
    citizen = Citizen(
        personal_id=personal_id,
        full_name=normalize(full_name),
        date_of_birth=date_of_birth,
        sex=info.sex,
        phone=normalize_phone(phone),
        email=email.strip(),
        address=normalize(address),
        home_unit=home_unit,
    )
    citizen.full_name_folded = fold(citizen.full_name)
    citizen.full_clean()
    citizen.save()
    # Personal data: the audit entry names the record, never the full identification number.
    audit_record(
        actor=actor,
        action="citizen.created",
        target=citizen,
        org_unit=home_unit,
        data={"personal_id": citizen.masked_personal_id},
    )
    return citizen


@transaction.atomic
def organisation_register(
    *,
    actor,
    name: str,
    kind: str,
    tax_code: str | None = None,
    address: str = "",
    home_unit: OrgUnit | None = None,
    representative: Citizen | None = None,
) -> Organisation:
    org = Organisation(
        name=normalize(name),
        kind=kind,
        tax_code=(tax_code or "").strip() or None,
        address=normalize(address),
        home_unit=home_unit,
        representative=representative,
    )
    org.name_folded = fold(org.name)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action="organisation.created", target=org, org_unit=home_unit)
    return org


# --- API tokens ----------------------------------------------------------------------------------


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# "<prefix>_<12 hex>_<secret>"; the secret is URL-safe base64 and may itself contain "_" or "-".
_TOKEN_RE = re.compile(r"([a-z]{1,8})_([0-9a-f]{12})_([A-Za-z0-9_-]{16,128})")


def split_token(raw: str) -> tuple[str, str] | None:
    """'sc_<prefix>_<secret>' -> (prefix, whole token) or None when malformed."""
    raw = (raw or "").strip()
    match = _TOKEN_RE.fullmatch(raw)
    if match is None or match[1] != settings.SMARTCOMMUNE["API_TOKEN_PREFIX"]:
        return None
    return match[2], raw


@transaction.atomic
def api_token_create(
    *, actor, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`. Returns (token, the full secret to show once)."""
    name = normalize(name)
    if not name or len(name) > 100:
        raise ValidationError({"name": "invalid"})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "past"})
    prefix = secrets.token_hex(6)
    raw = f"{settings.SMARTCOMMUNE['API_TOKEN_PREFIX']}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        token_hash=_token_hash(raw),
        expires_at=expires_at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor, action="apitoken.created", target=token, data={"user": user.username, "prefix": prefix}
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="apitoken.revoked", target=token, data={"prefix": token.prefix})
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user a presented token belongs to, or None. Compares hashes, never secrets."""
    parsed = split_token(raw)
    if parsed is None:
        return None
    prefix, full = parsed
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.token_hash, _token_hash(full)):
        return None
    if not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute, so that a busy integration does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class IdentityMismatch(Exception):
    """The provider names a person already linked to another personal number, or the personal
    number belongs to an account that is not a citizen's: sign-in is refused."""


@transaction.atomic
def citizen_sign_in_external(
    *, issuer: str, subject: str, personal_id: str, full_name: str, date_of_birth=None
) -> User:
    """The citizen's account for a person an external OpenID Connect provider vouched for.

    The 12-digit personal number is the natural key: an existing citizen record (from counter
    intake) gets its account; a new one is recorded. The account is marked identity-verified.
    Raises ValidationError (a malformed personal number), IdentityMismatch.
    """
    personal_id = (personal_id or "").strip()
    parse_personal_id(personal_id)
    identity = ExternalIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
    citizen = Citizen.objects.select_for_update().filter(personal_id=personal_id).first()
    if citizen is None:
        citizen = citizen_register(
            actor=None, personal_id=personal_id, full_name=full_name, date_of_birth=date_of_birth
        )
    user = citizen.user
    if user is None:
        if User.objects.filter(username=personal_id).exclude(kind=UserKind.CITIZEN).exists():
            raise IdentityMismatch
        user, created = User.objects.get_or_create(
            username=personal_id,
            defaults={"kind": UserKind.CITIZEN, "full_name": citizen.full_name},
        )
        if created:
            user.set_unusable_password()  # signs in through the provider until they set one
            user.save(update_fields=["password"])
        citizen.user = user
    if user.kind != UserKind.CITIZEN or (identity is not None and identity.user_id != user.pk):
        raise IdentityMismatch
    citizen.identity_verified = True
    citizen.save(update_fields=["user", "identity_verified", "updated_at"])
    now = timezone.now()
    if identity is None:
        ExternalIdentity.objects.create(issuer=issuer, subject=subject, user=user, last_login_at=now)
    else:
        identity.last_login_at = now
        identity.save(update_fields=["last_login_at"])
    audit_record(
        actor=user,
        action="citizen.signed_in_external",
        target=citizen,
        org_unit=citizen.home_unit,
        data={"personal_id": citizen.masked_personal_id, "issuer": issuer},
    )
    return user


# --- a citizen's own sign-up, confirmed with a code sent to their phone or e-mail ----------------

SIGNUP_CODE_TTL_MINUTES = 15
SIGNUP_MAX_ATTEMPTS = 5
SIGNUP_MAX_PER_HOUR = 3


class SignUpRefused(Exception):
    """Sign-up cannot go on; `reason` is one of: exists, too_many, expired, wrong_code, locked."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _code_hash(request_id, code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:signup:{request_id}:{code}".encode()).hexdigest()


@transaction.atomic
def signup_start(
    *, personal_id: str, full_name: str, password: str, date_of_birth=None, phone: str = "", email: str = ""
) -> tuple[SignUpRequest, str]:
    """Open a sign-up and return it with the 6-digit code to send (by the caller, after commit).

    Raises ValidationError (personal number, birth date, password, contact), SignUpRefused
    ("exists": the personal number has an account; "too_many": three sign-ups in the last hour).
    """
    personal_id = (personal_id or "").strip()
    parse_personal_id(personal_id)
    validate_personal_id_matches_birth(personal_id, date_of_birth)
    if not (phone or email):
        raise ValidationError("phone or e-mail needed", code="contact_required")
    validate_password(password)
    if (
        Citizen.objects.filter(personal_id=personal_id, user__isnull=False).exists()
        or User.objects.filter(username=personal_id).exists()
    ):
        raise SignUpRefused("exists")
    now = timezone.now()
    recent = SignUpRequest.objects.filter(personal_id=personal_id, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= SIGNUP_MAX_PER_HOUR:
        raise SignUpRefused("too_many")
    code = f"{secrets.randbelow(1_000_000):06d}"
    request = SignUpRequest(
        personal_id=personal_id,
        full_name=normalize(full_name),
        date_of_birth=date_of_birth,
        phone=normalize_phone(phone),
        email=(email or "").strip(),
        password_hash=make_password(password),
        created_at=now,
        expires_at=now + timedelta(minutes=SIGNUP_CODE_TTL_MINUTES),
    )
    request.code_hash = _code_hash(request.public_id, code)
    request.save()
    return request, code


def signup_confirm(*, public_id, code: str) -> User:
    """Check the code; on success create (or attach to the existing citizen record) the citizen's
    account with the chosen password. Raises SignUpRefused (expired, wrong_code, locked, exists);
    a wrong code is counted (committed) before the refusal is raised."""
    user, refused = _signup_confirm(public_id=public_id, code=code)
    if refused:
        raise SignUpRefused(refused)
    return user


@transaction.atomic
def _signup_confirm(*, public_id, code: str) -> tuple[User | None, str]:
    request = SignUpRequest.objects.select_for_update().filter(public_id=public_id).first()
    if request is None or request.completed_at is not None or request.expires_at < timezone.now():
        return None, "expired"
    if request.attempts >= SIGNUP_MAX_ATTEMPTS:
        return None, "locked"
    if not secrets.compare_digest(request.code_hash, _code_hash(request.public_id, (code or "").strip())):
        request.attempts += 1
        request.save(update_fields=["attempts"])
        return None, "locked" if request.attempts >= SIGNUP_MAX_ATTEMPTS else "wrong_code"
    if User.objects.filter(username=request.personal_id).exists():
        raise SignUpRefused("exists")
    citizen = Citizen.objects.select_for_update().filter(personal_id=request.personal_id).first()
    if citizen is None:
        citizen = citizen_register(
            actor=None,
            personal_id=request.personal_id,
            full_name=request.full_name,
            date_of_birth=request.date_of_birth,
            phone=request.phone,
            email=request.email,
        )
    elif citizen.user_id is not None:
        raise SignUpRefused("exists")
    user = User(
        username=request.personal_id,
        kind=UserKind.CITIZEN,
        full_name=citizen.full_name,
        email=request.email,
        phone=request.phone,
        password=request.password_hash,
    )
    user.save()
    citizen.user = user
    citizen.phone = citizen.phone or request.phone
    citizen.email = citizen.email or request.email
    citizen.save(update_fields=["user", "phone", "email", "updated_at"])
    request.completed_at = timezone.now()
    request.password_hash = ""  # kept on the account only
    request.save(update_fields=["completed_at", "password_hash"])
    audit_record(
        actor=user,
        action="citizen.signed_up",
        target=citizen,
        org_unit=citizen.home_unit,
        data={
            "personal_id": citizen.masked_personal_id,
            "verified_by": "phone" if request.phone else "email",
        },
    )
    return user, ""
