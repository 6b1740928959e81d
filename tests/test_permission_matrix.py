"""Who may open what: every view and API endpoint, for every kind of visitor.

Personas: anonymous; a citizen of Mường Đun (who owns the sample citizen record); a citizen of Phìn
Hồ; an officer of Phìn Hồ (another commune); an official of Mường Đun without the needed right; and
the official who holds it. Objects used belong to Mường Đun. Out of scope answers 404, never 403.
The completeness test fails when a URL is added without a row here.
"""

import json
import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from smartcommune.audit.models import AuditEntry
from smartcommune.catalog.factories import attach_blank_form, make_procedure
from smartcommune.catalog.models import Procedure
from smartcommune.directory.factories import force_login_verified
from smartcommune.directory.services import api_token_create, orgunit_update
from smartcommune.documents.factories import make_issued_document
from smartcommune.dossiers.models import Dossier, OnlineDraft
from smartcommune.dossiers.services import online as online_services
from smartcommune.dossiers.services import processing as dp
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive, reception_notice_issue
from smartcommune.notifications.factories import MessageFactory
from smartcommune.signing.factories import make_pki
from smartcommune.signing.services import ca_create
from smartcommune.workdays.models import CalendarOverride
from smartcommune.workdays.services import calendar_get_or_create_for_province

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "citizen", "other_citizen", "other_officer", "no_role", "allowed")
LOGIN = 302
# Pages of an official's scope: anonymous to sign-in, everyone without the right to 404.
SCOPED = {
    "anonymous": LOGIN,
    "citizen": 404,
    "other_citizen": 404,
    "other_officer": 404,
    "no_role": 404,
    "allowed": 200,
}
SIGNED_IN = {p: 200 for p in PERSONAS} | {"anonymous": LOGIN}
PUBLIC = {p: 200 for p in PERSONAS}
API_SIGNED_IN = {p: 200 for p in PERSONAS} | {"anonymous": 401}


def _officer_token(org):
    token, _secret = api_token_create(actor=org.officer, user=org.officer, name="matrix")
    return token


def _audit_entry(org):
    orgunit_update(actor=org.leader, unit=org.muong_dun, address="Trung tâm xã Mường Đun")
    return AuditEntry.objects.filter(org_unit=org.muong_dun, action="orgunit.updated").get()


def _issued_document(org):
    return make_issued_document(org.muong_dun)


def _crl_key(org):
    _root, issuing = ca_create(actor=None, province=org.province)
    return issuing.fingerprint[:16]


def _officer_message(org):
    return MessageFactory(recipient_user=org.officer)


def _override(org):
    calendar = calendar_get_or_create_for_province(actor=None, province=org.province)
    return CalendarOverride.objects.create(
        calendar=calendar, date=date(2026, 12, 31), kind="extra_off", name="Nghỉ thử", legal_ref="QĐ thử"
    )


# name: (method, path builder, who may do it, expected statuses)
# Catalog screens are for officials (citizens read the catalog on the portal and the public API).
OFFICIALS = SCOPED | {"other_officer": 200, "no_role": 200}

