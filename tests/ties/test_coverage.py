from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.core.models import Source
from borderlink.ledger.models import Activity, AggregateReturn, Commitment
from borderlink.places.models import Unit
from borderlink.stats.coverage import RULES, evaluate
from borderlink.ties.models import Partnership

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 12, 31)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def pair(*codes: str, start: str = "2018-01-01", end: str | None = None) -> Partnership:
    p = Partnership.objects.create(
        title="Cụm dân cư thử",
        kind="residential",
        home_unit=unit("VN-P02"),
        diplomacy="people",
        started_on=datetime.date.fromisoformat(start),
        ended_on=datetime.date.fromisoformat(end) if end else None,
    )
    p.our_units.set([unit(c) for c in codes])
    p.their_units.set([unit("CN-532624-TIANBAO")])
    return p


def test_coverage_is_computed_from_the_registry_on_the_date() -> None:
    rule = RULES[0]  # border communes
    Partnership.objects.all().delete()
    pair("VN-C00928", "VN-C00919")
    result = evaluate(rule, unit("VN-P02"), DAY)
    named = {
        "VN-C00928",
        "VN-C00919",
        "VN-C00931",
        "VN-C00880",
    }  # the border communes the seeds name
    assert {u.code for u in result.covered} == {"VN-C00928", "VN-C00919"}
    assert {u.code for u in result.uncovered} == named - {"VN-C00928", "VN-C00919"}
    assert result.computed == "2/4"
    assert evaluate(rule, unit("VN-P02"), datetime.date(2017, 1, 1)).computed == "0/4"


def test_a_declared_figure_is_shown_as_declared_with_its_source() -> None:
    AggregateReturn.objects.filter(kind="coverage.border_communes_paired").delete()
    AggregateReturn.objects.create(
        home_unit=unit("VN-P02"),
        kind="coverage.border_communes_paired",
        measure="units",
        period_to=datetime.date(2020, 6, 30),
        value=34,
        denominator=34,
        source=Source.objects.get(code="seed-000"),
        source_quote="(34/34 border communes and towns)",
    )
    result = evaluate(RULES[0], unit("VN-P02"), DAY)
    assert result.declared_figure == "34/34"
    assert not result.registry_is_complete


