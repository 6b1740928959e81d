"""The citizen portal in a real browser, at phone width: a citizen signs in through the OpenID
Connect provider started for the test (VNeID-style), submits a birth registration with a phone
photo, answers a supplement request, sees the result, downloads the e-result and rates the
service; then an anonymous visitor follows the receipt's QR link to the lookup page.

Every portal page visited is checked with axe-core (vendored from npm) for WCAG 2.1 A/AA problems.
Screenshots go to test-artifacts/screenshots/ (portal-*) for a person to look at.
"""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.catalog.factories import make_field, make_procedure
from smartcommune.dossiers import notices
from smartcommune.dossiers.models import Dossier
from smartcommune.dossiers.services import processing as dp
from tests.support.oidc_provider import OidcProvider

from .conftest import PHONE
from .test_shell import assert_fits_width, assert_landmarks, tr

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A phone photo: a real JPEG header and some bytes (the portal stores images as submitted).
PHOTO = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + bytes(range(256)) * 40
    + b"\xff\xd9"
)


def vi(message: str) -> str:
    return tr("vi", message)


def check_accessibility(page, name: str) -> None:
    """Run axe-core on the page (WCAG 2.1 A and AA rules); fail on any violation. The page must also
    fit the phone's width (no sideways scrolling at 360 px)."""
    assert_fits_width(page)
    page.evaluate(AXE.read_text())  # evaluated by the browser's devtools channel: CSP does not apply
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not problems, f"{name}: " + json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.fixture
def birth(org):
    return make_procedure(
        "1.001193",
        "Đăng ký khai sinh",
        field=make_field("ho-tich", "Hộ tịch"),
        fee=None,
        life_events=["birth"],
    )


@pytest.fixture
def provider(live_server, settings):
    idp = OidcProvider(redirect_uris=[f"{live_server.url}/portal/sign-in/oidc/callback/"]).start()
    settings.SMARTCOMMUNE_OIDC = {
        **settings.SMARTCOMMUNE_OIDC,
        "ISSUER": idp.issuer,
        "CLIENT_ID": idp.client.client_id,
        "CLIENT_SECRET": idp.client.client_secret,
    }
    yield idp
    idp.stop()