MATRIX = {
    "home": ("get", lambda o: "/", "officer", SIGNED_IN),
    "healthz": ("get", lambda o: "/healthz", "officer", PUBLIC),
    "set_language": ("post", lambda o: "/i18n/setlang/", "officer", {p: 302 for p in PERSONAS}),
    "directory:login": (
        "get",
        lambda o: "/accounts/login/",
        "officer",
        {p: 302 for p in PERSONAS} | {"anonymous": 200},
    ),
    "directory:logout": ("post", lambda o: "/accounts/logout/", "officer", {p: 302 for p in PERSONAS}),
    "directory:password_reset": ("get", lambda o: "/accounts/password-reset/", "officer", PUBLIC),
    "directory:password_reset_done": ("get", lambda o: "/accounts/password-reset/sent/", "officer", PUBLIC),
    "directory:password_reset_confirm": ("get", lambda o: "/accounts/reset/MQ/bad-token/", "officer", PUBLIC),
    "directory:password_reset_complete": ("get", lambda o: "/accounts/reset/done/", "officer", PUBLIC),
    "directory:two_factor_setup": ("get", lambda o: "/accounts/two-factor/setup/", "officer", SIGNED_IN),
    "directory:two_factor_verify": ("get", lambda o: "/accounts/two-factor/verify/", "officer", SIGNED_IN),
    "directory:profile": ("get", lambda o: "/accounts/profile/", "officer", SIGNED_IN),
    "directory:token_create": (
        "post",
        lambda o: "/accounts/tokens/new/",
        "officer",
        SIGNED_IN | {"citizen": 404, "other_citizen": 404},
    ),
    "directory:token_revoke": (
        "post",
        lambda o: f"/accounts/tokens/{_officer_token(o).pk}/revoke/",
        "officer",
        SCOPED | {"allowed": 302},
    ),
    "directory:unit_list": ("get", lambda o: "/units/", "officer", SCOPED | {"other_officer": 200}),
    "directory:unit_detail": ("get", lambda o: f"/units/{o.muong_dun.pk}/", "officer", SCOPED),
    "directory:citizen_list": ("get", lambda o: "/citizens/", "officer", SCOPED | {"other_officer": 200}),
    "directory:citizen_detail": (
        "get",
        lambda o: f"/citizens/{o.citizen.citizen.public_id}/",
        "officer",
        SCOPED | {"citizen": 200},
    ),
    "audit:list": ("get", lambda o: "/audit/", "leader", SCOPED),
    "audit:detail": ("get", lambda o: f"/audit/{_audit_entry(o).pk}/", "leader", SCOPED),
    "audit:export": ("get", lambda o: "/audit/export.xlsx", "leader", SCOPED),
    "audit:access_list": ("get", lambda o: "/audit/access/", "leader", SCOPED),
    "workdays:calendar": ("get", lambda o: "/calendar/", "officer", {p: 302 for p in PERSONAS}),
    "workdays:year": ("get", lambda o: "/calendar/2026/", "officer", SIGNED_IN),
    "workdays:override_remove": (
        "post",
        lambda o: f"/calendar/2026/overrides/{_override(o).pk}/remove/",
        "province_admin",
        SCOPED | {"allowed": 302},
    ),
    "notifications:list": ("get", lambda o: "/messages/", "officer", SIGNED_IN),
    "notifications:read": (
        "post",
        lambda o: f"/messages/{_officer_message(o).public_id}/read/",
        "officer",
        SCOPED | {"allowed": 302},
    ),
    "notifications:read_all": (
        "post",
        lambda o: "/messages/read-all/",
        "officer",
        {p: 302 for p in PERSONAS},
    ),
    "documents:verify": ("get", lambda o: f"/verify/{_issued_document(o).public_id}/", "officer", PUBLIC),
    "documents:file": ("get", lambda o: f"/verify/{_issued_document(o).public_id}/file", "officer", SCOPED),
    # Signature checks and CRLs are public; the API check without a file answers 400 to anyone (no 401).
    "signing:verify": ("get", lambda o: "/signatures/verify/", "officer", PUBLIC),
    "signing:certificate_list": ("get", lambda o: "/signatures/certificates/", "leader", SCOPED),
    "signing:certificate_revoke": (
        "post",
        lambda o: f"/signatures/certificates/{make_pki(o).agency.pk}/revoke/",
        "province_admin",
        SCOPED | {"allowed": 302},
    ),
    "signing:crl": ("get", lambda o: f"/signatures/crl/{_crl_key(o)}.crl", "officer", PUBLIC),
    "api:signature_verify": (
        "post",
        lambda o: "/api/v1/signatures/verify",
        "officer",
        {p: 400 for p in PERSONAS},
    ),
    "catalog:list": ("get", lambda o: "/procedures/", "officer", OFFICIALS),
    "catalog:detail": ("get", lambda o: f"/procedures/{make_procedure().code}/", "officer", OFFICIALS),
    "catalog:blank_form": (
        "get",
        lambda o: attach_blank_form(make_procedure().components.get()),
        "officer",
        PUBLIC,
    ),
    "catalog:export": ("get", lambda o: "/procedures/export.xlsx", "province_admin", SCOPED),
    "catalog:import": ("get", lambda o: "/procedures/import/", "province_admin", SCOPED),
    "api:procedure_list": ("get", lambda o: "/api/v1/procedures/", "officer", PUBLIC),
    "api:procedure_detail": (
        "get",
        lambda o: f"/api/v1/procedures/{make_procedure().code}",
        "officer",
        PUBLIC,
    ),
    "api:openapi-json": ("get", lambda o: "/api/v1/openapi.json", "officer", PUBLIC),
    "api:openapi-view": ("get", lambda o: "/api/v1/docs", "officer", PUBLIC),
    "api:me": ("get", lambda o: "/api/v1/me", "officer", API_SIGNED_IN),
    "api:token_list": ("get", lambda o: "/api/v1/tokens", "officer", API_SIGNED_IN),
    "api:token_create": (
        "post",
        lambda o: "/api/v1/tokens",
        "officer",
        API_SIGNED_IN | {p: 201 for p in PERSONAS if p != "anonymous"},
    ),
    "api:token_revoke": (
        "post",
        lambda o: f"/api/v1/tokens/{_officer_token(o).pk}/revoke",
        "officer",
        {
            "anonymous": 401,
            "citizen": 404,
            "other_citizen": 404,
            "other_officer": 404,
            "no_role": 404,
            "allowed": 200,
        },
    ),
    "api:workdays_due": (
        "get",
        lambda o: "/api/v1/workdays/due?start=2026-08-13T10:20:00&amount=3&unit=working_days",
        "officer",
        PUBLIC,
    ),
}
BODIES = {
    "set_language": {"language": "en", "next": "/"},
    "signing:certificate_revoke": {"reason": "superseded"},
    "directory:token_create": {"name": "thử"},
    "api:token_create": '{"name": "thử"}',
}
# --- the one-stop shop: one dossier of Mường Đun per test, driven to the stage a row needs -------------


