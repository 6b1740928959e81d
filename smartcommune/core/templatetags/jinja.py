"""Django templates meet the Jinja2 ones (smartcommune/core/jinja_env.py) without copying them.

`{% page_shell %}` (templates/base.html): a Django page wears the Jinja2 shell, core/jinja2/shell.html.
The tag renders each block inside it (a page's overrides, `{{ block.super }}` and all, as Django
would) and hands the results to the shell as `slots`, so the layout lives in one file.

`{% jinja_include "name.html" key=value %}`: a Jinja2 fragment inside a Django page, with the page's
context and the given values (the one-stop tabs, dossiers/_tabs.html, are drawn so on every page).

`{% field form.name input_class="field-date" hide_optional=True %}`: a form field as
components/field.html draws it (core.jinja_env.field), the one look of fields on every page.
"""

from types import SimpleNamespace

from django import template
from django.template import engines
from django.template.loader_tags import BlockNode
from markupsafe import Markup

from smartcommune.core.jinja_env import field as draw_field

register = template.Library()


def _jinja(name: str):
    return engines["jinja2"].get_template(name)


class PageShellNode(template.Node):
    child_nodelists = ("nodelist",)  # so that {% extends %} finds the blocks inside

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            raise template.TemplateSyntaxError("{% page_shell %} needs the request in the context.")
        blocks = {
            node.name: Markup(node.render(context))  # noqa: S704 - rendered by Django, escaped there
            for node in self.nodelist
            if isinstance(node, BlockNode)
        }
        return _jinja("shell.html").render({"slots": SimpleNamespace(**blocks)}, request)


@register.tag
def page_shell(parser, token):
    nodelist = parser.parse(("endpage_shell",))
    parser.delete_first_token()
    return PageShellNode(nodelist)


@register.simple_tag(takes_context=True)
def jinja_include(context, name: str, **values) -> Markup:
    return Markup(_jinja(name).template.render({**context.flatten(), **values}))  # noqa: S704 - Jinja2 escaped it


@register.simple_tag(name="field")
def field_tag(bound_field, input_class: str = "", hide_optional: bool = False) -> Markup:
    return draw_field(bound_field, input_class=input_class, hide_optional=hide_optional)
