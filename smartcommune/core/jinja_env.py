"""The Jinja2 environment: the page shell (core/jinja2/shell.html) and the busiest pages.

A Django template spends most of its time resolving variables through its context stack; Jinja2
compiles a template to Python, so the same page costs a fraction (bench/README.md). Every page wears
the one shell: Django pages through the `{% page_shell %}` tag of templates/base.html, Jinja2 pages by
extending "shell.html".

What a template can call:
- `_("Sign out")`: a constant message, so that makemessages finds it; messages with placeholders
  are `_("paid %(amount)s")|format(amount=...)`, plurals are translated in Python;
- `url(name, *args, **kwargs)`, `static(path)`, `querystring(request, page=2)`;
- `field(form["name"], input_class=..., hide_optional=...)`: components/field.html;
- filters `money` (đồng), `local` (a moment in local time, optional strftime format), `filesize`
  and `linebreaksbr` (Django's);
- with a request: `request`, `csrf_input` and what the context processors of settings.TEMPLATES add
  (`nav`, `messages`, `LANGUAGE_CODE`, `unread_messages()`, `_` bound to the reader's catalogue).
"""

from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.middleware.csrf import get_token
from django.template import defaulttags
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.templatetags.static import static as static_url
from django.test.signals import template_rendered
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext, ngettext, trans_real
from jinja2 import Environment
from jinja2 import Template as JinjaTemplate
from markupsafe import Markup

from .addresses import address
from .text import local_moment, money


class SignallingTemplate(JinjaTemplate):
    """Sends Django's `template_rendered`, as Django templates do under the test runner, so that
    tests read `response.context` and `response.templates` of Jinja2 pages too (a no-op without
    listeners)."""

    def render(self, *args, **kwargs):
        context = dict(*args, **kwargs)
        template_rendered.send(sender=self, template=self, context=context)
        return super().render(context)


@cache
def _static(path: str) -> str:
    # The manifest of hashed names does not change while a process runs.
    return static_url(path)


def querystring(request, **changes) -> str:
    """Django's {% querystring %}: the request's query string with `changes` (None removes a key)."""
    return defaulttags.querystring(None, request.GET, **changes)


def field(bound_field, *, input_class: str = "", hide_optional: bool = False) -> Markup:
    """A form field drawn by components/field.html: the forms' one look, in both engines (Django
    templates call it through {% field %}, core/templatetags/jinja.py)."""
    context = {"f": bound_field, "input_class": input_class, "hide_optional": hide_optional}
    return Markup(_field_template().render(context))  # noqa: S704 - Jinja2 escaped it


@cache
def _field_template():
    from django.template import engines

    return engines["jinja2"].env.get_template("components/field.html")


def csrf(request) -> dict:
    """One CSRF token a page (context processor): Django's backend masks a new one at each use, which
    costs ~0.07 ms, and the dossier page has a form for each action."""
    token = SimpleLazyObject(lambda: get_token(request))
    tag = Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">')
    return {"csrf_token": token, "csrf_input": SimpleLazyObject(lambda: tag.format(token))}


def translations(request) -> dict:
    """`_` bound to the reader's catalogue for the page (context processor): Django's gettext looks
    the active language up at each call (~3 µs), and a page translates some fifty labels."""
    language = get_language()
    return {"_": trans_real.translation(language).gettext} if settings.USE_I18N and language else {}


def environment(**options) -> Environment:
    # Django's backend passes autoescape=True (settings.TEMPLATES says so too).
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    env.template_class = SignallingTemplate
    # Plain gettext (not "newstyle"): a translation is text, escaped like any other value. Pages
    # rendered with a request get `_` bound once (translations, above); these serve the rest.
    env.install_gettext_callables(gettext, ngettext)
    # `slots`: the blocks of a Django page (templates/base.html); Jinja2 pages fill the blocks themselves.
    slots = SimpleNamespace(title="", extra_head="", page_header="", content="")
    env.globals.update(static=_static, url=address, querystring=querystring, field=field, slots=slots)
    env.filters.update(money=money, local=local_moment, filesize=filesizeformat, linebreaksbr=linebreaksbr)
    return env