def _dossier(o, stage: str = "received", *, paid: bool = True):
    """A Mường Đun dossier at `stage`: received, processing, supplement (waiting for them),
    approvable (with the leader), approved, processed or returned."""
    procedure = make_procedure("9.900001")
    Procedure.objects.filter(pk=procedure.pk).update(result_kind="none")  # JSON may record its result
    d = dossier_receive(
        actor=o.officer,
        org_unit=o.muong_dun,
        procedure=Procedure.objects.get(pk=procedure.pk),
        citizen=o.citizen.citizen,
        components=[ComponentIn(procedure.components.get(), originals=1)],
        cash_receipt_number="BL-MATRIX" if paid else "",
    )
    if stage == "received":
        return d
    d = dp.dossier_forward(dossier=d, actor=o.officer, version=d.version)
    if stage == "processing":
        return d
    if stage == "supplement":
        return dp.dossier_request_supplement(
            dossier=d, actor=o.specialist, version=d.version, items="Bản sao", reason="Thiếu"
        )
    d = dp.dossier_forward(dossier=d, actor=o.specialist, version=d.version)
    if stage == "approvable":
        return d
    d = dp.dossier_approve(dossier=d, actor=o.leader, version=d.version)
    if stage == "approved":
        return d
    d = dp.dossier_record_result(dossier=d, actor=o.officer, version=d.version)
    if stage == "processed":
        return d
    return dp.dossier_return_result(dossier=d, actor=o.officer, version=d.version, method="counter")


