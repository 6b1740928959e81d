"""Reads of the signing app: trust material for verification, certificate chains, expiring
certificates, the certificate a unit or an official signs with."""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.db.models import BooleanField, Case, Count, Max, Min, OuterRef, Subquery, When

from smartcommune.directory import permissions as perms
from smartcommune.directory.models import OrgUnit, User
from smartcommune.directory.policies import has_perm

from .choices import CertificateKind, CertificateStatus
from .models import Certificate, RevocationList
from .policies import certificate_qs_for
from .verification import TrustMaterial

_CA_KINDS = (CertificateKind.ROOT_CA, CertificateKind.ISSUING_CA)


def _extra_roots() -> list[bytes]:
    roots = []
    for path in settings.SIGNING["TRUST_ROOTS"]:
        for cert in x509.load_pem_x509_certificates(Path(path).read_bytes()):
            roots.append(cert.public_bytes(Encoding.DER))
    return roots


def latest_crls_by_issuer() -> dict[int, bytes]:
    """The newest CRL of each CA, by issuer id (one query)."""
    newest = RevocationList.objects.filter(issuer=OuterRef("issuer")).order_by("-number").values("number")[:1]
    rows = RevocationList.objects.filter(number=Subquery(newest)).values_list("issuer_id", "der")
    return {issuer: bytes(der) for issuer, der in rows}


def latest_crls() -> list[bytes]:
    return list(latest_crls_by_issuer().values())


_trust_cache: dict[tuple, TrustMaterial] = {}


def trust_material() -> TrustMaterial:
    """Roots and CAs of the registry (revoked CAs excluded) plus configured roots, and the CRLs.

    Kept per process while the registry's CAs and CRLs stay the same (checked with two small
    aggregate queries): rebuilding it re-parses every certificate, and asn1crypto then re-prepares
    their Vietnamese names (stringprep), ~15 ms a verification."""
    cas = Certificate.objects.filter(kind__in=_CA_KINDS)
    # Fingerprints and times, not only ids: ids can come back after a rollback (SQLite).
    key = (
        tuple(
            cas.filter(status=CertificateStatus.ACTIVE)
            .aggregate(n=Count("pk"), hi=Max("fingerprint"), lo=Min("fingerprint"))
            .values()
        ),
        tuple(
            RevocationList.objects.aggregate(last=Max("pk"), at=Max("this_update"), n=Count("pk")).values()
        ),
        tuple(settings.SIGNING["TRUST_ROOTS"]),
    )
    cached = _trust_cache.get(key)
    if cached is not None:
        return cached
    rows = list(cas.filter(status=CertificateStatus.ACTIVE).values_list("kind", "der"))
    roots = [bytes(d) for k, d in rows if k == CertificateKind.ROOT_CA] + _extra_roots()
    intermediates = [bytes(d) for k, d in rows if k == CertificateKind.ISSUING_CA]
    material = TrustMaterial.build(roots=roots, intermediates=intermediates, crls=latest_crls())
    _trust_cache.clear()
    _trust_cache[key] = material
    return material


def certificate_chain(certificate: Certificate) -> list[Certificate]:
    """The issuers of a certificate, nearest first (a chain is two or three long)."""
    chain, current = [], certificate.issuer
    while current is not None and len(chain) < 5:
        chain.append(current)
        current = current.issuer
    return chain


def certificate_expiring_list(*, now: dt.datetime, within: dt.timedelta):
    return (
        Certificate.objects.expiring(now=now, within=within)
        .filter(expiry_warned_at__isnull=True)
        .exclude(kind__in=_CA_KINDS)
        .select_related("owner_user", "org_unit")
    )


def agency_signers(unit: OrgUnit) -> list[User]:
    """Officials granted a role at the unit that lets them sign documents (they hear of the agency
    certificate's expiry). Few rows: the grants of one unit."""
    users = User.objects.filter(grants__org_unit=unit, is_active=True).distinct()
    return [user for user in users if has_perm(user, perms.DOCUMENT_SIGN, unit)]


def agency_certificate_for(unit: OrgUnit) -> Certificate | None:
    """The agency certificate the unit seals with: its own, else its commune's or province's."""
    candidates = [unit, *reversed(OrgUnit.objects.get_ancestors(unit))] if unit.depth > 1 else [unit]
    usable = {
        c.org_unit_id: c
        for c in Certificate.objects.usable()
        .filter(kind=CertificateKind.AGENCY, org_unit__in=candidates)
        .select_related("org_unit")
        .order_by("not_after")
    }
    return next((usable[u.pk] for u in candidates if u.pk in usable), None)


def official_certificate_for(user) -> Certificate | None:
    """The official's usable personal certificate (the newest)."""
    return (
        Certificate.objects.usable()
        .filter(kind=CertificateKind.OFFICIAL, owner_user=user)
        .select_related("org_unit", "owner_user")
        .order_by("-not_after")
        .first()
    )


def newest_crl_number(issuer: Certificate) -> int:
    return RevocationList.objects.filter(issuer=issuer).aggregate(n=Max("number"))["n"] or 0


def crl_by_key(key: str) -> bytes | None:
    """The newest CRL of the CA whose fingerprint starts with `key` (16 hex digits, as in the
    certificates' CRL distribution point)."""
    if len(key) != 16 or any(c not in "0123456789abcdef" for c in key):
        return None
    crl = (
        RevocationList.objects.filter(issuer__fingerprint__startswith=key)
        .order_by("-number")
        .values_list("der", flat=True)
        .first()
    )
    return bytes(crl) if crl is not None else None


def certificate_list(*, user, now: dt.datetime, within: dt.timedelta):
    """The registry screen: certificates in scope, newest first, each with `expiring` (active and
    ending within `within`). One query, whatever the number of rows."""
    return (
        certificate_qs_for(user=user)
        .select_related("org_unit", "owner_user", "issuer")
        .defer("der", "key_sealed", "issuer__der", "issuer__key_sealed")
        .annotate(
            expiring=Case(
                When(
                    status=CertificateStatus.ACTIVE, not_after__gt=now, not_after__lte=now + within, then=True
                ),
                default=False,
                output_field=BooleanField(),
            )
        )
        .order_by("org_unit__name", "kind", "-not_after", "pk")
    )
