"""Run the province's local certification authority (embedded default and tests; production
imports the national specialised CA's certificates instead).

    manage.py signing_ca init [--if-missing]      # root + issuing CA for the province
    manage.py signing_ca issue-agency UNIT_CODE   # the agency (seal) certificate of a unit
    manage.py signing_ca issue-official USERNAME [--pkcs11-token LABEL]
    manage.py signing_ca issue-all                # agencies of every commune/ward, and every official who signs
    manage.py signing_ca revoke SERIAL [--reason key_compromise]
    manage.py signing_ca list
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from smartcommune.core.errors import DomainError
from smartcommune.directory.choices import COMMUNE_LEVEL_KINDS
from smartcommune.directory.models import OrgUnit, User

from ... import selectors, services, tokens
from ...choices import CertificateKind, CertificateStatus, RevocationReason
from ...models import Certificate


class Command(BaseCommand):
    help = "Local certification authority: create the CA, issue, revoke and list certificates."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init")
        init.add_argument(
            "--province", default="", help="province code (default: SMARTCOMMUNE_PROVINCE_CODE)"
        )
        init.add_argument("--if-missing", action="store_true", help="do nothing when the province has a CA")
        agency = sub.add_parser("issue-agency")
        agency.add_argument("unit_code")
        official = sub.add_parser("issue-official")
        official.add_argument("username")
        official.add_argument("--pkcs11-token", default="", help="generate the key on this PKCS#11 token")
        sub.add_parser("issue-all")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("serial")
        revoke.add_argument("--reason", default=RevocationReason.UNSPECIFIED, choices=RevocationReason.values)
        sub.add_parser("list")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (DomainError, tokens.TokenError) as exc:
            raise CommandError(str(getattr(exc, "detail", exc))) from exc

    def _issuing(self) -> Certificate:
        issuing = (
            Certificate.objects.filter(kind=CertificateKind.ISSUING_CA, status=CertificateStatus.ACTIVE)
            .exclude(key_storage="none")
            .order_by("-not_after")
            .first()
        )
        if issuing is None:
            raise CommandError("No local issuing CA: run `signing_ca init` first.")
        return issuing

    def _init(self, *, province: str, if_missing: bool, **_):
        code = province or settings.SMARTCOMMUNE["PROVINCE_CODE"]
        unit = OrgUnit.objects.filter(code=code, depth=1).first()
        if unit is None:
            raise CommandError(f"No province with code {code}.")
        if (
            if_missing
            and Certificate.objects.filter(
                kind=CertificateKind.ROOT_CA, org_unit=unit, status=CertificateStatus.ACTIVE
            ).exists()
        ):
            self.stdout.write("the province has a CA already")
            return
        root, issuing = services.ca_create(actor=None, province=unit)
        self.stdout.write(f"root CA {root.serial}\nissuing CA {issuing.serial}")

    def _issue_agency(self, *, unit_code: str, **_):
        unit = OrgUnit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"No unit with code {unit_code}.")
        cert = services.certificate_issue(
            actor=None, issuer=self._issuing(), kind=CertificateKind.AGENCY, org_unit=unit
        )
        self.stdout.write(f"{cert.subject} {cert.serial}")

    def _issue_official(self, *, username: str, pkcs11_token: str, **_):
        user = User.objects.filter(username=username).first()
        official = getattr(user, "official", None) if user is not None else None
        membership = official.memberships.select_related("org_unit").first() if official is not None else None
        if membership is None:
            raise CommandError(f"No official {username} with a unit.")
        extra = {}
        if pkcs11_token:
            key_label = f"sc-{username}-{Certificate.objects.count() + 1}"
            extra = {
                "public_key": tokens.generate_rsa_key(
                    library=settings.SIGNING["PKCS11_LIBRARY"],
                    token_label=pkcs11_token,
                    pin=settings.SIGNING["PKCS11_PIN"],
                    key_label=key_label,
                ),
                "pkcs11_token": pkcs11_token,
                "pkcs11_key": key_label,
            }
        cert = services.certificate_issue(
            actor=None,
            issuer=self._issuing(),
            kind=CertificateKind.OFFICIAL,
            org_unit=membership.org_unit,
            owner_user=user,
            **extra,
        )
        self.stdout.write(f"{cert.subject} {cert.serial} ({cert.key_storage})")

    def _issue_all(self, **_):
        issuing, made = self._issuing(), 0
        for unit in OrgUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS, is_active=True):
            current = selectors.agency_certificate_for(unit)
            if current is None or current.org_unit_id != unit.pk:
                services.certificate_issue(
                    actor=None, issuer=issuing, kind=CertificateKind.AGENCY, org_unit=unit
                )
                made += 1
            for user in selectors.agency_signers(unit):
                if selectors.official_certificate_for(user) is None:
                    services.certificate_issue(
                        actor=None,
                        issuer=issuing,
                        kind=CertificateKind.OFFICIAL,
                        org_unit=unit,
                        owner_user=user,
                    )
                    made += 1
        self.stdout.write(f"{made} certificate(s) issued")

    def _revoke(self, *, serial: str, reason: str, **_):
        cert = Certificate.objects.filter(serial=serial.lower()).first()
        if cert is None:
            raise CommandError(f"No certificate with serial {serial}.")
        services.certificate_revoke(actor=None, certificate=cert, reason=reason)
        self.stdout.write(f"revoked {cert.subject} {cert.serial}")

    def _list(self, **_):
        for cert in Certificate.objects.select_related("org_unit").order_by("kind", "org_unit__name"):
            self.stdout.write(
                f"{cert.kind:11} {cert.status:8} {cert.not_after:%Y-%m-%d} {cert.serial} {cert.subject}"
            )
