"""HTML templates to PDF with WeasyPrint: the one renderer of every issued document.

Fonts: Liberation Serif 2 from the repository's `fonts/` folder (SIL OFL; metric-compatible with Times
New Roman, which Decree 30 prescribes, and complete for Vietnamese). It is declared with @font-face
under a family name of its own, so that a broken declaration cannot pass unnoticed by silently using
a system copy: `pdffonts` would show another name. The @font-face stylesheet needs `base_url` and the
same FontConfiguration as the rendering, or WeasyPrint drops it and falls back to DejaVu.

Output is PDF/A-2b (ISO 19005-2): documents are kept for ten years and more.
"""

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONTS_DIR = Path(settings.BASE_DIR) / "fonts"
FONT_FAMILY = "SmartCommune Liberation Serif"
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}
PDF_VARIANT = "pdf/a-2b"
# CSS pixels (1/96 in) to PDF points (1/72 in).
PX_TO_PT = 0.75


class LocalFontsFetcher(URLFetcher):
    """Lets the renderer read the shipped fonts and `data:` URIs, nothing else: whatever a template
    or a context value contains, rendering never opens another local file nor reaches the network."""

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.parent == FONTS_DIR.resolve() and path.name in FONT_FILES.values():
                return super().fetch(url, headers)
        raise ValueError(f"not allowed in an issued document: {url}")


@dataclass(frozen=True)
class Anchor:
    """Where an element with an `id` landed: page index (0-based) and its border box in PDF points,
    measured from the top-left corner of the page. Signing uses it to place a signature box."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int
    anchors: dict[str, Anchor]


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{name}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for (weight, style), name in FONT_FILES.items()
    )


# One font configuration per process, built on first use: registering the fonts costs ~10 ms. It is
# shared state inside Pango/fontconfig, so renderings in one process take turns (threaded servers).
_lock = threading.Lock()


@functools.cache
def _fonts() -> tuple[FontConfiguration, CSS]:
    font_config = FontConfiguration()
    stylesheet = CSS(
        string=font_face_css(),
        base_url=FONTS_DIR.as_uri() + "/",
        font_config=font_config,
        url_fetcher=LocalFontsFetcher(),
    )
    return font_config, stylesheet


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code of `data`, sized by CSS (no width/height of its own)."""
    qr = segno.make(data, error="m", micro=False)
    return mark_safe(qr.svg_inline(border=0, omitsize=True, dark="#000"))  # noqa: S308 - segno's own markup


def render_html(template_name: str, context: dict) -> str:
    """The document's HTML. Adds `qr_svg` when the context has a `verify_url` and no QR yet."""
    context = dict(context)
    if context.get("verify_url") and not context.get("qr_svg"):
        context["qr_svg"] = qr_svg(context["verify_url"])
    if context.get("lookup_url") and not context.get("lookup_qr_svg"):
        context["lookup_qr_svg"] = qr_svg(context["lookup_url"])
    context.setdefault("font_family", FONT_FAMILY)
    return render_to_string(template_name, context)


def render_document(template_name: str, context: dict) -> RenderedPdf:
    """Render a document template to PDF, with the positions of its elements that have an id."""
    html = HTML(
        string=render_html(template_name, context),
        base_url=FONTS_DIR.as_uri() + "/",
        url_fetcher=LocalFontsFetcher(),
    )
    with _lock:
        font_config, font_css = _fonts()
        document = html.render(font_config=font_config, stylesheets=[font_css])
        data = document.write_pdf(pdf_variant=PDF_VARIANT)
    anchors = {
        name: Anchor(page=index, **_points(x1=x1, y1=y1, x2=x2, y2=y2))
        for index, page in enumerate(document.pages)
        for name, (x1, y1, x2, y2) in page.anchors.items()
    }
    return RenderedPdf(data=data, page_count=len(document.pages), anchors=anchors)


def _points(*, x1, y1, x2, y2) -> dict[str, float]:
    return {
        "x": round(x1 * PX_TO_PT, 2),
        "y": round(y1 * PX_TO_PT, 2),
        "width": round((x2 - x1) * PX_TO_PT, 2),
        "height": round((y2 - y1) * PX_TO_PT, 2),
    }


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a document template to PDF bytes (previews, tests). Issuing goes through
    `services.document_issue`, which also stores, hashes and records the document."""
    return render_document(template_name, context).data
