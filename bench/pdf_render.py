"""Print what rendering an issued PDF costs: a 2-page receipt (Form 01) by default, N runs after a
warm-up, through `documents.rendering.render_document` (template -> HTML -> PDF/A-2b with the shipped
font and the QR code). Storage, hashing and the audit entry are not included.

    .venv/bin/python bench/pdf_render.py [--runs 30] [--template ledger]

Wall time moves with whatever else runs on the machine; CPU time (this process only) moves less.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from smartcommune.documents import samples  # noqa: E402
from smartcommune.documents.rendering import render_document  # noqa: E402

VERIFY_URL = "https://smartcommune.dienbien.gov.vn/verify/0b6e3a52-9d1c-4f3e-8a47-5c2d1e0f9a11/"
CONTEXTS = {
    # 24 dossier components push Form 01 onto a second page.
    "receipt": ("documents/receipt.html", lambda: samples.receipt(components=24)),
    "receipt-1page": ("documents/receipt.html", samples.receipt),
    "ledger": ("documents/ledger.html", samples.ledger),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--template", choices=sorted(CONTEXTS), default="receipt")
    args = parser.parse_args()

    template_name, build = CONTEXTS[args.template]
    context = build() | {"verify_url": VERIFY_URL, "document_number": "15/TTPVHCC"}
    first = time.perf_counter()
    rendered = render_document(template_name, context)  # warm-up: fonts, templates, caches
    cold_ms = (time.perf_counter() - first) * 1000
    wall, cpu = [], []
    for _ in range(args.runs):
        w, c = time.perf_counter(), time.process_time()
        render_document(template_name, context)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)

    print(
        f"{args.template}: {rendered.page_count} page(s), {len(rendered.data) / 1024:.0f} KB, {args.runs} runs"
    )
    print(f"  first render (cold)  {cold_ms:7.0f} ms")
    print(f"  wall  median {statistics.median(wall):7.0f} ms   p95 {percentile(wall, 0.95):7.0f} ms")
    print(f"  cpu   median {statistics.median(cpu):7.0f} ms   p95 {percentile(cpu, 0.95):7.0f} ms")


if __name__ == "__main__":
    main()
