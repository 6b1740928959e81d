import io

import pytest
from pypdf import PdfReader

from smartcommune.signing import selectors, services, verification
from smartcommune.signing.appearance import Box, attachment_box, seal_box
from smartcommune.signing.choices import Appearance, SignatureLevel
from smartcommune.signing.engine import SigningFailed

from .pdf_checks import count_pixels, is_blue, is_red, render_page

pytestmark = pytest.mark.django_db


def _verify(data):
    return verification.verify_pdf(data, trust=selectors.trust_material())


def test_without_tsa_the_signature_is_pades_b_b_and_verifies(pki, unsigned_pdf):
    signed = services.pdf_sign(unsigned_pdf, certificate=pki.agency)

    assert signed.level == SignatureLevel.B_B
    assert signed.data.startswith(unsigned_pdf)  # an incremental update: the original bytes untouched
    report = _verify(signed.data)
    assert report.verdict == verification.Verdict.VALID
    [facts] = report.signatures
    assert (facts.signer, facts.organisation) == ("Xã Mường Đun", "Xã Mường Đun")
    assert facts.timestamp_at is None and facts.level == "B-B"
    assert facts.covers_entire_file and facts.trusted and facts.intact


def test_with_a_tsa_the_signature_is_pades_b_t_with_a_trusted_timestamp(pki, tsa, unsigned_pdf):
    signed = services.pdf_sign(unsigned_pdf, certificate=pki.leader)

    assert signed.level == SignatureLevel.B_T
    assert tsa.requests == 1
    [facts] = _verify(signed.data).signatures
    assert facts.timestamp_trusted and facts.level == "B-T"
    assert abs((facts.timestamp_at - facts.signed_at).total_seconds()) < 60


def test_an_unreachable_tsa_fails_the_signing_and_returns_nothing(pki, unsigned_pdf, settings):
    settings.SIGNING = {**settings.SIGNING, "TSA_URL": "http://127.0.0.1:9/tsa"}
    with pytest.raises(SigningFailed):
        services.pdf_sign(unsigned_pdf, certificate=pki.leader)


def test_sequential_signatures_leader_then_agency_seal_both_stay_valid(pki, tsa, unsigned_pdf, anchors):
    box = services.anchor_box(anchors["sig-head"])
    first = services.pdf_sign(unsigned_pdf, certificate=pki.leader, appearance=Appearance.SIGNER, box=box)
    second = services.pdf_sign(
        first.data, certificate=pki.agency, appearance=Appearance.SEAL, box=seal_box(box)
    )

    assert second.data.startswith(first.data)
    report = _verify(second.data)
    assert report.verdict == verification.Verdict.VALID
    leader, agency = report.signatures
    assert leader.signer == pki.leader.owner_user.get_full_name()
    assert agency.signer == "Xã Mường Đun"
    assert leader.intact and not leader.changed_after and leader.coverage == "ENTIRE_REVISION"
    assert agency.coverage == "ENTIRE_FILE"
    assert PdfReader(io.BytesIO(second.data)).pages[0].get("/Annots") is not None


def test_seal_is_red_and_overlaps_the_left_third_of_the_blue_signer_block(pki, unsigned_pdf, anchors):
    box = services.anchor_box(anchors["sig-head"])
    seal = seal_box(box)
    signed = services.pdf_sign(unsigned_pdf, certificate=pki.leader, appearance=Appearance.SIGNER, box=box)
    signed = services.pdf_sign(signed.data, certificate=pki.agency, appearance=Appearance.SEAL, box=seal)

    # Geometry (Decree 30, box 8): the seal ends at one third of the signer's block.
    assert seal.x2 == pytest.approx(box.x1 + (box.x2 - box.x1) / 3)
    assert seal.x1 < box.x1 < seal.x2
    before, after = render_page(unsigned_pdf), render_page(signed.data)
    assert count_pixels(before, seal, is_red) == 0
    assert count_pixels(after, seal, is_red) > 500
    right_part = Box(page=0, x1=seal.x2 + 2, y1=box.y1, x2=box.x2, y2=box.y2)
    assert count_pixels(after, right_part, is_blue) > 50
    assert count_pixels(after, right_part, is_red) == 0


def test_attachment_signature_sits_top_right_of_the_first_page_without_an_image(pki, unsigned_pdf):
    signed = services.pdf_sign(
        unsigned_pdf, certificate=pki.agency, appearance=Appearance.ATTACHMENT, number="12/QĐ-UBND"
    )

    width, height = 595.28, 841.89
    box = attachment_box(page_width=width, page_height=height)
    assert box.x2 > width * 0.9 and box.y2 > height * 0.95
    before, after = render_page(unsigned_pdf), render_page(signed.data)
    dark = lambda r, g, b: r < 100 and g < 100 and b < 100  # noqa: E731
    assert count_pixels(before, box, dark) == 0
    assert count_pixels(after, box, dark) > 100  # black text
    assert count_pixels(after, box, is_red) == 0 and count_pixels(after, box, is_blue) == 0
    assert _verify(signed.data).verdict == verification.Verdict.VALID


def test_a_garbage_file_cannot_be_signed(pki):
    with pytest.raises(SigningFailed):
        services.pdf_sign(b"%PDF-1.7\nnot really\n", certificate=pki.agency)


def test_with_ltv_on_certificates_and_crls_are_embedded_and_both_signatures_stay_valid(
    pki, tsa, unsigned_pdf, anchors, settings
):
    settings.SIGNING = {**settings.SIGNING, "EMBED_LTV": True}
    box = services.anchor_box(anchors["sig-head"])
    first = services.pdf_sign(unsigned_pdf, certificate=pki.leader, appearance=Appearance.SIGNER, box=box)
    second = services.pdf_sign(
        first.data, certificate=pki.agency, appearance=Appearance.SEAL, box=seal_box(box)
    )

    dss = PdfReader(io.BytesIO(second.data)).trailer["/Root"].get("/DSS")
    assert dss is not None
    dss = dss.get_object()
    assert len(dss["/Certs"]) >= 3 and len(dss["/CRLs"]) >= 1  # chain and the issuing CA's CRL
    report = _verify(second.data)
    assert report.verdict == verification.Verdict.VALID
    assert [s.level for s in report.signatures] == ["B-T", "B-T"]
