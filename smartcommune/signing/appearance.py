"""What a signature looks like on the page (Decree 30/2020/NĐ-CP, Appendix I, boxes 7c, 8 and 14).

- The signer's block: who signed, for which agency, when (ISO 8601, Vietnam time), in blue.
- The agency's seal: a red round seal image, placed over the left third of the signer's block.
- An attachment's agency signature: top right of the first page, no image, the document's number
  and symbol and the signing time, Times-metric, size 10, black.

Stamp text goes through pyHanko's glyph accumulator with Liberation Serif. pyHanko writes glyph
widths in font units as if the font had 1000 units per em; Liberation has 2048, so letters would be
drawn about twice apart. A copy rescaled to 1000 upem is made at run time in a cache folder (not
shipped: the OFL forbids distributing a modified font under its reserved name).
"""

import functools
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import StaticStampStyle, TextStampStyle

from .choices import Appearance

FONTS_DIR = Path(settings.BASE_DIR) / "fonts"
REGULAR = "LiberationSerif-Regular.ttf"
BOLD = "LiberationSerif-Bold.ttf"
MM = 72 / 25.4
SEAL_RED = (218, 37, 29, 255)
SIGNER_BLUE = (0.05, 0.2, 0.65)
SEAL_PIXELS = 480


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in PDF user space (points, origin bottom left)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def box_from_top(*, page: int, x: float, y: float, width: float, height: float, page_height: float) -> Box:
    """Convert a rectangle measured from the top-left corner (as the renderer reports anchors)."""
    return Box(page=page, x1=x, y1=page_height - y - height, x2=x + width, y2=page_height - y)


def seal_box(signer: Box) -> Box:
    """The seal: a square as tall as the signer's block, its right edge at one third of the block's
    width, so that it covers the left third of the signature (Decree 30, Appendix I, box 8)."""
    size = min(signer.y2 - signer.y1, 40 * MM)
    centre_y = (signer.y1 + signer.y2) / 2
    right = signer.x1 + (signer.x2 - signer.x1) / 3
    return Box(page=signer.page, x1=right - size, y1=centre_y - size / 2, x2=right, y2=centre_y + size / 2)


def attachment_box(*, page_width: float, page_height: float) -> Box:
    """Top right of the first page, in the top margin (20-25 mm, Decree 30) above the national
    motto, right edge on the 15 mm right margin."""
    width, height = 75 * MM, 14 * MM
    right, top = page_width - 15 * MM, page_height - 4 * MM
    return Box(page=0, x1=right - width, y1=top - height, x2=right, y2=top)


def default_signer_box(*, page: int, page_width: float) -> Box:
    """Where the signer's block goes when the PDF has no anchor for it (an uploaded result): the
    right half of the last page's lower part, as in the Decree 30 layout."""
    return Box(page=page, x1=page_width / 2 + 10 * MM, y1=30 * MM, x2=page_width - 20 * MM, y2=62 * MM)


def _cache_dir() -> Path:
    path = Path(tempfile.gettempdir()) / f"smartcommune-fonts-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


# What stamps write: Latin, Vietnamese letters (precomposed and combining marks), punctuation.
STAMP_CHARACTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *range(0x1A0, 0x1B1),
    *range(0x300, 0x324),
    *range(0x1EA0, 0x1EFA),
    *range(0x2010, 0x2027),
]


@functools.cache
def stamp_font(name: str = REGULAR) -> str:
    """Path of a 1000-upem copy of a shipped font (made once per machine), cut down to the
    characters stamps use: pyHanko subsets the font again at every signature, and a font of 700
    glyphs instead of 2,600 makes that several times faster."""
    source = FONTS_DIR / name
    target = _cache_dir() / f"{source.stem}-{int(source.stat().st_mtime)}-1000upem-vi.ttf"
    if not target.exists():
        font = TTFont(source)
        scale_upem(font, 1000)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(unicodes=STAMP_CHARACTERS)
        subsetter.subset(font)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(partial)
        partial.replace(target)
    return str(target)


@functools.cache
def seal_image(agency: str, parent: str) -> Image.Image:
    """A red round seal: the agency's name around the upper rim, its parent around the lower rim,
    a star in the middle (the commune People's Committee seal, drawn, not a legal replica)."""
    size = SEAL_PIXELS
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    draw.ellipse((6, 6, size - 6, size - 6), outline=SEAL_RED, width=10)
    draw.ellipse((78, 78, size - 78, size - 78), outline=SEAL_RED, width=4)
    font = ImageFont.truetype(str(FONTS_DIR / BOLD), 34)
    _arc_text(image, agency.upper(), font, radius=c - 48, centre=c, top=True)
    if parent:
        _arc_text(image, parent.upper(), font, radius=c - 48, centre=c, top=False)
    points = [
        (c + r * math.sin(math.radians(36 * i)), c - r * math.cos(math.radians(36 * i)))
        for i, r in ((i, 60 if i % 2 == 0 else 24) for i in range(10))
    ]
    draw.polygon(points, fill=SEAL_RED)
    return image


def _arc_text(image: Image.Image, text: str, font, *, radius: float, centre: float, top: bool) -> None:
    """Draw `text` along a circle, each letter upright to the rim."""
    widths = [font.getlength(ch) for ch in text]
    total = sum(widths) + 4 * (len(text) - 1)
    angle_span = min(math.degrees(total / radius), 160 if top else 120)
    scale = angle_span / max(math.degrees(total / radius), 1e-6)
    angle = -angle_span / 2
    for ch, w in zip(text, widths, strict=True):
        step = math.degrees((w + 4) / radius) * scale
        mid = angle + step / 2
        theta = math.radians(mid if top else 180 - mid)
        x = centre + radius * math.sin(theta)
        y = centre - radius * math.cos(theta)
        glyph = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((32, 32), ch, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-mid if top else mid, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(glyph, (round(x - 32), round(y - 32)))
        angle += step


def _text_style(*, font_size: int, color=(0, 0, 0), font: str = REGULAR) -> TextBoxStyle:
    return TextBoxStyle(
        font=GlyphAccumulatorFactory(stamp_font(font), font_size=font_size),
        font_size=font_size,
        leading=round(font_size * 1.15),
        border_width=0,
        text_color=color,
        box_layout_rule=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(2)
        ),
    )


SIGNER_TEXT = "Ký bởi: %(name)s\nCơ quan: %(agency)s\nThời gian: %(time)s"
ATTACHMENT_TEXT = "%(agency)s\nSố: %(number)s\nThời gian: %(time)s"


def stamp_style(appearance: str, *, agency: str = "", parent: str = ""):
    """The pyHanko stamp style of an appearance (None for an invisible signature)."""
    if appearance == Appearance.SIGNER:
        return TextStampStyle(
            stamp_text=SIGNER_TEXT,
            text_box_style=_text_style(font_size=9, color=SIGNER_BLUE),
            border_width=0,
            background=None,
        )
    if appearance == Appearance.SEAL:
        return StaticStampStyle(
            background=PdfImage(seal_image(agency, parent)), background_opacity=1.0, border_width=0
        )
    if appearance == Appearance.ATTACHMENT:
        return TextStampStyle(
            stamp_text=ATTACHMENT_TEXT, text_box_style=_text_style(font_size=10), border_width=0
        )
    return None