def test_citizen_walks_through_the_portal_on_a_phone(live_server, org, birth, provider, pages, screenshot):
    citizen = org.citizen.citizen
    citizen.phone = "0912345678"
    citizen.save(update_fields=["phone"])
    provider.add_person(citizen.personal_id, citizen.full_name)
    page = pages.open(PHONE)
    base = live_server.url

    # Find the procedure by searching without accents.
    page.goto(f"{base}/portal/")
    assert page.locator("html").get_attribute("lang") == "vi"
    check_accessibility(page, "index")
    screenshot(page, "portal-index-phone")
    page.fill("#id_q", "dang ky khai sinh")
    page.get_by_role("button", name=vi("Search")).click()
    check_accessibility(page, "procedures")
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(page.locator("#expected")).to_be_visible()
    assert_landmarks(page)
    assert_fits_width(page)
    check_accessibility(page, "procedure")
    screenshot(page, "portal-procedure-phone")

    # Sign in through the identity provider (its own page, as VNeID's would be).
    page.get_by_role("link", name=vi("Sign in to send it online")).click()
    check_accessibility(page, "sign-in")
    page.get_by_role("link", name=vi("Sign in with %(name)s") % {"name": "VNeID"}).click()
    assert page.url.startswith(provider.issuer)
    page.fill("#pid", citizen.personal_id)
    page.get_by_role("button", name="Đồng ý").click()
    page.wait_for_url(f"{base}/portal/procedures/1.001193/")

    # Submit online with a phone photo.
    page.get_by_role("button", name=vi("Send this dossier online")).click()
    check_accessibility(page, "draft")
    page.locator("input[type=file]").first.set_input_files(
        {"name": "to-khai.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}
    )
    # With JavaScript the photo goes up in pieces at once; "Send" waits until it is stored.
    expect(page.locator("[id$=_progress]").first).to_have_text(vi("Added:") + " to-khai.jpg")
    screenshot(page, "portal-draft-phone")
    page.get_by_role("button", name=vi("Send the dossier")).click()
    expect(page.locator("#status")).to_have_text(vi("Received by the office"))
    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.files.get().content_type == "image/jpeg"
    check_accessibility(page, "my dossier")
    screenshot(page, "portal-dossier-received-phone")

    # The office asks for a supplement; the citizen answers from the phone.
    dossier = dp.dossier_forward(dossier=dossier, actor=org.officer, version=None)
    dp.dossier_request_supplement(
        dossier=dossier,
        actor=org.specialist,
        version=None,
        items="Ảnh giấy chứng sinh rõ hơn",
        reason="Ảnh mờ",
    )
    page.reload()
    expect(page.locator("#status")).to_have_text(vi("The office needs more papers from you"))
    check_accessibility(page, "supplement")
    screenshot(page, "portal-supplement-phone")
    page.locator("#id_files").set_input_files(
        {"name": "chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=vi("Send the papers")).click()
    expect(page.locator("#status")).to_have_text(vi("Being worked on"))

    # The result is recorded; the citizen downloads the e-result and rates the service.
    dossier.refresh_from_db()
    dossier = dp.dossier_forward(dossier=dossier, actor=org.specialist, version=None)
    dossier = dp.dossier_approve(dossier=dossier, actor=org.leader, version=None)
    dp.dossier_record_result(
        dossier=dossier,
        actor=org.officer,
        version=None,
        result_file=SimpleUploadedFile("giay-khai-sinh.pdf", PDF, content_type="application/pdf"),
    )
    page.reload()
    expect(page.locator("#status")).to_have_text(vi("Result ready"))
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=vi("Download the electronic result (%(name)s)") % {"name": "giay-khai-sinh.pdf"}
        ).click()
    assert Path(download.value.path()).read_bytes() == PDF
    page.get_by_role("radio", name=vi("Satisfied (hài lòng)"), exact=True).check()
    check_accessibility(page, "result")
    page.get_by_role("button", name=vi("Send my rating")).click()
    expect(page.get_by_text(vi("Thank you for your rating."))).to_be_visible()
    screenshot(page, "portal-result-phone")
    assert_fits_width(page)

    # Anyone with the receipt: its QR code opens the lookup page with the code filled in.
    anonymous = pages.open(PHONE)
    qr_path = notices.lookup_url(dossier.code).split("/portal/", 1)[1]
    anonymous.goto(f"{base}/portal/{qr_path}")
    expect(anonymous.locator("#id_code")).to_have_value(dossier.code)
    check_accessibility(anonymous, "lookup")
    anonymous.fill("#id_factor", citizen.personal_id[-4:])
    anonymous.get_by_role("button", name=vi("Look up")).click()
    expect(anonymous.get_by_text(vi("Result ready"))).to_be_visible()
    check_accessibility(anonymous, "lookup result")
    screenshot(anonymous, "portal-lookup-phone")
    assert pages.errors == []


def test_lookup_works_without_javascript(live_server, org, birth, pages, screenshot):
    from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive

    citizen = org.citizen.citizen
    dossier = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=birth,
        citizen=citizen,
        components=[ComponentIn(component=c, originals=1) for c in birth.components.all()],
    )
    page = pages.open(PHONE, javascript=False)
    page.goto(f"{live_server.url}/portal/lookup/?code={dossier.code}")
    page.fill("#id_factor", "0000")
    page.get_by_role("button", name=vi("Look up")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.fill("#id_code", dossier.code)
    page.fill("#id_factor", citizen.personal_id[-4:])
    page.get_by_role("button", name=vi("Look up")).click()
    expect(page.get_by_text(vi("Received by the office"))).to_be_visible()
    screenshot(page, "portal-lookup-nojs-phone")


def test_large_file_goes_up_in_pieces_through_a_dropped_connection(
    live_server, org, birth, pages, screenshot
):
    import hashlib

    from smartcommune.dossiers.models import DraftFile
    from smartcommune.dossiers.services import online

    from .test_one_stop import session_cookies

    draft = online.draft_start(actor=org.citizen, procedure=birth, org_unit=org.muong_dun)
    content = PDF + bytes(range(256)) * (3 * 1024 * 4 + 100)  # ~3.1 MB: four pieces
    page = pages.open(PHONE)
    page.context.add_cookies(session_cookies(live_server.url, org.citizen))
    dropped = []

    def drop_the_second_piece_once(route):
        if "offset=1048576" in route.request.url and not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/portal/uploads/**", drop_the_second_piece_once)
    page.goto(f"{live_server.url}/portal/drafts/{draft.public_id}/")
    page.locator("input[type=file]").first.set_input_files(
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    expect(page.get_by_text("giay-chung-sinh.pdf")).to_be_visible(timeout=30_000)
    expect(page.locator("[id$=_progress]").first).to_contain_text("giay-chung-sinh.pdf")
    assert dropped, "the connection was not dropped: the test did not test resuming"
    stored = DraftFile.objects.get(draft=draft)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    screenshot(page, "portal-upload-resumed-phone")
    # The form is then sent without the file (it is stored already) and the dossier has it once.
    page.get_by_role("button", name="Send the dossier").click()  # session_cookies() asks for English
    expect(page.locator("#status")).to_have_text("Received by the office")
    assert Dossier.objects.get(citizen=org.citizen.citizen).files.count() == 1
    assert pages.errors == [] or all(
        "connectionreset" in e or "ERR_CONNECTION_RESET" in e for e in pages.errors
    )
