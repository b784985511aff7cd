from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.core import dates, form_style
from borderlink.places.models import Unit
from borderlink.registers import pickers
from borderlink.reports.compose import templates
from borderlink.stats.indicators import lang_key

LANG_CHOICES = [("vi", "Tiếng Việt"), ("en", "English"), ("zh", "中文")]
FORMAT_CHOICES = [("docx", "DOCX (Word)"), ("pdf", "PDF"), ("xlsx", "XLSX (Excel)")]


class ReportScopeForm(forms.Form):
    """What a report is about: a template, a unit, a period and the day its units are read on.

    Shared by the report form here and the portal's new-article form (portal/forms.py), which
    composes the same report into an article: one set of checks for both, so a period or unit
    the one refuses the other refuses with the same words.
    """

    template = forms.ChoiceField(label=_("Report"))
    unit = forms.CharField(label=_("Unit (code)"), max_length=64)
    period_from = dates.DateField(label=_("From"), required=False)
    period_to = dates.DateField(label=_("To"))
    as_of = dates.DateField(label=_("Units as of"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            (t.code, t.data["name"][lang_key()]) for t in templates().values()
        ]
        # A type-ahead picker over the code box (registers/pickers.py).
        self.fields["unit"].widget.attrs.update(pickers.unit_attrs(on=self.add_prefix("as_of")))
        form_style.style(self)

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has the code %(code)s."), params={"code": code})
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, as_of = data.get("period_from"), data.get("period_to"), data.get("as_of")
        if start and end and start > end:
            self.add_error("period_from", _("The period cannot start after it ends."))
        unit = data.get("unit")
        if isinstance(unit, Unit) and end:
            day = as_of or end
            if not unit.is_valid_on(day):
                self.add_error(
                    "as_of",
                    _("%(unit)s did not exist on %(day)s; choose a date it existed on.")
                    % {"unit": unit.native_name, "day": day.strftime("%d/%m/%Y")},
                )
        return data


class ReportForm(ReportScopeForm):
    lang = forms.ChoiceField(label=_("Language"), choices=LANG_CHOICES)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
