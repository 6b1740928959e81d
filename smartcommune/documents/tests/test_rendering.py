"""Each form renders to an A4 PDF in the shipped font, with its Vietnamese text intact and a QR
code leading to the verification page. Each form is rendered once per run (about 0.2 s each)."""

import functools
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from smartcommune.documents import samples
from smartcommune.documents.rendering import FONT_FAMILY, LocalFontsFetcher, render_document, render_html

from .pdf_tools import decode_qr, embedded_fonts, flat, has_tool, page_sizes, pdf_text, pdffonts

VERIFY_URL = "https://smartcommune.dienbien.gov.vn/verify/0b6e3a52-9d1c-4f3e-8a47-5c2d1e0f9a11/"
ISSUED_AT = datetime(2026, 8, 13, 10, 25, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
A4 = (595.28, 841.89)
HEADER = [
    "ỦY BAN NHÂN DÂN",
    "XÃ MƯỜNG ĐUN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 15/TTPVHCC",
    "Mường Đun, ngày 13 tháng 8 năm 2026",
    VERIFY_URL,
]
EXPECTED = {
    "documents/receipt.html": [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.01.00.H18-260813-0001",
        "Tổ chức, cá nhân: Nguyễn Thị Ánh Tuyết",
        "Số định danh cá nhân/Mã số tổ chức: 011190001234",
        "người được ủy quyền: Lò Văn Đức",
        "chứng thực tại UBND xã Phìn Hồ",
        "Nội dung yêu cầu giải quyết: Cấp Giấy xác nhận tình trạng hôn nhân",
        "Giấy tờ tùy thân có ảnh (Căn cước)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 10:20, 13/08/2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 10:20, 18/08/2026",
        "10.000 đồng",
        "Quyển số: 01/2026, Số thứ tự: 125",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Quàng Thị Hương",
    ],
    "documents/supplement_request.html": [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Hồ sơ của: Nguyễn Thị Ánh Tuyết",
        "1. Bổ sung bản chính Giấy chứng sinh do Trạm Y tế xã Phìn Hồ cấp.",
        "Lý do: Hồ sơ thiếu Giấy chứng sinh",
        "số điện thoại 0215 3845 123 để được hướng dẫn./.",
        "NGƯỜI HƯỚNG DẪN",
    ],
    "documents/refusal.html": [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Tổ chức, cá nhân: Lò Văn Đức",
        "Mã hồ sơ (nếu có): 000.01.00.H18-260813-0003",
        "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã Mường Đun.",
    ],
    "documents/apology.html": [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Nguyễn Thị Ánh Tuyết",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 10:20, 18/08/2026.",
        "Lý do: Cần xác minh tình trạng hôn nhân",
        "16:00, 21/08/2026",
        "TM. ỦY BAN NHÂN DÂN",
        "Giàng A Dế",
    ],
    "documents/control_slip.html": [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Cơ quan phối hợp giải quyết hồ sơ: Ủy ban nhân dân xã Phìn Hồ",
        "Người giao: Quàng Thị Hương",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Đã xác minh tại xã Phìn Hồ",
    ],
    "documents/ledger.html": [
        "SỔ THEO DÕI HỒ SƠ",
        "Lĩnh vực: Hộ tịch; Chứng thực",
        "Trần Thị Thuỳ Dương",
        "Quàng Thị Ỷ",
        "Bản Huổi Lếch;",
        "Dịch vụ bưu chính công ích",
    ],
}


def _context(template_name: str, **overrides) -> dict:
    # 16 ledger rows make three pages: enough to see the header repeat, quicker than the sample's 40.
    sample = (
        samples.ledger(rows=16)
        if template_name == "documents/ledger.html"
        else samples.SAMPLES[template_name]()
    )
    return (
        sample
        | {
            "verify_url": VERIFY_URL,
            "issued_at": ISSUED_AT,
            "document_number": "15/TTPVHCC",
        }
        | overrides
    )


@functools.cache
def _rendered(template_name: str):
    return render_document(template_name, _context(template_name))


@functools.cache
def _text(template_name: str) -> str:
    return flat("\n".join(pdf_text(_rendered(template_name).data)))


@pytest.mark.parametrize("template_name", sorted(EXPECTED))
def test_every_form_prints_its_vietnamese_text_intact(template_name):
    text = _text(template_name)
    for phrase in [*HEADER, *EXPECTED[template_name]]:
        assert unicodedata.normalize("NFC", phrase) in text, phrase


@pytest.mark.parametrize("template_name", sorted(EXPECTED))
def test_every_form_embeds_only_the_shipped_liberation_serif_2(template_name):
    fonts = embedded_fonts(_rendered(template_name).data)
    assert fonts
    for base_font, program in fonts.items():
        assert base_font.split("+", 1)[1].startswith(FONT_FAMILY.replace(" ", "-")), base_font
        assert program.startswith("Liberation Serif | Version 2."), program


@pytest.mark.skipif(not has_tool("pdffonts"), reason="poppler-utils (pdffonts) not installed")
def test_pdffonts_sees_liberation_serif_and_no_fallback():
    names = pdffonts(_rendered("documents/receipt.html").data)
    assert names
    assert all(name.startswith("SmartCommune-Liberation-Serif") for name in names), names
    assert not any("DejaVu" in name for name in names)


def test_every_vietnamese_letter_survives_rendering():
    vowels = "aăâeêioôơuưy"
    letters = [
        unicodedata.normalize("NFC", v + mark)
        for v in vowels + vowels.upper()
        for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    ] + ["đ", "Đ"]
    alphabet = " ".join(letters)
    data = render_document(
        "documents/refusal.html", _context("documents/refusal.html", reasons=[alphabet])
    ).data
    assert alphabet in flat(pdf_text(data)[0])
    assert set(embedded_fonts(data).values()) <= {"Liberation Serif | Version 2.1.5"}


@pytest.mark.parametrize("template_name", sorted(EXPECTED))
def test_pages_are_a4_portrait_except_the_landscape_ledger(template_name):
    sizes = page_sizes(_rendered(template_name).data)
    expected = tuple(reversed(A4)) if template_name == "documents/ledger.html" else A4
    assert all(pytest.approx(size, abs=0.5) == expected for size in sizes)


def test_text_starts_at_the_decree_30_left_margin():
    # Every signature cell starts at 30 mm (85.04 pt) from the left edge: the left margin.
    anchors = _rendered("documents/receipt.html").anchors
    assert anchors["sig-submitter"].x == pytest.approx(30 / 25.4 * 72, abs=0.1)
    assert anchors["sig-receiver"].page == 0


def test_ledger_runs_over_pages_and_repeats_its_table_header():
    pages = pdf_text(_rendered("documents/ledger.html").data)
    assert len(pages) >= 3
    for page in pages:
        assert "Tên thủ tục hành chính" in flat(page)
        assert "Phương thức nhận kết quả" in flat(page)
    assert "260818-0016" in flat(pages[-1])  # the last row; its code wraps after "H18-"


def test_qr_svg_and_verify_url_are_in_the_html():
    html = render_html("documents/receipt.html", _context("documents/receipt.html"))
    assert "<svg" in html and 'class="segno"' in html
    assert VERIFY_URL in html


def test_qr_caption_is_on_the_last_page_only():
    pages = [flat(page) for page in pdf_text(_rendered("documents/ledger.html").data)]
    assert VERIFY_URL in pages[-1]
    assert not any(VERIFY_URL in page for page in pages[:-1])


@pytest.mark.skipif(not (has_tool("pdftoppm") and has_tool("zbarimg")), reason="pdftoppm or zbarimg missing")
@pytest.mark.parametrize("template_name", ["documents/receipt.html", "documents/ledger.html"])
def test_qr_code_decodes_to_the_verify_url(template_name):
    data = _rendered(template_name).data
    assert decode_qr(data, page=len(pdf_text(data))) == [VERIFY_URL]


def test_context_values_are_escaped_not_rendered_as_html():
    context = _context("documents/refusal.html", reasons=['<img src="file:///etc/hostname"> & <b>x</b>'])
    html = render_html("documents/refusal.html", context)
    assert "&lt;img src=&quot;file:///etc/hostname&quot;&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://example.com/x.png", "https://example.com/font.ttf", "ftp://x/y"]
)
def test_renderer_fetches_nothing_but_the_shipped_fonts(url):
    with pytest.raises(ValueError, match="not allowed"):
        LocalFontsFetcher().fetch(url)


def test_renderer_reads_the_shipped_fonts():
    from smartcommune.documents.rendering import FONTS_DIR

    response = LocalFontsFetcher().fetch((FONTS_DIR / "LiberationSerif-Regular.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()
