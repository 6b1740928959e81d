"""One page shell for both template engines: Django pages (templates/base.html, {% page_shell %}) and
Jinja2 pages (extending core/jinja2/shell.html) show the same header, navigation, messages and
forms, escape what people typed, and carry a CSRF token that the server accepts."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.cache import SessionStore
from django.template.loader import render_to_string
from django.test import Client

from smartcommune.core.jinja_env import querystring
from smartcommune.directory.factories import force_login_verified

DJANGO_PAGE = "/accounts/profile/"  # directory/profile.html, a Django template
JINJA_PAGE = "/dossiers/mine/"  # dossiers/dossier_list.html, a Jinja2 template
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.parametrize("path", [DJANGO_PAGE, JINJA_PAGE])
def test_both_engines_wear_the_same_shell(sign_in, org, path):
    html = sign_in(org.officer).get(path).content.decode()
    assert '<html lang="vi">' in html  # Vietnamese first
    assert '<span class="brand-unit">Xã Mường Đun</span>' in html
    assert html.count("Đăng xuất") == 2  # desktop header and phone menu
    assert f'<input type="hidden" name="next" value="{path}">' in html
    assert 'href="/dossiers/" aria-current="page"' in html or path == DJANGO_PAGE
    assert html.count('<a class="skip-link" href="#main">') == 1
    assert "– SmartCommune</title>" in html and "</footer>" in html


def test_a_django_page_keeps_its_blocks_in_the_shell(sign_in, org):
    html = sign_in(org.officer).get(DJANGO_PAGE).content.decode()
    assert "<title>Trang cá nhân – SmartCommune</title>" in html
    assert html.index('<main id="main"') < html.index("<h1>Trang cá nhân</h1>") < html.index("</main>")


@pytest.mark.parametrize("path", [DJANGO_PAGE, JINJA_PAGE])
def test_the_shell_escapes_the_officials_name(sign_in, org, path):
    org.officer.full_name = '<img src=x onerror="alert(1)">'
    org.officer.save(update_fields=["full_name"])
    html = sign_in(org.officer).get(path).content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert (
        "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
        or "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    )


def test_messages_show_in_the_shell_by_level_and_escaped(rf, org):
    request = rf.get("/")
    request.user, request.session = org.officer, SessionStore()
    request._messages = default_storage(request)
    messages.error(request, "<b>Không lưu được</b>")
    messages.success(request, "Đã lưu")
    html = render_to_string("base.html", {}, request)
    assert '<div class="alert alert-danger" role="alert">&lt;b&gt;Không lưu được&lt;/b&gt;</div>' in html
    assert '<div class="alert alert-success" role="status">Đã lưu</div>' in html
    assert list(default_storage(request)) == []  # shown once: not kept for the next page


@pytest.mark.parametrize("path", [DJANGO_PAGE, JINJA_PAGE])
def test_the_shells_csrf_token_is_accepted(org, path):
    browser = Client(enforce_csrf_checks=True)
    force_login_verified(browser, org.officer)
    token = TOKEN.search(browser.get(path).content.decode())[1]
    refused = browser.post("/i18n/setlang/", {"language": "en", "next": path})
    assert refused.status_code == 403
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": path, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and switched["Location"] == path
    assert '<html lang="en">' in browser.get(path).content.decode()


def test_a_page_has_one_csrf_token_for_all_its_forms(sign_in, org):
    html = sign_in(org.officer).get(JINJA_PAGE).content.decode()
    tokens = TOKEN.findall(html)
    assert len(tokens) == 4 and len(set(tokens)) == 1  # language, sign out (twice), bulk printing
    assert f'"X-CSRFToken": "{tokens[0]}"' in html


def test_django_pages_draw_the_jinja2_tabs(sign_in, org):
    html = sign_in(org.officer).get("/dossiers/new/").content.decode()
    assert 'class="dossier-tabs"' in html
    assert re.search(r'href="/dossiers/new/" aria-current="page">[^<]+</a>', html)


def test_querystring_keeps_the_filters_and_changes_the_page(rf):
    request = rf.get("/dossiers/", {"status": "4", "q": "Lò Văn <A>", "page": "1"})
    assert querystring(request, page=2) == "?status=4&q=L%C3%B2+V%C4%83n+%3CA%3E&page=2"
    assert querystring(request, page=None) == "?status=4&q=L%C3%B2+V%C4%83n+%3CA%3E"
    assert querystring(rf.get("/"), page=None) == ""
