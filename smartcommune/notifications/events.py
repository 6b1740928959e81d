"""The events notifications are sent for, the context each needs, and how their text is rendered.

An event's text lives in `notifications/<event>/subject.txt`, `body.txt` (e-mail and in-app) and
`sms.txt`, in any app's templates folder, written with English msgids in {% translate %} /
{% blocktranslate %}. Rendering happens in the recipient's language and in Asia/Ho_Chi_Minh time,
without HTML escaping (the text is plain; screens escape it when they show it).

Events listed in EVENTS are checked for their required context keys; a higher app may add its own
event by shipping the three templates (unlisted events are not checked). Every template also gets
`recipient_name` (may be empty).
"""

import re
from dataclasses import dataclass

from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation


@dataclass(frozen=True)
class Event:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Keys holding a list of strings; a single string is accepted as a list of one.
    lists: tuple[str, ...] = ()


# Keys common to the dossier events: `code` (dossier code, e.g. "000.01.00.H18-260817-0001"),
# `procedure` (procedure name), `office` (the one-stop office, e.g. "Bộ phận Một cửa UBND xã Mường
# Đun"), `lookup_url` (absolute URL of the public lookup page for this dossier).
EVENTS: dict[str, Event] = {
    e.name: e
    for e in [
        Event(
            "dossier.received",
            required=("code", "procedure", "due_at", "lookup_url"),
            optional=("office", "received_at"),
        ),
        Event(
            "dossier.supplement_requested",
            required=("code", "procedure", "items", "reason", "how_to_submit"),
            optional=("office", "deadline", "lookup_url"),
            lists=("items",),
        ),
        Event(
            "dossier.apology",
            required=("code", "procedure", "reason", "new_due_at"),
            optional=("office", "old_due_at", "lookup_url"),
        ),
        Event(
            "dossier.result_ready",
            required=("code", "procedure", "how_to_collect"),
            optional=("office", "result_url", "lookup_url"),
        ),
        Event(
            "dossier.refused",
            required=("code", "procedure", "reasons"),
            optional=("office", "lookup_url"),
            lists=("reasons",),
        ),
    ]
}

_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def prepare_context(event: str, context: dict) -> dict:
    """The context checked against the event's spec (ValueError on a missing required key), with
    list keys given as a single string turned into a list of one."""
    spec = EVENTS.get(event)
    if spec is None:
        return dict(context)
    missing = [key for key in spec.required if key not in context]
    if missing:
        raise ValueError(f"notify({event!r}): missing context keys {missing}")
    prepared = dict(context)
    for key in spec.lists:
        if isinstance(prepared.get(key), str):
            prepared[key] = [prepared[key]]
    return prepared


def _render(event: str, part: str, context: dict) -> str:
    template = get_template(f"notifications/{event}/{part}.txt")
    return template.template.render(Context(context, autoescape=False))


def _tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", text)).strip()


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


def render_event(event: str, context: dict, *, language: str, with_sms: bool = True) -> Rendered:
    """Subject (one line), body and SMS text of `event` in `language`. Raises TemplateDoesNotExist."""
    with translation.override(language), timezone.override(timezone.get_default_timezone()):
        subject = " ".join(_render(event, "subject", context).split())
        body = _tidy(_render(event, "body", context))
        sms = _tidy(_render(event, "sms", context)) if with_sms else ""
    return Rendered(subject=subject[:255], body=body, sms=sms)
