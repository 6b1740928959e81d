"""The one-stop shop in a real browser: a one-stop officer takes three dossiers at the counter — a
marital-status certification paid in cash, a certified copy charged by the page, a birth
registration (without JavaScript, for a citizen not yet recorded) — and the dossiers go through
the specialist and the leader back to the counter, where the results are returned.

Screenshots go to test-artifacts/screenshots/ (one-stop-*) for a person to look at.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from smartcommune.catalog.services import catalog_load_official
from smartcommune.directory.factories import CitizenFactory, force_login_verified, valid_personal_id
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.models import Dossier

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .test_shell import assert_fits_width, assert_landmarks, sign_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def counter(org):
    catalog_load_official(actor=None)
    return CitizenFactory(full_name="Lò Thị Ánh", home_unit=org.ban_a, phone="0912345678")


def session_cookies(base_url: str, user) -> list[dict]:
    """A signed-in session (second factor done) for `user`, as browser cookies."""
    client = Client()
    force_login_verified(client, user)
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base_url,
        },
        english(base_url),
    ]


def english(base_url: str) -> dict:
    """The journeys read the English labels; the language switch itself is tested in test_shell."""
    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base_url}


def open_as(pages, base_url: str, user, viewport=DESKTOP, *, javascript: bool = True):
    page = pages.open(viewport, javascript=javascript)
    page.context.add_cookies(session_cookies(base_url, user))
    return page


def scan(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def component_row(page, index: int):
    return page.locator(".component-row").nth(index)


def receive(page, *, expect_fee: str | None = None):
    page.locator("button[name=intent][value=receive]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success, .alert-warning").count() >= 1, page.content()[:2000]
    return page.locator(".dossier-code").first.inner_text()


def act(
    page,
    base_url: str,
    code: str,
    slug: str,
    fields: dict | None = None,
    files: dict | None = None,
    shot=None,
):
    """Open the action's part of the dossier page, fill it and send it; wait for the answer."""
    page.goto(f"{base_url}/dossiers/{code}/")
    action = page.locator(f"details.action:has(form[action$='/{slug}/'])")
    action.locator("summary").click()
    for selector, value in (fields or {}).items():
        field = action.locator(selector)
        if field.get_attribute("type") in ("radio", "checkbox"):
            field.check()
        else:
            field.fill(value)
    for selector, payload in (files or {}).items():
        action.locator(selector).set_input_files(payload)
    if shot:
        shot(page)
    action.locator("button[type=submit]").click()
    page.locator("#dossier .alert-success").wait_for()


def forward_form_shot(page):
    # caret="initial": with Playwright's default (hide the caret) htmx's next swap of the panel
    # trips the page's CSP on an inline style; nothing the page itself does.
    page.screenshot(
        path=str(SCREENSHOTS / "one-stop-forward-form-desktop.png"), full_page=True, caret="initial"
    )


