"""An editor exports a list in Vietnamese and in Chinese: two files that differ in their headers
and labels (read with openpyxl); each imported back unchanged is nothing to change, and the
register has no duplicate."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from pytest_django import Settings

from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers.columns import columns, header_cells, header_text
from borderlink.registers.spec import get_register
from tests.browser.test_gazetteer import log_in, switch_language
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests/conftest.make_user's
HOME = "VN-02-BGS-THANHTHUY"
LIST = f"/r/activities/?home_unit={HOME}&occurred_on=01/01/2018&occurred_on__to=31/12/2018"


def export_xlsx(page: Page, base: str, folder: Path, name: str) -> Path:
    page.goto(base + LIST)
    expect(page.locator("#records tbody tr")).to_have_count(2)
    with page.expect_download() as download:
        page.click("a[href*='export=xlsx']")
    path = folder / name
    download.value.save_as(path)
    return path


def import_back(page: Page, base: str, path: Path) -> None:
    page.goto(f"{base}/r/activities/import/")
    page.set_input_files("#file", str(path))
    page.click("main form button[type=submit]")
    expect(page.locator("#import-nothing")).to_be_visible()
    expect(page.locator("#import-unchanged")).to_be_visible()
    expect(page.locator("#commit-import")).to_have_count(0)
    expect(page.locator("#import-errors")).to_have_count(0)


def test_an_editor_exports_in_vi_and_zh_and_imports_each_back_unchanged(
    browser: Browser, demo_live_server: object, tmp_path: Path, settings: Settings
) -> None:
    settings.IMPORTS_IN_BACKGROUND = False  # no worker here
    base = str(demo_live_server)
    make_user("t-exporter", Role.FA_EDITOR, "VN-P02")
    home = Unit.objects.get(code=HOME)
    for day, kind, title in (
        (datetime.date(2018, 2, 10), "letter", "Thư chúc Tết 2018"),
        (datetime.date(2018, 9, 2), "meeting", "Hội đàm quý III"),
    ):
        Activity.objects.create(
            kind=kind,
            occurred_on=day,
            title=title,
            home_unit=home,
            counterpart=Unit.objects.get(code="CN-532624-BGS-TIANBAO"),
            diplomacy="state",
        )
    before = Activity.objects.count()
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        log_in(page, base, "t-exporter", PASSWORD)
        vi_file = export_xlsx(page, base, tmp_path, "vi.xlsx")
        switch_language(page, "zh-hans")
        zh_file = export_xlsx(page, base, tmp_path, "zh.xlsx")

        vi, zh = load_workbook(vi_file).worksheets[0], load_workbook(zh_file).worksheets[0]
        vi_header = [c.value for c in vi[1]]
        zh_header = [c.value for c in zh[1]]
        spec = get_register("activities")
        for language, found in (("vi", vi_header), ("zh-hans", zh_header)):
            with translation.override(language):
                assert found == [header_text(c, r) for c, r in header_cells(columns(spec))]
        assert vi_header != zh_header
        kinds = {
            name: sorted(str(row[1].value) for row in sheet.iter_rows(min_row=2))
            for name, sheet in (("vi", vi), ("zh", zh))
        }
        assert kinds["vi"] != kinds["zh"]
        for language, key in (("vi", "vi"), ("zh-hans", "zh")):
            with translation.override(language):
                labels = dict(Activity._meta.get_field("kind").flatchoices)
                assert kinds[key] == sorted(str(labels[k]) for k in ("letter", "meeting"))
        assert vi.freeze_panes == "A2" and zh.freeze_panes == "A2"

        import_back(page, base, zh_file)  # on the Chinese page
        switch_language(page, "vi")
        import_back(page, base, vi_file)  # on the Vietnamese page
        import_back(page, base, zh_file)  # a Chinese file on a Vietnamese page
        assert Activity.objects.count() == before
    finally:
        context.close()
