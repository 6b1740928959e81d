"""Vietnamese first, English complete: every message has a Vietnamese translation, and pages switch."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def _catalog(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_every_message_has_a_vietnamese_translation():
    catalog = _catalog("vi")
    untranslated = [
        m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_placeholders_survive_translation():
    for message in _catalog("vi"):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids[:1]:
            for target in strings:
                for token in ("%(", "%s", "%d", "{"):
                    assert source.count(token) == target.count(token), (source, target)


def test_vietnamese_is_the_default_and_english_is_available(settings):
    assert settings.LANGUAGE_CODE == "vi"
    with translation.override("vi"):
        assert translation.gettext("Home") != "Home"
    with translation.override("en"):
        assert translation.gettext("Home") == "Home"


@pytest.mark.django_db
def test_language_switch_changes_the_page_language(client):
    page = client.get("/accounts/login/")
    assert 'lang="vi"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert 'lang="en"' in page.content.decode()
    assert "Password" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "text"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_error_pages_in_both_languages(client, lang, text):
    client.cookies["django_language"] = lang
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_pages_stay_vietnamese_for_an_english_browser_until_english_is_chosen(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
    url = "/api/v1/workdays/due?start=x&amount=1&unit=working_days"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    vietnamese = client.get(url).json()["detail"]
    assert english != vietnamese  # API clients choose their language with Accept-Language
