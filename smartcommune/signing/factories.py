"""Test helpers: a local PKI for the `org` fixture's province, and signed sample PDFs."""

import functools
import http.server
import threading
from types import SimpleNamespace

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .choices import CertificateKind
from .services import ca_create, certificate_issue, key_material


def make_pki(org) -> SimpleNamespace:
    """Root and issuing CA for the province, Mường Đun's agency certificate, the leader's."""
    root, issuing = ca_create(actor=None, province=org.province)
    agency = certificate_issue(
        actor=None, issuer=issuing, kind=CertificateKind.AGENCY, org_unit=org.muong_dun
    )
    leader = certificate_issue(
        actor=None,
        issuer=issuing,
        kind=CertificateKind.OFFICIAL,
        org_unit=org.muong_dun,
        owner_user=org.leader,
    )
    return SimpleNamespace(root=root, issuing=issuing, agency=agency, leader=leader)


@functools.cache
def sample_pdf() -> tuple[bytes, dict]:
    """The apology slip (two signature anchors' worth of layout), rendered once per process."""
    from smartcommune.documents import samples
    from smartcommune.documents.rendering import render_document

    rendered = render_document("documents/apology.html", samples.apology())
    return rendered.data, rendered.anchors


class LocalTsa:
    """A tiny RFC 3161 endpoint for tests (pyHanko ships no server): pyHanko's DummyTimeStamper
    behind `http.server` in a thread, with a TSA certificate from the local CA."""

    def __init__(self, certificate):
        material = key_material(certificate)
        stamper = DummyTimeStamper(
            tsa_cert=material.certificate,
            tsa_key=asn1_keys.PrivateKeyInfo.load(material.key_der),
            certs_to_embed=SimpleCertificateStore.from_certs(list(material.chain)),
        )
        self.requests = 0
        tsa = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                response = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                tsa.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
