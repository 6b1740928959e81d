"""Looking at signed PDFs in tests: render a page with poppler and count coloured pixels in a box."""

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

DPI = 72  # one pixel per PDF point: boxes map straight onto the image


def render_page(data: bytes, *, page: int = 1) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(data)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-r", str(DPI), "-png", "-f", str(page), "-l", str(page), str(pdf), f"{tmp}/p"],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=60,
        )
        png = next(Path(tmp).glob("p-*.png"))
        return Image.open(png).convert("RGB").copy()


def count_pixels(image: Image.Image, box, predicate) -> int:
    """Pixels matching `predicate(r, g, b)` inside `box` (PDF points, origin bottom left)."""
    height = image.height
    left, top = max(0, int(box.x1)), max(0, int(height - box.y2))
    right, bottom = min(image.width, int(box.x2)), min(height, int(height - box.y1))
    region = image.crop((left, top, right, bottom))
    raw = region.tobytes()
    return sum(1 for i in range(0, len(raw), 3) if predicate(raw[i], raw[i + 1], raw[i + 2]))


def is_red(r, g, b) -> bool:
    return r > 150 and g < 110 and b < 110


def is_blue(r, g, b) -> bool:
    return b > 110 and r < 90 and b > g + 30