def test_three_dossiers_from_the_counter_to_the_returned_result(live_server, org, counter, pages, screenshot):
    base = live_server.url

    # --- the one-stop officer signs in and receives a marital-status certification, paid in cash ---
    officer = pages.open(DESKTOP)
    officer.context.add_cookies([english(base)])
    sign_in(officer, base, "motcua")
    officer.get_by_role("link", name="Receive a dossier").first.click()
    officer.wait_for_load_state()
    officer.fill("#procedure-q", "hon nhan")
    officer.locator("#procedure-results a[href$='/1.004873/']").wait_for()
    screenshot(officer, "one-stop-choose-procedure-desktop")
    officer.locator("#procedure-results a[href$='/1.004873/']").click()
    officer.wait_for_load_state()
    assert officer.locator("h1").inner_text() == "Cấp Giấy xác nhận tình trạng hôn nhân"

    officer.fill("#id_personal_id", counter.personal_id)
    officer.locator(".lookup-found").wait_for()
    assert "Lò Thị Ánh" in officer.locator(".lookup-found").inner_text()
    component_row(officer, 0).locator("input[type=checkbox]").check()
    component_row(officer, 0).locator("input[type=file]").set_input_files(
        [scan("to-khai-1.pdf"), scan("to-khai-2.pdf")]
    )
    assert re.search(r"To pay: 5[.,]?000 ₫", officer.locator("#fee-total").inner_text())
    officer.fill("#id_cash_receipt_number", "BL-000123")
    screenshot(officer, "one-stop-intake-marital-desktop")
    marital = receive(officer)
    assert officer.get_by_role("link", name="Print the receipt (Form 01)").is_visible()
    receipt_url = officer.get_by_role("link", name="Print the receipt (Form 01)").get_attribute("href")
    receipt = officer.request.get(f"{base}{receipt_url}")
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF-")
    screenshot(officer, "one-stop-dossier-received-desktop")
    dossier = Dossier.objects.get(code=marital)
    assert dossier.status == DossierStatus.RECEIVED and dossier.files.count() == 2

    # --- a certified copy: the fee follows the pages and copies as they are typed (htmx) ---
    officer.goto(f"{base}/dossiers/new/")
    officer.fill("#procedure-q", "chung thuc ban sao")
    officer.locator("#procedure-results a[href$='/2.000815/']").click()
    officer.wait_for_load_state()
    officer.fill("#id_personal_id", counter.personal_id)
    component_row(officer, 0).locator("input[type=checkbox]").check()
    officer.fill("#id_pages", "3")
    officer.fill("#id_copies", "2")
    expect(officer.locator("#fee-total .fee-sum")).to_contain_text(re.compile(r"10[.,]?000 ₫"))
    officer.fill("#id_cash_receipt_number", "BL-000124")
    phone = pages.open(PHONE)
    phone.context.add_cookies(officer.context.cookies())
    phone.goto(officer.url)
    assert_fits_width(phone)
    screenshot(phone, "one-stop-intake-copy-phone")
    copy = receive(officer)
    assert Dossier.objects.get(code=copy).fee_total == 10000

    # --- a birth registration without JavaScript, for a parent not recorded yet; on time: free ---
    plain = open_as(pages, base, org.officer, PHONE, javascript=False)
    plain.goto(f"{base}/dossiers/new/")
    plain.select_option("#id_procedure", "1.001193")
    plain.locator("form:has(#id_procedure) button[type=submit]").click()
    plain.wait_for_load_state()
    new_id = valid_personal_id(serial=777001, female=True)
    plain.fill("#id_personal_id", new_id)
    plain.locator("details.new-person summary").click()
    plain.fill("#id_full_name", "Quàng Thị Mai")
    plain.fill("#id_date_of_birth", "1990-05-17")
    for index in (0, 1):
        component_row(plain, index).locator("input[type=checkbox]").check()
    plain.select_option("#id_exemption", "on-time")
    plain.locator("button[name=intent][value=preview]").click()
    plain.wait_for_load_state()
    assert "0 ₫" in plain.locator("#fee-total").inner_text()
    assert plain.locator("#id_full_name").input_value() == "Quàng Thị Mai"
    # Without a ticked declaration the dossier cannot be received: the page offers Form 02.
    component_row(plain, 0).locator("input[type=checkbox]").uncheck()
    plain.locator("button[name=intent][value=receive]").click()
    plain.wait_for_load_state()
    assert plain.locator("details.notice-path[open]").count() == 1
    assert_fits_width(plain)
    screenshot(plain, "one-stop-intake-incomplete-form02-phone-nojs")
    component_row(plain, 0).locator("input[type=checkbox]").check()
    component_row(plain, 1).locator("input[type=checkbox]").check()
    birth = receive(plain)
    born = Dossier.objects.get(code=birth)
    assert (
        born.citizen.personal_id == new_id and born.fee_total == 0 and born.status == DossierStatus.RECEIVED
    )
    assert_fits_width(plain)
    screenshot(plain, "one-stop-dossier-received-phone-nojs")

    # --- the unit's list and the worklist ---
    officer.goto(f"{base}/dossiers/")
    assert officer.locator(".dossier-table tbody tr").count() == 3
    screenshot(officer, "one-stop-list-desktop")
    phone.goto(f"{base}/dossiers/")
    assert_landmarks(phone)
    assert_fits_width(phone)
    screenshot(phone, "one-stop-list-phone")

    # --- each dossier: officer → specialist → leader → officer, who records and returns the result ---
    specialist = open_as(pages, base, org.specialist)
    leader = open_as(pages, base, org.leader)
    for code in (marital, copy, birth):
        take = forward_form_shot if code == marital else None
        act(officer, base, code, "forward", shot=take)
        if code == marital:
            specialist.goto(f"{base}/dossiers/mine/")
            assert specialist.locator(f"a:text('{code}')").is_visible()
            screenshot(specialist, "one-stop-mine-specialist-desktop")
        act(specialist, base, code, "forward", {"textarea": "Đủ điều kiện"})
        act(leader, base, code, "approve")
        act(officer, base, code, "record-result", files={"input[type=file]": scan("ket-qua.pdf")})
        act(officer, base, code, "return-result", {"input[value=counter]": ""})
        if code == marital:
            screenshot(officer, "one-stop-dossier-returned-desktop")
            phone.goto(f"{base}/dossiers/{code}/")
            assert_fits_width(phone)
            screenshot(phone, "one-stop-dossier-returned-phone")
        act(officer, base, code, "confirm-receipt")
        done = Dossier.objects.get(code=code)
        assert done.status == DossierStatus.RETURNED and done.receipt_confirmed_at is not None
        assert [e.kind for e in done.events.all()][-3:] == [
            "result_recorded",
            "returned",
            "receipt_confirmed",
        ]

    slip = officer.request.get(f"{base}/dossiers/{marital}/control-slip.pdf")
    assert slip.status == 200 and slip.body().startswith(b"%PDF-")
    assert pages.errors == []


