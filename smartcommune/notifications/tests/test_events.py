from datetime import UTC, date, datetime

import pytest
from django.template.loader import get_template

from smartcommune.notifications.events import EVENTS, prepare_context, render_event
from smartcommune.notifications.sms import sms_segments, sms_text

AT = datetime(2026, 8, 20, 1, 0, tzinfo=UTC)
VALUES = {
    "code": "000.01.00.H18-260817-0001",
    "procedure": "Đăng ký khai sinh",
    "due_at": AT,
    "received_at": AT,
    "new_due_at": AT,
    "old_due_at": AT,
    "deadline": date(2026, 8, 30),
    "lookup_url": "https://smartcommune.dienbien.gov.vn/tra-cuu/x",
    "result_url": "https://smartcommune.dienbien.gov.vn/ket-qua/x",
    "office": "Bộ phận Một cửa UBND xã Mường Đun",
    "items": ["Bản sao giấy chứng sinh", "Giấy xác nhận cư trú"],
    "reasons": ["Hồ sơ không thuộc thẩm quyền", "Thiếu chữ ký"],
    "reason": 'Thiếu giấy chứng sinh & chữ ký <người> "đi khai"',
    "how_to_submit": "Nộp trực tuyến hoặc tại Bộ phận Một cửa",
    "how_to_collect": "Nhận tại Bộ phận Một cửa, mang theo CCCD",
    "recipient_name": "Lò Thị Dân",
}


def _context(event: str, *, full: bool) -> dict:
    spec = EVENTS[event]
    keys = spec.required + (spec.optional if full else ())
    return prepare_context(event, {key: VALUES[key] for key in keys})


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("full", [True, False], ids=["all keys", "required keys"])
@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_renders(event, full, language):
    context = _context(event, full=full)
    rendered = render_event(event, context, language=language)
    assert rendered.subject and "\n" not in rendered.subject
    assert VALUES["code"] in rendered.subject
    for text in (rendered.subject, rendered.body, rendered.sms):
        assert "{" not in text and "}" not in text
        assert "&amp;" not in text and "&lt;" not in text and "&quot;" not in text  # plain text, unescaped
    assert VALUES["procedure"] in rendered.body and VALUES["procedure"] in rendered.sms
    for key in ("reason", "how_to_submit", "how_to_collect", "office", "lookup_url", "result_url"):
        if key in context:
            assert context[key] in rendered.body, key
    for key in ("items", "reasons"):
        for value in context.get(key, []):
            assert f"- {value}" in rendered.body
    assert "\n\n\n" not in rendered.body
    assert 1 <= sms_segments(sms_text(rendered.sms)) <= 3


def test_every_event_has_its_keys_documented_in_each_template():
    for event, spec in EVENTS.items():
        for part in ("subject", "body", "sms"):
            source = get_template(f"notifications/{event}/{part}.txt").template.source
            header = source.split("{% endcomment %}")[0]
            for key in (*spec.required, *spec.optional, "recipient_name"):
                assert f"  {key} " in header, (event, part, key)


def test_a_single_string_is_taken_as_a_list_of_one():
    context = prepare_context("dossier.refused", {"code": "x", "procedure": "y", "reasons": "Thiếu chữ ký"})
    assert context["reasons"] == ["Thiếu chữ ký"]


def test_unlisted_events_are_not_checked():
    assert prepare_context("dossiers.assigned", {"a": 1}) == {"a": 1}
