"""Import templates people can fill: headers in the page's language, an example row, drop-down
lists of the allowed values, a sheet explaining each column; the import reads labels and codes,
and a refused value lists what is allowed."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.core.choices import Sensitivity
from borderlink.ledger.models import Activity, ActivityKind
from borderlink.registers.columns import columns, example_mark
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register

pytestmark = pytest.mark.django_db

HOME = "VN-02-BGS-THANHTHUY"


@pytest.fixture(autouse=True)
def inline_imports(settings: Settings) -> None:
    settings.IMPORTS_IN_BACKGROUND = False


def template(client: Client, language: str, fmt: str = "xlsx") -> bytes:
    client.cookies["django_language"] = language
    response = client.get(f"/r/activities/import/template.{fmt}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content


def labels(language: str) -> list[str]:
    with translation.override(language):
        return [c.label for c in columns(get_register("activities"))]


def test_the_template_is_in_the_pages_language_with_an_example_row(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    sheets = {}
    for language in ("vi", "zh-hans"):
        book = load_workbook(io.BytesIO(template(client, language)))
        data = book.worksheets[0]
        sheets[language] = data
        assert [c.value for c in data[1]] == labels(language)
        assert data.freeze_panes == "A2"
        example = {h: c for h, c in zip(labels(language), data[2], strict=True)}
        with translation.override(language):
            assert example["ID"].value == example_mark()
            kind = str(Activity._meta.get_field("kind").verbose_name).capitalize()
            date = str(Activity._meta.get_field("occurred_on").verbose_name).capitalize()
            home = str(Activity._meta.get_field("home_unit").verbose_name).capitalize()
            assert example[kind].value in {str(label) for _c, label in ActivityKind.choices}
        assert example[date].is_date and isinstance(example[date].value, datetime.datetime)
        assert example[home].value  # the unit the editor records for, by its code
    assert [c.value for c in sheets["vi"][1]] != [c.value for c in sheets["zh-hans"][1]]


def test_choice_columns_have_drop_downs_of_their_labels(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    book = load_workbook(io.BytesIO(template(client_of(editor), "vi")))
    data, lists = book.worksheets[0], book["lists"]
    assert lists.sheet_state == "hidden"
    names = [c.name for c in columns(get_register("activities"))]
    kind_letter = data.cell(row=1, column=names.index("kind") + 1).column_letter
    date_letter = data.cell(row=1, column=names.index("occurred_on") + 1).column_letter
    rules = {str(r.sqref).split(":")[0][:-1]: r for r in data.data_validations.dataValidation}
    kind_rule = rules[kind_letter]
    assert kind_rule.type == "list"
    _sheet_name, cells = kind_rule.formula1.split("!")
    values = [c.value for row in lists[cells.replace("$", "")] for c in row]
    with translation.override("vi"):
        assert values == [str(label) for _c, label in ActivityKind.choices]
        assert "Thư" in values  # "letter" in Vietnamese
    assert rules[date_letter].type == "date"
    sensitivity = rules[
        data.cell(row=1, column=names.index("sensitivity") + 1).column_letter
    ].formula1.split("!")[1]
    with translation.override("vi"):
        assert [c.value for row in lists[sensitivity.replace("$", "")] for c in row] == [
            str(label) for _c, label in Sensitivity.choices
        ]


def test_a_sheet_explains_each_column(editor: User, client_of: Callable[[User], Client]) -> None:
    book = load_workbook(io.BytesIO(template(client_of(editor), "en")))
    guide = book.worksheets[-1]
    rows = [[c.value for c in row] for row in guide.iter_rows(min_row=2) if row[1].value]
    spec = get_register("activities")
    assert [r[1] for r in rows] == ["id", *spec.fields]
    by_code = {r[1]: r for r in rows}
    with translation.override("en"):
        assert by_code["kind"][0] == "Kind" and by_code["kind"][2] == "yes"
        assert "Letter (letter)" in by_code["kind"][4]
        assert by_code["title"][2] in (None, "") and not by_code["title"][4]
        assert "dd/mm/yyyy" in by_code["occurred_on"][3]
        assert by_code["home_unit"][5] == "The unit on our side that keeps this record"


def fill(language: str, *rows: dict[str, object], keep_example: bool = True) -> bytes:
    """A template filled in as a person would: the example row left in, rows below it."""
    header = labels(language)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    names = [c.name for c in columns(get_register("activities"))]
    if keep_example:
        sheet.append([example_mark() if n == "id" else None for n in names])
    for row in rows:
        sheet.append([row.get(n) for n in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, content: bytes, language: str) -> ImportJob:
    client.cookies["django_language"] = language
    response = client.post(
        "/r/activities/import/",
        {"file": SimpleUploadedFile("filled.xlsx", content)},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    job.refresh_from_db()
    return job


LETTER = {
    "kind": "Thư",
    "occurred_on": datetime.date(2020, 2, 3),
    "title": "Thư mời dự Tết",
    "home_unit": HOME,
    "channel": "letter",
    "diplomacy": "state",
    "direction": "sent",
    "sensitivity": "Nội bộ",
    "count": 1,
}


def test_labels_as_a_person_picks_them_import_as_their_codes(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    with translation.override("vi"):
        channel_letter = str(dict(Activity._meta.get_field("channel").flatchoices)["letter"])
        internal = str(Sensitivity.INTERNAL.label)
    row = {**LETTER, "channel": channel_letter, "sensitivity": internal}
    job = upload(client, fill("vi", row), "vi")
    assert job.errors == [] and job.status == ImportJob.Status.PREVIEW and job.new_rows == 1
    client.post(f"/r/activities/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 1  # not the example
    record = Activity.objects.get(title="Thư mời dự Tết")
    assert (record.kind, record.channel, record.sensitivity) == (
        "letter",
        "letter",
        Sensitivity.INTERNAL,
    )


def test_a_chinese_header_and_machine_codes_import_on_a_vietnamese_page(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    row = {**LETTER, "kind": "letter", "channel": "letter", "sensitivity": "1", "title": "汉"}
    with translation.override("zh-hans"):
        content = fill("zh-hans", row)
    job = upload(client, content, "vi")
    assert job.errors == [] and job.new_rows == 1


def test_a_refused_choice_lists_the_allowed_values(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    job = upload(client, fill("en", {**LETTER, "kind": "Postcard"}), "en")
    assert job.status == ImportJob.Status.INVALID
    [error] = job.errors
    assert error["row"] == 3 and error["field"] == "kind"
    assert "Postcard" in error["message"]
    with translation.override("en"):
        for code, label in ActivityKind.choices:
            assert f"{label} ({code})" in error["message"]


def test_an_unknown_header_lists_the_columns_by_their_names(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    book = load_workbook(io.BytesIO(fill("en", LETTER, keep_example=False)))
    book.active.cell(row=1, column=5).value = "Headline"
    buffer = io.BytesIO()
    book.save(buffer)
    job = upload(client, buffer.getvalue(), "en")
    [error] = job.errors  # the title is optional: nothing is missing
    assert error["row"] == 1 and error["field"] == "Headline"
    assert "Title (title)" in error["message"] and "Kind (kind)" in error["message"]


def test_the_csv_template_has_the_header_and_the_example(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    text = template(client_of(editor), "vi", "csv").decode("utf-8-sig").splitlines()
    assert len(text) == 2
    with translation.override("vi"):
        assert text[1].startswith(f'"{example_mark()}"') or text[1].startswith(example_mark())


def test_the_import_page_links_the_formats(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    page = client.get("/r/activities/import/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/r/import-formats/"' in page and "<code>occurred_on</code>" in page
    formats = client.get("/r/import-formats/")
    assert formats.status_code == 200 and "## Activities (`activities`)" in formats.content.decode()
