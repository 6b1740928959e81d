"""Choice labels that do not translate every choice on every call."""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = {}


def _labels_of(field):
    labels = _LABELS.get(field)
    if labels is None:
        # Keys only are made hashable: Django's own get_FOO_display() hashes the (lazy) labels
        # too, which translates every choice at every call (38 µs for the 15 event kinds; 3.6 µs so).
        labels = _LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
    return labels


class ChoiceLabels:
    """Mix into a model (before models.Model) whose get_FOO_display() is called on busy pages.

    Same answer as Django's: the label in the reader's language, or the raw value when it is not a
    choice. Django binds get_FOO_display to the class's _get_FIELD_display when the class is made,
    so the override must come first in the bases.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels_of(field).get(make_hashable(value), value), strings_only=True)
