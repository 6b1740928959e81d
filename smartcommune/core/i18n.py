"""Compile gettext catalogues (.po -> .mo) with Babel, in pure Python.

Django's `compilemessages` needs GNU gettext's msgfmt, which a fresh machine may not have; this needs
only Babel, a dependency. Run as `python -m smartcommune.core.i18n [locale_dir]`.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def compile_catalogs(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Write a .mo beside every .po that is newer than it (or all with force). Returns those written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else LOCALE_DIR
    for path in compile_catalogs(target, force=True):
        print(f"compiled {path}")
