"""Reading rendered PDFs back in tests: text (NFC), embedded fonts, QR codes, PNG previews."""

import io
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, NFC-normalised (extractors may hand back decomposed diacritics)."""
    reader = PdfReader(io.BytesIO(data))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    """Whitespace collapsed, so that a phrase wrapped over two lines still matches."""
    return " ".join(text.split())


def embedded_fonts(data: bytes) -> dict[str, str]:
    """BaseFont name -> "<family> | <version>" read from the embedded font program itself."""
    reader = PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            names = program["name"]
            fonts[str(font["/BaseFont"])] = f"{names.getDebugName(1)} | {names.getDebugName(5)}"
    return fonts


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def has_tool(name: str) -> bool:
    return shutil.which(name) is not None


def run_tool(*args: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(args, input=stdin, capture_output=True, check=True, timeout=60)  # noqa: S603
    return result.stdout.decode()


def pdffonts(data: bytes) -> list[str]:
    """Font names as poppler's pdffonts lists them (subset prefix dropped)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        lines = run_tool("pdffonts", fh.name).splitlines()[2:]
    return [line.split()[0].split("+", 1)[-1] for line in lines if line.strip()]


def decode_qr(data: bytes, *, page: int) -> list[str]:
    """QR codes found on a page (1-based) rendered at 150 dpi (at 100, a QR module is ~2 pixels and
    zbar missed one now and then, depending on where the layout put it)."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(data)
        run_tool("pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), str(pdf), f"{tmp}/p")
        png = next(Path(tmp).glob("p-*.png"))
        result = subprocess.run(  # noqa: S603
            ["zbarimg", "--quiet", "--raw", str(png)],  # noqa: S607
            capture_output=True,
            timeout=60,
        )
    return result.stdout.decode().split()
