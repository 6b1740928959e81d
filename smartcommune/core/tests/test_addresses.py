"""Remembered addresses are the ones Django reverses, under whatever script prefix serves them."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from smartcommune.core.addresses import address


def test_an_address_is_what_reverse_gives():
    assert address("dossiers:mine") == reverse("dossiers:mine")
    assert address("dossiers:act", code="H18.01-261201-0001", action="forward") == reverse(
        "dossiers:act", kwargs={"code": "H18.01-261201-0001", "action": "forward"}
    )
    assert address("dossiers:receipt_pdf", "H18.01-261201-0002") == reverse(
        "dossiers:receipt_pdf", args=["H18.01-261201-0002"]
    )


def test_a_script_prefix_is_part_of_the_remembered_address():
    before = address("dossiers:mine")
    set_script_prefix("/xa-muong-dun/")
    try:
        assert address("dossiers:mine") == "/xa-muong-dun" + before
    finally:
        set_script_prefix("/")
    assert address("dossiers:mine") == before


def test_an_unknown_address_is_an_error_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            address("dossiers:khong-co")
