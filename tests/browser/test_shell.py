"""The page shell in a real browser: sign-in, navigation, language switch without JavaScript,
error pages, and the weight of the first page on a slow link.

Screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

import gzip
import re

import pytest
from django.utils import translation

from smartcommune.directory.factories import TEST_PASSWORD, make_citizen_user

from .conftest import ARTIFACTS, DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE_BUDGET = 200 * 1024  # bytes transferred for a first visit, before images (gzip)


def tr(language: str, message: str) -> str:
    """What the server will show for `message` in `language` (the msgid until it is translated)."""
    with translation.override(language):
        return translation.gettext(message)


def sign_in(page, base_url: str, username: str, password: str = TEST_PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def assert_landmarks(page):
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, role
    assert page.locator("h1").count() == 1


def assert_fits_width(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"


def test_login_page_renders_on_phone_and_desktop_in_vietnamese(live_server, pages, screenshot):
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = pages.open(viewport)

        response = page.goto(f"{live_server.url}/accounts/login/")

        assert response.status == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator("h1").inner_text() == tr("vi", "Sign in")
        # Vietnamese diacritics arrive intact (UTF-8 end to end) and are drawn by a font that has them.
        assert page.locator("button[lang=vi]").inner_text() == "Tiếng Việt"
        assert page.locator("button[lang=vi]").get_attribute("aria-current") == "true"
        assert page.get_by_label(
            tr("vi", "Username, personal identification number, phone or e-mail")
        ).is_visible()
        assert page.locator("label[for=id_password]").is_visible()
        assert page.get_by_role("link", name=tr("vi", "Forgot your password?")).is_visible()
        assert "12" in page.locator("main").inner_text()  # the line for citizens
        assert_landmarks(page)
        assert_fits_width(page)
        screenshot(page, f"login-{name}")
    assert pages.errors == []


def test_skip_link_is_first_and_visible_on_focus(live_server, pages):
    page = pages.open(PHONE)
    page.goto(f"{live_server.url}/accounts/password-reset/")  # a page without an autofocused field

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    assert focused.is_visible()
    box = focused.bounding_box()
    assert box["y"] >= 0 and box["height"] > 20


def test_official_signs_in_and_lands_on_home_with_navigation(live_server, org, pages, screenshot):
    page = pages.open(DESKTOP)

    sign_in(page, live_server.url, "motcua")

    assert page.url == f"{live_server.url}/"
    nav = page.get_by_role("navigation", name=tr("vi", "Main"))
    assert nav.is_visible()
    assert nav.get_by_role("link", name=tr("vi", "Home")).get_attribute("aria-current") == "page"
    assert nav.get_by_role("link", name=tr("vi", "Citizens")).is_visible()
    assert page.locator(".brand-unit").inner_text() == "Xã Mường Đun"
    assert org.officer.full_name in page.locator(".site-header").inner_text()
    assert page.locator(".task-card").count() >= 3
    assert_landmarks(page)
    screenshot(page, "home-official-desktop")

    phone = pages.open(PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/")
    menu = phone.locator("details.menu")
    assert not phone.get_by_role("navigation", name=tr("vi", "Main")).is_visible()
    screenshot(phone, "home-official-phone")
    menu.locator("summary").click()
    phone_nav = phone.get_by_role("navigation", name=tr("vi", "Main"))
    assert phone_nav.is_visible()
    assert phone_nav.get_by_role("link").count() == nav.get_by_role("link").count()
    assert_fits_width(phone)
    phone.screenshot(path=str(ARTIFACTS / "screenshots" / "home-official-phone-menu.png"))

    phone.locator(".menu-account button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.url.startswith(f"{live_server.url}/accounts/login/")
    assert pages.errors == []


def test_language_switch_works_without_javascript(live_server, org, pages, screenshot):
    page = pages.open(PHONE, javascript=False)
    sign_in(page, live_server.url, "motcua")
    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "vi"

    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("button[lang=en]").get_attribute("aria-current") == "true"
    assert page.locator("h1").inner_text().startswith("Hello,")
    # The phone menu is a <details>: it opens without JavaScript too.
    page.locator("details.menu summary").click()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").is_visible()
    screenshot(page, "home-official-phone-english-nojs")

    page.locator("button[name=language][value=vi]").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator(".brand-unit").inner_text() == "Xã Mường Đun"
    assert pages.errors == []


def test_not_found_page_in_both_languages(live_server, pages, screenshot):
    page = pages.open(PHONE)

    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")

    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "vi"
    assert tr("vi", "Page not found") in page.locator("h1").inner_text()
    assert "404" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=tr("vi", "Go to the home page")).is_visible()
    assert_landmarks(page)
    assert_fits_width(page)
    screenshot(page, "error-404-vi-phone")

    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/khong-co-trang-nay/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Page not found" in page.locator("h1").inner_text()
    assert page.get_by_text("The page does not exist or you cannot see it.").is_visible()
    screenshot(page, "error-404-en-phone")
    assert pages.errors == []


def test_home_page_weight_is_under_budget(live_server, org, pages):
    signed_in = pages.open(DESKTOP)
    sign_in(signed_in, live_server.url, "motcua")
    # A fresh context with the session cookie only: an empty cache, as on a first visit.
    page = pages.open(DESKTOP)
    page.context.add_cookies(signed_in.context.cookies())
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto(f"{live_server.url}/", wait_until="load")

    rows = []
    for response in responses:
        if response.request.resource_type == "image" or response.status in (301, 302):
            continue
        body = response.body()
        transferred = response.request.sizes()["responseBodySize"]
        rows.append(
            (response.url.removeprefix(live_server.url), len(body), transferred, len(gzip.compress(body)))
        )
    lines = [f"{'resource':60} {'raw':>9} {'sent':>9} {'gzip':>9}"]
    lines += [f"{url[:60]:60} {raw:9,d} {sent:9,d} {gz:9,d}" for url, raw, sent, gz in rows]
    total_raw = sum(r[1] for r in rows)
    total_sent = sum(r[2] for r in rows)
    total_gzip = sum(r[3] for r in rows)
    lines.append(f"{'total':60} {total_raw:9,d} {total_sent:9,d} {total_gzip:9,d}")
    report = "\n".join(lines)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page_weight_home.txt").write_text(report + "\n")
    print(report)

    assert any(re.search(r"bootstrap\.min\.css$", r[0]) for r in rows)
    assert any(r[0].endswith("htmx.min.js") for r in rows)
    assert not any("bootstrap.bundle" in r[0] for r in rows)  # no Bootstrap JS: the menu is CSS only
    assert all(r[0].startswith("/") for r in rows), "every resource is served by us: no CDN"
    assert total_gzip < PAGE_BUDGET
    assert pages.errors == []


def test_citizen_home_and_profile_on_a_phone(live_server, org, pages, screenshot):
    user = make_citizen_user(org.ban_a, full_name="Lò Thị Hương")
    page = pages.open(PHONE)

    sign_in(page, live_server.url, user.username)

    assert page.url == f"{live_server.url}/"
    assert "Lò Thị Hương" in page.locator("h1").inner_text()
    assert user.citizen.masked_personal_id in page.locator("main").inner_text()
    assert user.citizen.personal_id not in page.content()
    assert_fits_width(page)
    screenshot(page, "home-citizen-phone")

    page.goto(f"{live_server.url}/accounts/profile/")
    assert page.locator("h1").inner_text() == tr("vi", "Your profile")
    assert_fits_width(page)
    screenshot(page, "profile-citizen-phone")
    assert pages.errors == []


def test_api_token_is_shown_once_on_the_profile(live_server, org, pages, screenshot):
    page = pages.open(PHONE)
    sign_in(page, live_server.url, "motcua")
    page.goto(f"{live_server.url}/accounts/profile/")

    page.fill("#id_name", "Đồng bộ Cổng DVC quốc gia")
    page.locator("form[action$='/accounts/tokens/new/'] button[type=submit]").click()
    page.wait_for_load_state()

    secret = page.locator("#new-token").input_value()
    assert secret.startswith("sc")
    assert page.locator("#new-token").get_attribute("readonly") is not None
    assert "Đồng bộ Cổng DVC quốc gia" in page.locator(".table-tokens").inner_text()
    assert_fits_width(page)
    screenshot(page, "profile-new-token-phone")

    page.locator(".table-tokens button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("#new-token").count() == 0
    assert page.locator(".table-tokens button[type=submit]").count() == 0
    screenshot(page, "profile-token-revoked-phone")
    assert pages.errors == []


def test_leader_is_sent_to_two_factor_setup_with_a_qr_code(live_server, org, pages, screenshot):
    page = pages.open(PHONE)

    sign_in(page, live_server.url, "lanhdao")

    assert page.url.startswith(f"{live_server.url}/accounts/two-factor/setup/")
    assert page.locator(".qr svg").is_visible()
    key = page.locator(".secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 \n]{16,}", key)
    assert page.locator("#id_token").is_visible()
    assert_fits_width(page)
    screenshot(page, "two-factor-setup-phone")
    assert pages.errors == []


def test_too_many_failed_sign_ins_show_the_lockout_page(live_server, org, pages, screenshot):
    page = pages.open(PHONE)
    for _attempt in range(5):
        sign_in(page, live_server.url, "motcua", password="sai-mat-khau")

    assert page.locator("h1").inner_text().endswith(tr("vi", "Too many attempts"))
    assert page.get_by_role("link", name=tr("vi", "Reset your password")).is_visible()
    screenshot(page, "lockout-phone")
    assert pages.errors == []


def test_directory_lists_fit_a_phone(live_server, org, pages, screenshot):
    page = pages.open(PHONE)
    sign_in(page, live_server.url, "motcua")

    for name, path in (("units", "/units/"), ("citizens", "/citizens/")):
        response = page.goto(f"{live_server.url}{path}")

        assert response.status == 200
        assert_landmarks(page)
        assert_fits_width(page)
        screenshot(page, f"{name}-phone")
    assert pages.errors == []