def _document_result_dossier(o):
    """An approved dossier whose result is a document (the leader signs it)."""
    d = _dossier(o, "approved")
    Procedure.objects.filter(pk=d.procedure_id).update(result_kind="document")
    return d


def _dossier_file(o):
    d = _dossier(o)
    d = dp.dossier_request_supplement(dossier=d, actor=o.officer, version=d.version, items="x", reason="y")
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    d = dp.dossier_supplement(dossier=d, actor=o.officer, version=d.version, files=[upload])
    return f"/dossiers/{d.code}/files/{d.files.get().public_id}/"


def _api_create_body(o):
    procedure = make_procedure("9.900003")
    return {
        "procedure_code": procedure.code,
        "unit_code": o.muong_dun.code,
        "personal_id": o.citizen.citizen.personal_id,
        "components": [{"component_id": procedure.components.get().pk, "originals": 1}],
        "cash_receipt_number": "BL-API",
    }


def _apology_pdf(o):
    d = _dossier(o)
    later = d.due_at + timedelta(days=7)
    while later.astimezone(VN).weekday() >= 5:
        later += timedelta(days=1)
    later = later.astimezone(VN).replace(hour=9, minute=0, second=0, microsecond=0)
    dp.dossier_apologize(dossier=d, actor=o.leader, version=d.version, reason="Chậm", new_due_at=later)
    return f"/dossiers/{d.code}/apology.pdf"


def _notice(o):
    procedure = make_procedure("9.900002")
    return reception_notice_issue(
        actor=o.officer,
        kind="supplement",
        org_unit=o.muong_dun,
        procedure=procedure,
        applicant_name="Lò Thị",
        reason="Thiếu",
    )


def _version(extra: dict | None = None):
    return lambda o: {"version": Dossier.objects.get().version, **(extra or {})}