def test_the_coverage_page_labels_each_figure(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    page = client.get("/cooperation/coverage/?unit=VN-P02&on=2021-06-30").content.decode()
    sections = page.split('<section class="card mb-3"')[1:]
    assert len(sections) == 3
    assert 'id="coverage.border_communes_paired"' in sections[0]
    for section in sections:
        assert ("declared" in section) != ("computed from the registry" in section)


def test_overdue_commitments_and_expiring_agreements_are_listed(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    meeting = Activity.objects.create(
        kind="meeting",
        occurred_on=datetime.date(2020, 3, 1),
        title="Hội đàm",
        home_unit=unit("VN-P02"),
        counterpart=unit("CN-532600"),
        diplomacy="state",
    )
    late = Commitment.objects.create(
        meeting=meeting,
        text="Trao đổi danh sách",
        home_unit=unit("VN-P02"),
        due_on=datetime.date(2020, 4, 1),
    )
    done = Commitment.objects.create(
        meeting=meeting,
        text="Khảo sát chung",
        home_unit=unit("VN-P02"),
        due_on=datetime.date(2020, 4, 1),
        status="fulfilled",
    )
    page = client_of(editor).get("/cooperation/follow-up/").content.decode()
    assert f"/r/commitments/{late.pk}/" in page and f"/r/commitments/{done.pk}/" not in page


def test_a_return_warns_of_activities_it_would_count_twice(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    station = unit("VN-02-BGS-THANHTHUY")
    ret = AggregateReturn.objects.create(
        home_unit=station,
        kind="letter",
        measure="count",
        period_from=datetime.date(2012, 1, 1),
        period_to=datetime.date(2021, 6, 30),
        value=1456,
    )
    assert (
        "double-count-warning"
        not in client_of(editor).get(f"/r/returns/{ret.pk}/").content.decode()
    )
    Activity.objects.create(
        kind="letter",
        occurred_on=datetime.date(2015, 5, 5),
        title="Thư",
        home_unit=station,
        counterpart=unit("CN-532624-BGS-TIANBAO"),
        diplomacy="state",
    )
    assert ret.overlapping_activities().count() == 1
    assert "double-count-warning" in client_of(editor).get(f"/r/returns/{ret.pk}/").content.decode()
    # A secret entry is listed only to those cleared for it: the editor (clearance 2) is not.
    secret = Activity.objects.create(
        kind="letter",
        occurred_on=datetime.date(2016, 6, 6),
        title="Thư mật về đường biên",
        home_unit=station,
        counterpart=unit("CN-532624-BGS-TIANBAO"),
        diplomacy="state",
        sensitivity=3,
    )
    assert ret.overlapping_activities().count() == 2
    page = client_of(editor).get(f"/r/returns/{ret.pk}/").content.decode()
    assert "Thư mật về đường biên" not in page and f"/r/activities/{secret.pk}/" not in page


def test_an_agreement_follows_its_lifecycle(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    from borderlink.registers.forms import RegisterForm, form_class
    from borderlink.registers.spec import get_register
    from borderlink.registers.tabular import cell_value
    from borderlink.ties.models import Agreement

    spec = get_register("agreements")
    form = form_class(spec)(
        data={
            "title_vi": "Thỏa thuận vòng đời",
            "domain": "border",
            "level": "province",
            "home_unit": "VN-P02",
            "our_parties": "VN-P02",
            "their_parties": "CN-530000",
            "status": "draft",
            "diplomacy": "state",
        }
    )
    assert form.is_valid(), form.errors
    agreement = form.save()

    def move(status: str, **extra: str) -> RegisterForm:
        current = Agreement.objects.get(pk=agreement.pk)
        data = {name: cell_value(spec, current, name) for name in spec.fields}
        data.update(status=status, **extra)
        return form_class(spec)(data=data, instance=current)

    assert not move("in_force").is_valid()  # no date of signature yet
    signed = move("signed", signed_on="2020-01-10")
    assert signed.is_valid(), signed.errors
    signed.save()
    terminated = move("terminated")
    assert terminated.is_valid()
    terminated.save()
    back = move("in_force")
    assert not back.is_valid() and "status" in back.errors
    assert "expires_on" in move("terminated", expires_on="2019-01-01").errors


def test_an_agreement_keeps_its_texts_per_language(
    editor: User, client_of: Callable[[User], Client], settings: Settings, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from borderlink.ties.models import Agreement

    settings.MEDIA_ROOT = str(tmp_path)
    client = client_of(editor)
    response = client.post(
        "/r/agreements/new/",
        {
            "title_vi": "Thỏa thuận có văn bản",
            "domain": "tourism",
            "level": "province",
            "home_unit": "VN-P02",
            "our_parties": "VN-P02",
            "their_parties": "CN-530000",
            "status": "draft",
            "diplomacy": "state",
            "text_zh": SimpleUploadedFile(
                "协议.pdf", b"%PDF-1.4 test", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    agreement = Agreement.objects.get(title_vi="Thỏa thuận có văn bản")
    assert (agreement.text_zh.name or "").endswith(".pdf")
    assert agreement.text_zh.url in client.get(response["Location"]).content.decode()


def test_the_demo_shows_the_seeds_coverage_at_the_article_date(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    day = datetime.date(2021, 6, 30)
    communes = evaluate(RULES[0], unit("VN-P02"), day)
    stations = evaluate(RULES[1], unit("VN-P02"), day)
    assert communes.declared_figure == "34/34" and not communes.registry_is_complete
    assert stations.declared_figure == "12/12" and not stations.registry_is_complete
    assert communes.declared is not None and communes.declared.source is not None
    assert communes.declared.source.code == "seed-000"
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    page = client.get("/cooperation/coverage/?unit=VN-P02&on=2021-06-30").content.decode()
    assert '<span class="coverage-figure">34/34</span>' in page
    assert '<span class="coverage-figure">12/12</span>' in page
    assert page.count('<span class="badge text-bg-info">declared</span>') >= 2
    assert "(34/34 border communes and towns)" in page  # the quotation it was declared with
