"""The Python-drawn widgets write what Django's templates write (whitespace aside)."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from smartcommune.core.widgets import (
    PlainHiddenInput,
    PlainInputMixin,
    PlainSelect,
    PlainTextarea,
    PlainTextInput,
    PlainTimeInput,
)

CHOICES = [("", "Bất kỳ"), ("1", 'Một <b>"đậm"</b>'), ("Nhóm & con", [("2", "Hai"), ("3", "Ba")])]


class PlainDate(PlainInputMixin, forms.DateInput):
    input_type = "date"


class DjangoForm(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    needed = forms.ChoiceField(choices=CHOICES[:2])
    q = forms.CharField(
        max_length=5, required=False, help_text="Gợi ý", widget=forms.TextInput({"type": "search"})
    )
    day = forms.DateField(required=False, widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    note = forms.CharField(max_length=20, widget=forms.Textarea({"rows": 2}))
    at = forms.TimeField(initial="16:00", widget=forms.TimeInput({"type": "time"}, format="%H:%M"))


class PlainForm(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)
    needed = forms.ChoiceField(choices=CHOICES[:2], widget=PlainSelect)
    q = forms.CharField(
        max_length=5, required=False, help_text="Gợi ý", widget=PlainTextInput({"type": "search"})
    )
    day = forms.DateField(required=False, widget=PlainDate(format="%Y-%m-%d"))
    version = forms.IntegerField(widget=PlainHiddenInput, initial=3)
    note = forms.CharField(max_length=20, widget=PlainTextarea({"rows": 2}))
    at = forms.TimeField(initial="16:00", widget=PlainTimeInput({"type": "time"}, format="%H:%M"))


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "data",
    [
        None,  # unbound: initial values
        {
            "pick": "2",
            "needed": "1",
            "q": 'a"<script>',
            "day": "2026-08-14",
            "version": '4"><b>',
            "note": "dòng 1\n</textarea><script>",
            "at": "08:30",
        },  # hostile text stays escaped
        {
            "pick": "9",
            "needed": "",
            "q": "quá dài",
            "day": "không phải ngày",
            "note": "",
            "at": "25:99",
        },  # every field in error
    ],
)
def test_plain_widgets_write_the_same_html_as_djangos(data):
    # Django's Django-template widgets are the reference (FORM_RENDERER's Jinja2 ones write &#34; for &quot;).
    django_form, plain_form = DjangoForm(data, renderer=DjangoTemplates()), PlainForm(data)
    if data is not None:
        assert django_form.is_valid() == plain_form.is_valid()
    for name in ("pick", "needed", "q", "day", "version", "note", "at"):
        assert _squeeze(plain_form[name]) == _squeeze(django_form[name]), name


def test_the_chosen_option_is_selected_and_text_is_escaped():
    html = str(PlainForm({"pick": "2", "needed": "1", "q": "<b>"})["pick"])
    assert '<option value="2" selected>Hai</option>' in html
    assert "Một &lt;b&gt;&quot;đậm&quot;&lt;/b&gt;" in html
    assert '<optgroup label="Nhóm &amp; con">' in html
    assert 'value="&lt;b&gt;"' in str(PlainForm({"q": "<b>"})["q"])
