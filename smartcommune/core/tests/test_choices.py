from django.utils import translation

from smartcommune.dossiers.choices import DossierStatus, EventKind
from smartcommune.dossiers.models import Dossier, DossierEvent


def test_choice_label_follows_the_readers_language():
    dossier = Dossier(status=DossierStatus.RECEIVED)
    with translation.override("vi"):
        vietnamese = dossier.get_status_display()
    with translation.override("en"):
        english = dossier.get_status_display()
    assert (vietnamese, english) == ("Đã tiếp nhận", "Received")


def test_choice_label_is_the_same_as_djangos():
    for kind in EventKind:
        event = DossierEvent(kind=kind)
        field = DossierEvent._meta.get_field("kind")
        with translation.override("vi"):
            assert event.get_kind_display() == str(dict(field.flatchoices)[kind])


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert DossierEvent(kind="legacy_kind").get_kind_display() == "legacy_kind"
    assert Dossier(status=None).get_status_display() is None
