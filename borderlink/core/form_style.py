"""The one place forms get Bootstrap's classes, so that every form the site draws with
core/_form_fields.html looks the same."""

from __future__ import annotations

from django import forms

# Widgets drawn as a list of their own (one checkbox per choice) keep their own markup.
_UNSTYLED = (forms.CheckboxSelectMultiple, forms.RadioSelect)


def style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _UNSTYLED):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
