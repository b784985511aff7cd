from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.core import dates, form_style
from borderlink.core.models import Source
from borderlink.places.choices import Lang
from borderlink.places.models import Unit
from borderlink.portal import figures, markup
from borderlink.portal.models import Article, ArticleVersion
from borderlink.registers import pickers
from borderlink.reports.compose import templates
from borderlink.stats.indicators import lang_key


class NewArticleForm(forms.Form):
    template = forms.ChoiceField(label=_("Report template"))
    unit = forms.CharField(label=_("Unit (code)"), max_length=64)
    period_from = dates.DateField(label=_("From"), required=False)
    period_to = dates.DateField(label=_("To"))
    as_of = dates.DateField(label=_("Units as of"), required=False)
    slug = forms.SlugField(
        label=_("Address"), max_length=100, help_text=_("Latin letters, digits and dashes")
    )
    source = forms.CharField(
        label=_("Earlier publication (source code)"), max_length=64, required=False
    )
    langs = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Lang.choices,
        initial=[c for c, _label in Lang.choices],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [  # type: ignore[attr-defined]
            (t.code, t.data["name"][lang_key()]) for t in templates().values()
        ]
        self.fields["unit"].widget.attrs.update(pickers.unit_attrs(on=self.add_prefix("as_of")))
        form_style.style(self)

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has the code %(code)s."), params={"code": code})
        return unit

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Article.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another article has this address."))
        return slug

    def clean_source(self) -> Source | None:
        code = self.cleaned_data.get("source", "").strip()
        if not code:
            return None
        found = Source.objects.filter(code=code).first()
        if found is None:
            raise forms.ValidationError(
                _("No source has the code %(code)s."), params={"code": code}
            )
        return found

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


class VersionForm(forms.ModelForm):
    class Meta:
        model = ArticleVersion
        fields = ["title", "lead", "body"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Paragraphs separated by a blank line; “## ” starts a heading. References: "
            "{fig:CODE}, {fig:CODE@UNIT}, {money:CODE:USD}, {name:UNIT}, and on a line of their "
            "own {table:CODE@UNIT CODE@UNIT|caption} and {chart:CODE|title}."
        )
        self.fields["lead"].help_text = _("Plain text; {name:UNIT} references only.")
        form_style.style(self)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        errors = markup.names_only(title) + figures.check(markup.parse(title))
        if errors:
            raise forms.ValidationError(errors)
        return title

    def clean_lead(self) -> str:
        lead = self.cleaned_data["lead"]
        errors = markup.names_only(lead) + figures.check(markup.parse(lead))
        if errors:
            raise forms.ValidationError(errors)
        return lead

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        errors = figures.check(markup.parse(body))
        if errors:
            raise forms.ValidationError(errors)
        return body


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, moves: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from borderlink.portal.models import State

        self.fields["to"].choices = [(m, State(m).label) for m in moves]  # type: ignore[attr-defined]