# Officials of another commune see their own (empty) lists; everything of Mường Đun is 404 to them.
VN = ZoneInfo("Asia/Ho_Chi_Minh")
_OWN_LISTS = SCOPED | {"other_officer": 200}
_API_SCOPED = {p: 404 for p in PERSONAS} | {"anonymous": 401, "allowed": 200}
_API_ACTIONS = {
    # name: (path suffix, stage, who may)
    "api:dossier_forward": ("forward", "received", "officer"),
    "api:dossier_send_back": ("send-back", "approvable", "leader"),
    "api:dossier_request_supplement": ("request-supplement", "received", "officer"),
    "api:dossier_supplement": ("supplement", "supplement", "specialist"),
    "api:dossier_approve": ("approve", "approvable", "leader"),
    "api:dossier_refuse": ("refuse", "received", "officer"),
    "api:dossier_record_result": ("record-result", "approved", "officer"),
    "api:dossier_return_result": ("return-result", "processed", "officer"),
    "api:dossier_confirm_receipt": ("confirm-receipt", "returned", "officer"),
    "api:dossier_withdraw": ("withdraw", "received", "officer"),
    "api:dossier_apologize": ("apologize", "received", "officer"),
    "api:dossier_pay": ("pay", "unpaid", "officer"),
}
MATRIX |= {
    "dossiers:list": ("get", lambda o: "/dossiers/", "officer", _OWN_LISTS),
    "dossiers:mine": ("get", lambda o: "/dossiers/mine/", "specialist", _OWN_LISTS),
    "dossiers:overdue": ("get", lambda o: "/dossiers/overdue/", "officer", _OWN_LISTS),
    "dossiers:feedback": ("get", lambda o: "/dossiers/feedback/", "leader", SCOPED),
    "dossiers:ledger_xlsx": ("get", lambda o: "/dossiers/ledger.xlsx", "officer", _OWN_LISTS),
    "dossiers:intake_start": ("get", lambda o: "/dossiers/new/", "officer", _OWN_LISTS),
    "dossiers:intake": ("get", lambda o: f"/dossiers/new/{make_procedure().code}/", "officer", _OWN_LISTS),
    "dossiers:notice": ("get", lambda o: f"/dossiers/notices/{_notice(o).pk}/", "officer", SCOPED),
    "dossiers:detail": ("get", lambda o: f"/dossiers/{_dossier(o).code}/", "specialist", SCOPED),
    "dossiers:file": ("get", _dossier_file, "officer", SCOPED),
    "dossiers:receipt_pdf": ("get", lambda o: f"/dossiers/{_dossier(o).code}/receipt.pdf", "officer", SCOPED),
    "dossiers:control_slip_pdf": (
        "get",
        lambda o: f"/dossiers/{_dossier(o).code}/control-slip.pdf",
        "specialist",
        SCOPED,
    ),
    "dossiers:apology_pdf": ("get", _apology_pdf, "leader", SCOPED),
    "dossiers:notice_pdf": (
        "get",
        lambda o: f"/dossiers/notices/{_notice(o).pk}/slip.pdf",
        "officer",
        SCOPED,
    ),
    "dossiers:ledger_pdf": ("get", lambda o: "/dossiers/ledger.pdf", "officer", _OWN_LISTS),
    # Another commune's officer ticked nothing they may print: back to the list with a message.
    "dossiers:receipts_pdf": (
        "post",
        lambda o: _dossier(o) and "/dossiers/receipts.pdf",
        "officer",
        SCOPED | {"other_officer": 302},
    ),
    # The approving leader reaches the signing form; an empty submission is refused as invalid (400).
    "dossiers:sign_result": (
        "post",
        lambda o: f"/dossiers/{_document_result_dossier(o).code}/sign-result/",
        "leader",
        SCOPED | {"allowed": 400},
    ),
    "dossiers:act": (
        "post",
        lambda o: f"/dossiers/{_dossier(o).code}/withdraw/",
        "officer",
        SCOPED | {"allowed": 302},
    ),
    "api:dossier_list": ("get", lambda o: "/api/v1/dossiers", "officer", API_SIGNED_IN),
    "api:dossier_create": ("post", lambda o: "/api/v1/dossiers", "officer", _API_SCOPED | {"allowed": 201}),
    "api:dossier_get": ("get", lambda o: f"/api/v1/dossiers/{_dossier(o).code}", "specialist", _API_SCOPED),
}


def _action_path(suffix: str, stage: str):
    def build(o):
        d = _dossier(o, "received", paid=False) if stage == "unpaid" else _dossier(o, stage)
        return f"/api/v1/dossiers/{d.code}/{suffix}"

    return build


for _name, (_suffix, _stage, _who) in _API_ACTIONS.items():
    MATRIX[_name] = ("post", _action_path(_suffix, _stage), _who, _API_SCOPED)
BODIES |= {
    "dossiers:receipts_pdf": lambda o: {"codes": [d.code for d in Dossier.objects.all()] or ["-"]},
    "dossiers:act": lambda o: {
        "withdraw-version": Dossier.objects.get().version,
        "withdraw-reason": "Xin rút",
    },
    "api:dossier_create": _api_create_body,
    "api:dossier_forward": _version(),
    "api:dossier_send_back": _version({"reason": "Thiếu"}),
    "api:dossier_request_supplement": _version({"items": "Bản sao", "reason": "Thiếu"}),
    "api:dossier_supplement": _version(),
    "api:dossier_approve": _version(),
    "api:dossier_refuse": _version({"reason": "Không đủ điều kiện"}),
    "api:dossier_record_result": _version(),
    "api:dossier_return_result": _version({"method": "counter"}),
    "api:dossier_confirm_receipt": _version(),
    "api:dossier_withdraw": _version({"reason": "Xin rút"}),
    "api:dossier_apologize": _version({"reason": "Chậm", "new_due_at": "2030-06-04T09:00:00+07:00"}),
    "api:dossier_pay": _version({"receipt_number": "BL-PAY"}),
}

