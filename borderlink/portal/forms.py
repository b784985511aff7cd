from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.core import form_style
from borderlink.core.models import Source
from borderlink.places.choices import Lang
from borderlink.portal import figures, markup
from borderlink.portal.models import Article, ArticleVersion
from borderlink.reports.forms import ReportScopeForm


class NewArticleForm(ReportScopeForm):
    """An article composed from a report: the report's scope and checks (reports/forms.py),
    then where it is published."""

    # Same place in the form as the report's own template box; only the label differs.
    template = forms.ChoiceField(label=_("Report template"))
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

        cast(forms.ChoiceField, self.fields["to"]).choices = [(m, State(m).label) for m in moves]
