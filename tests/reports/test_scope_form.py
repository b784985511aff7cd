"""The report form and the portal's new-article form check a report's scope once
(reports/forms.ReportScopeForm): the same input is refused by both, with the same words."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils import translation

from borderlink.portal.forms import NewArticleForm
from borderlink.reports.forms import ReportForm

pytestmark = pytest.mark.django_db

# Each form's own fields, filled, so only the shared scope can fail.
OWN: dict[type[forms.Form], dict[str, Any]] = {
    ReportForm: {"lang": "en", "format": "pdf"},
    NewArticleForm: {"slug": "t-scope", "langs": ["en"]},
}
THANH_THUY_BEFORE_2025 = "VN-C00928"  # merged away in the 2025 reform (tests/places/test_search)


def errors(form_class: type[forms.Form], **scope: str) -> dict[str, list[str]]:
    data = {"template": "foreign-relations", "unit": "VN-P02", "period_to": "2021-06-30"}
    with translation.override("en"):
        form = form_class({**data, **scope, **OWN[form_class]})
        form.is_valid()
        return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


@pytest.mark.parametrize("form_class", list(OWN))
def test_a_good_scope_passes(form_class: type[forms.Form]) -> None:
    assert errors(form_class) == {}
    assert errors(form_class, unit=THANH_THUY_BEFORE_2025, as_of="2020-01-01") == {}


def test_both_forms_refuse_a_bad_scope_with_the_same_words() -> None:
    cases = [
        {"period_from": "2021-07-01"},
        {"unit": "NO-SUCH-UNIT"},
        {"unit": THANH_THUY_BEFORE_2025, "period_to": "2026-01-01"},
        {"unit": THANH_THUY_BEFORE_2025, "period_to": "2020-06-30", "as_of": "2026-01-01"},
    ]
    for scope in cases:
        report, article = errors(ReportForm, **scope), errors(NewArticleForm, **scope)
        assert report and report == article, scope
    assert errors(ReportForm, period_from="2021-07-01") == {
        "period_from": ["The period cannot start after it ends."]
    }
    assert errors(ReportForm, unit="NO-SUCH-UNIT") == {
        "unit": ["No unit has the code NO-SUCH-UNIT."]
    }
    gone = errors(ReportForm, unit=THANH_THUY_BEFORE_2025, period_to="2026-01-01")
    assert list(gone) == ["as_of"] and "did not exist on 01/01/2026" in gone["as_of"][0]


def test_each_form_keeps_its_own_fields_in_order() -> None:
    with translation.override("en"):
        report, article = ReportForm(), NewArticleForm()
        scope = ["template", "unit", "period_from", "period_to", "as_of"]
        assert list(report.fields) == [*scope, "lang", "format"]
        assert list(article.fields) == [*scope, "slug", "source", "langs"]
        assert str(report.fields["template"].label) == "Report"
        assert str(article.fields["template"].label) == "Report template"
        article_templates, report_templates = article.fields["template"], report.fields["template"]
        assert isinstance(article_templates, forms.ChoiceField)
        assert isinstance(report_templates, forms.ChoiceField)
        assert article_templates.choices == report_templates.choices