# The citizen portal: public pages for everyone; a citizen's pages for the citizen who owns the
# dossier (or draft) only; officials use the one-stop screens, so the citizen pages are 404 to them.
_CITIZENS = {p: 404 for p in PERSONAS} | {
    "anonymous": LOGIN,
    "citizen": 302,
    "other_citizen": 302,
    "allowed": 302,
}
_OWN = {p: 404 for p in PERSONAS} | {"anonymous": LOGIN, "citizen": 200, "allowed": 200}
_OWN_ACT = _OWN | {"citizen": 302, "allowed": 302}


def _draft(o):
    draft = online_services.draft_start(actor=o.citizen, procedure=make_procedure())
    return f"/portal/drafts/{draft.public_id}/"


def _portal_file(o):
    d = _dossier(o, "supplement")
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    d = dp.dossier_supplement(dossier=d, actor=o.officer, version=d.version, files=[upload])
    return f"/portal/my/{d.code}/files/{d.files.get().public_id}/"


MATRIX |= {
    "portal:index": ("get", lambda o: "/portal/", "citizen", PUBLIC),
    "portal:procedures": ("get", lambda o: "/portal/procedures/?q=hon+nhan", "citizen", PUBLIC),
    "portal:procedure": ("get", lambda o: f"/portal/procedures/{make_procedure().code}/", "citizen", PUBLIC),
    "portal:blank_form": (
        "get",
        lambda o: "/portal" + attach_blank_form(make_procedure().components.get()),
        "citizen",
        PUBLIC,
    ),
    "portal:lookup": ("post", lambda o: _dossier(o) and "/portal/lookup/", "citizen", PUBLIC),
    "portal:draft_start": (
        "post",
        lambda o: f"/portal/procedures/{make_procedure().code}/start/",
        "citizen",
        _CITIZENS,
    ),
    "portal:draft": ("get", _draft, "citizen", _OWN),
    # Relatives (any citizen) and community team members may send for someone else.
    "portal:draft_start_for": (
        "get",
        lambda o: f"/portal/procedures/{make_procedure().code}/for-someone/",
        "team_member",
        _OWN | {"other_citizen": 200},
    ),
    "portal:sign_in": ("get", lambda o: "/portal/sign-in/", "citizen", PUBLIC),
    "portal:sign_up": ("get", lambda o: "/portal/sign-up/", "citizen", PUBLIC),
    "portal:sign_up_confirm": ("get", lambda o: f"/portal/sign-up/{uuid.uuid4()}/", "citizen", PUBLIC),
    # No identity provider is configured here (smartcommune/portal/tests/test_oidc.py starts one).
    "portal:oidc_start": ("get", lambda o: "/portal/sign-in/oidc/", "citizen", {p: 404 for p in PERSONAS}),
    "portal:oidc_callback": (
        "get",
        lambda o: "/portal/sign-in/oidc/callback/?code=x&state=y",
        "citizen",
        {p: 404 for p in PERSONAS},
    ),
    "portal:my_dossiers": ("get", lambda o: "/portal/my/", "citizen", _OWN | {"other_citizen": 200}),
    "portal:my_dossier": ("get", lambda o: f"/portal/my/{_dossier(o).code}/", "citizen", _OWN),
    "portal:my_receipt": ("get", lambda o: f"/portal/my/{_dossier(o).code}/receipt.pdf", "citizen", _OWN),
    "portal:my_file": ("get", _portal_file, "citizen", _OWN),
    "portal:rate": (
        "post",
        lambda o: f"/portal/my/{_dossier(o, 'processed').code}/rate/",
        "citizen",
        _OWN_ACT,
    ),
    "portal:feedback": ("post", lambda o: f"/portal/my/{_dossier(o).code}/feedback/", "citizen", _OWN_ACT),
    "portal:act": ("post", lambda o: f"/portal/my/{_dossier(o).code}/withdraw/", "citizen", _OWN_ACT),
}
_API_OWN = {p: 404 for p in PERSONAS} | {"anonymous": 401, "citizen": 200, "allowed": 200}