def test_a_stale_page_says_someone_else_acted_first(live_server, org, counter, pages, screenshot):
    base = live_server.url
    first = open_as(pages, base, org.officer)
    first.goto(f"{base}/dossiers/new/1.004873/")
    first.fill("#id_personal_id", counter.personal_id)
    component_row(first, 0).locator("input[type=checkbox]").check()
    first.fill("#id_cash_receipt_number", "BL-9")
    code = receive(first)
    second = open_as(pages, base, org.officer, PHONE)
    second.goto(f"{base}/dossiers/{code}/")

    act(first, base, code, "forward")
    action = second.locator("details.action:has(form[action$='/withdraw/'])")
    action.locator("summary").click()
    action.locator("textarea").fill("Công dân xin rút")
    action.locator("button[type=submit]").click()
    second.locator("#dossier .alert-warning").wait_for()

    assert (
        "Someone else acted on this dossier first" in second.locator("#dossier .alert-warning").inner_text()
    )
    assert Dossier.objects.get(code=code).status == DossierStatus.PROCESSING
    assert_fits_width(second)
    screenshot(second, "one-stop-conflict-phone")
    assert pages.errors == []


def test_a_refusal_slip_at_the_counter_on_a_phone(live_server, org, counter, pages, screenshot):
    base = live_server.url
    page = open_as(pages, base, org.officer, PHONE)
    page.goto(f"{base}/dossiers/new/1.004873/")
    page.fill("#id_personal_id", counter.personal_id)
    page.locator("details.notice-path:has(#id_refusal_reason) summary").click()
    page.fill("#id_refusal_reason", "Việc xác nhận thuộc thẩm quyền của xã nơi thường trú.")

    page.locator("button[name=intent][value=refuse]").click()
    page.wait_for_load_state()

    assert "/dossiers/notices/" in page.url
    assert "Việc xác nhận thuộc thẩm quyền" in page.locator("main").inner_text()
    slip = page.request.get(
        base + page.get_by_role("link", name="Print the slip (PDF)").get_attribute("href")
    )
    assert slip.status == 200 and slip.body().startswith(b"%PDF-")
    assert_fits_width(page)
    screenshot(page, "one-stop-refusal-slip-phone")
    assert not Dossier.objects.exists()
    assert pages.errors == []
