"""Print what signing and verifying a document costs, against pyHanko's own bare sign and verify of
the same file with the same RSA-2048 key in the same run (the ratio is our overhead).

    .venv/bin/python bench/sign_verify.py [--runs 40]

The document is the 2-page receipt (Form 01, 24 components), rendered once. "ours" goes through
`signing.services.pdf_sign` (registry lookup, key unsealing, chain, Vietnamese visible stamp,
B-B: no TSA here) and `signing.verification.verify_pdf` with the trust material read from the
database (roots, CAs, CRLs) and the verdict rules. "bare" is `PdfSigner(...).sign_pdf` with an
in-memory SimpleSigner and an invisible field, and `validate_pdf_signature` against the root.
A throw-away SQLite database in a temporary folder holds the registry.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="sc-bench-sign-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from asn1crypto import keys as asn1_keys  # noqa: E402
from asn1crypto import x509 as asn1_x509  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign import fields, signers  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402
from pyhanko_certvalidator.registry import SimpleCertificateStore  # noqa: E402

from smartcommune.directory.choices import OrgUnitKind  # noqa: E402
from smartcommune.directory.factories import make_official, make_province, make_unit  # noqa: E402
from smartcommune.documents import samples  # noqa: E402
from smartcommune.documents.rendering import render_document  # noqa: E402
from smartcommune.signing import pki, selectors, services, verification  # noqa: E402
from smartcommune.signing.choices import Appearance, CertificateKind  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--ltv", action="store_true", help="embed LTV data (certificates and CRLs) as well")
    args = parser.parse_args()
    settings.SIGNING["EMBED_LTV"] = args.ltv
    settings.SIGNING["TSA_URL"] = ""

    call_command("migrate", verbosity=0)
    province = make_province(code="000.00.00.H18")
    commune = make_unit(province, "Xã Mường Đun", OrgUnitKind.COMMUNE, code="000.01.00.H18")
    leader = make_official(commune, "commune_leader", username="lanhdao")
    _root, issuing = services.ca_create(actor=None, province=province)
    cert = services.certificate_issue(
        actor=None, issuer=issuing, kind=CertificateKind.OFFICIAL, org_unit=commune, owner_user=leader
    )
    rendered = render_document("documents/receipt.html", samples.receipt(components=24))
    pdf = rendered.data
    box = services.anchor_box(rendered.anchors["sig-receiver"])

    material = services.key_material(cert)
    bare_signer = signers.SimpleSigner(
        signing_cert=material.certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(material.key_der),
        cert_registry=SimpleCertificateStore.from_certs(list(material.chain)),
    )
    root_cert = asn1_x509.Certificate.load(bytes(_root.der))

    def bare_sign() -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name="Sig1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return signers.PdfSigner(meta, bare_signer).sign_pdf(writer, bytes_reserved=16384).getvalue()

    def ours_sign(appearance=Appearance.SIGNER) -> bytes:
        return services.pdf_sign(pdf, certificate=cert, appearance=appearance, box=box).data

    signed_bare, signed_ours = bare_sign(), ours_sign()

    def bare_verify() -> None:
        reader = PdfFileReader(io.BytesIO(signed_bare))
        status = validate_pdf_signature(
            reader.embedded_signatures[0], ValidationContext(trust_roots=[root_cert])
        )
        assert status.bottom_line

    def ours_verify() -> None:
        report = verification.verify_pdf(signed_ours, trust=selectors.trust_material())
        assert report.ok, report.verdict

    results = {
        "sign, bare pyHanko (invisible)": timed(bare_sign, args.runs),
        "sign, ours (invisible)": timed(lambda: ours_sign(Appearance.INVISIBLE), args.runs),
        "sign, ours (visible Vietnamese stamp)": timed(ours_sign, args.runs),
        "verify, bare pyHanko": timed(bare_verify, args.runs),
        "verify, ours (report + CRL + DB trust)": timed(ours_verify, args.runs),
    }
    print(
        f"2-page A4 receipt, {len(pdf) / 1024:.0f} KB, RSA-{pki.RSA_BITS}, {args.runs} runs each, "
        f"LTV {'on' if args.ltv else 'off'}, B-B (no TSA)"
    )
    for label, values in results.items():
        print(
            f"  {label:42} median {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
        )
    med = {k: statistics.median(v) for k, v in results.items()}
    print(
        f"  overhead sign (invisible / visible): {med['sign, ours (invisible)'] / med['sign, bare pyHanko (invisible)']:.2f}x"
        f" / {med['sign, ours (visible Vietnamese stamp)'] / med['sign, bare pyHanko (invisible)']:.2f}x"
    )
    print(
        f"  overhead verify: {med['verify, ours (report + CRL + DB trust)'] / med['verify, bare pyHanko']:.2f}x"
    )


if __name__ == "__main__":
    main()