def _upload(o, *, complete: bool = False):
    draft = online_services.draft_start(actor=o.citizen, procedure=make_procedure())
    session = online_services.upload_start(
        actor=o.citizen, draft=draft, component=draft.procedure.components.get(), name="a.pdf", size=10
    )
    if complete:
        online_services.upload_append(session=session, offset=0, data=b"%PDF-12345")
    return session


MATRIX |= {
    "api:portal_upload_start": (
        "post",
        lambda o: _draft(o).replace("/portal/drafts/", "/api/v1/portal/drafts/") + "uploads",
        "citizen",
        _API_OWN | {"citizen": 201, "allowed": 201},
    ),
    "api:portal_upload_get": (
        "get",
        lambda o: f"/api/v1/portal/uploads/{_upload(o).public_id}",
        "citizen",
        _API_OWN,
    ),
    "api:portal_upload_chunk": (
        "put",
        lambda o: f"/api/v1/portal/uploads/{_upload(o).public_id}?offset=0",
        "citizen",
        _API_OWN,
    ),
    "api:portal_upload_finish": (
        "post",
        lambda o: f"/api/v1/portal/uploads/{_upload(o, complete=True).public_id}/finish",
        "citizen",
        _API_OWN | {"citizen": 201, "allowed": 201},
    ),
}
BODIES |= {
    "portal:lookup": lambda o: {
        "code": Dossier.objects.get().code,
        "factor": o.citizen.citizen.personal_id[-4:],
    },
    "portal:rate": {"satisfied": "yes"},
    "portal:feedback": {"kind": "feedback", "text": "Cán bộ hướng dẫn tận tình"},
    "portal:act": _version({"reason": "Xin rút"}),
    "api:portal_upload_start": lambda o: json.dumps(
        {"component": OnlineDraft.objects.get().procedure.components.get().pk, "name": "a.pdf", "size": 10}
    ),
    "api:portal_upload_chunk": b"%PDF-12345",
}

# URL names that are not views of their own (the API's root has no handler).
NOT_VIEWS = {"api:api-root"}


def _named_urls():
    def walk(patterns, namespace=None):
        for item in patterns:
            if isinstance(item, URLResolver):
                if item.namespace == "admin":
                    continue
                ns = ":".join(x for x in (namespace, item.namespace) if x) or None
                yield from walk(item.url_patterns, ns)
            elif isinstance(item, URLPattern) and item.name:
                yield f"{namespace}:{item.name}" if namespace else item.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_has_a_row_in_the_matrix():
    missing = _named_urls() - set(MATRIX) - NOT_VIEWS
    assert not missing, f"add these to the permission matrix: {sorted(missing)}"


def _client_for(client, org, persona: str, allowed: str):
    user = {
        "anonymous": None,
        "citizen": org.citizen,
        "other_citizen": org.other_citizen,
        "other_officer": org.other_officer,
        "no_role": org.no_role,
        "allowed": getattr(org, allowed),
    }[persona]
    if user is not None:
        force_login_verified(client, user)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, name, persona):
    method, build, allowed, expected = MATRIX[name]
    path = build(org)
    _client_for(client, org, persona, allowed)
    body = BODIES.get(name, {})
    if callable(body):
        body = body(org)
    if method == "get":
        response = client.get(path)
    elif method == "put":
        response = client.put(path, body, content_type="application/octet-stream")
    elif name.startswith("api:"):
        response = client.post(path, body or "{}", content_type="application/json")
    else:
        response = client.post(path, body)
    assert response.status_code == expected[persona], (name, persona, response.status_code)
    if persona == "anonymous" and expected[persona] == LOGIN and not name.startswith("api:"):
        assert response.url.startswith("/accounts/login/") or name in {
            "set_language",
            "directory:logout",
            "workdays:calendar",
        }
