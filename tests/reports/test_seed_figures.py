"""Every figure of the seeds comes back in the two seed-article reports, in each language.

shared/seed-facts.yaml lists the 45 figures of the two seed articles. The reports never read it:
they are filled from the records (stats indicators and reports/facts.py). This test reads it to
know what to look for, renders the foreign-relations report (seed-000) and the border-management
report (seed-003) at their seeds' dates in vi, en and zh, as DOCX and as PDF, extracts the text
with python-docx and pypdfium2, and looks for each figure written the way that language writes
it: 1.456 and 277,556 in Vietnamese, 1,456 and 277.556 in English and Chinese; amounts in the
language's words ("hơn 42 tỷ đồng", "超过420亿越南盾").

A figure too small to be found by its number alone ("1", "2", "13") is looked for with the words
around it, so that it cannot pass by accident.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from borderlink.ledger.models import AggregateReturn
from tests.reports.seed_reports import LANGS, SEED_DATES, render

# The reports are rendered once per module from the demo; marked as database tests so that
# they run before the transactional tests, which leave the database empty when they end.
pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
COPY = HERE / "data" / "seed-facts.yaml"
# shared/ lies beside the checkout (/work/shared for /work/main; CI lays a copy beside its clone).
SHARED = Path(__file__).resolve().parents[3] / "shared" / "seed-facts.yaml"
PACKAGE = Path(__file__).resolve().parents[2] / "borderlink"

SEPARATORS = {"vi": (".", ","), "en": (",", "."), "zh": (",", ".")}

# Figures looked for with their words, per language.
WORDED: dict[str, dict[str, list[str]]] = {
    "marker_inspected": {
        "vi": ["Mốc 325, xã Nghĩa Thuận (huyện Quản Bạ)"],
        "en": ["Marker 325, Nghia Thuan commune (Quan Ba district)"],
        "zh": ["Xã Nghĩa Thuận（Huyện Quản Bạ）的第325号界碑"],
    },
    "border_districts": {
        "vi": ["7 huyện biên giới"],
        "en": ["7 border districts"],
        "zh": ["7个边境县"],
    },
    "border_communes_towns": {
        "vi": ["34 xã, thị trấn biên giới"],
        "en": ["34 border communes and towns"],
        "zh": ["34个边境乡镇"],
    },
    "intl_gates": {
        "vi": ["1 cửa khẩu quốc tế"],
        "en": ["international 1"],
        "zh": ["1个国际口岸"],
    },
    "bilateral_gates": {
        "vi": ["1 cửa khẩu song phương"],
        "en": ["bilateral 1"],
        "zh": ["1个双边口岸"],
    },
    "crossing_ways": {"vi": ["13 lối mở"], "en": ["crossing ways: 13"], "zh": ["13条通道"]},
    "gate_pair_intl": {
        "vi": ["cặp cửa khẩu quốc tế Thanh Thủy – Thiên Bảo (天保)"],
        "en": ["international gate pair Thanh Thuy – Tianbao (天保)"],
        "zh": ["国际口岸对清水 – 天保"],
    },
    "gate_pair_bilateral": {
        "vi": ["cặp cửa khẩu song phương Xín Mần – Đô Long (都龙)"],
        "en": ["bilateral gate pair Xin Man – Dulong (都龙)"],
        "zh": ["双边口岸对Xín Mần – 都龙"],
    },
    "trade_turnover_since_2015": {"vi": ["2.548"], "en": ["2,548"], "zh": ["2,548"]},
    "provincial_documents": {
        "vi": ["14 văn bản, thỏa thuận hợp tác cấp tỉnh"],
        "en": ["14 provincial-level cooperation documents and agreements"],
        "zh": ["14份省级合作文件和协议"],
    },
    "district_pairs_003": {
        "vi": ["5 cặp huyện/thành phố"],
        "en": ["5 pairs of districts/cities"],
        "zh": ["5对县（市）"],
    },
    "district_agreements_000": {
        "vi": ["thành phố phía Trung Quốc: 6/7"],
        "en": ["Chinese counties and cities: 6/7"],
        "zh": ["签订协议的边境县：6/7"],
    },
    "residential_areas": {
        "vi": ["14 cụm dân cư"],
        "en": ["14 residential areas"],
        "zh": ["14个居民区"],
    },
    "chinese_villages_towns": {
        "vi": ["11 thôn, trấn phía Trung Quốc"],
        "en": ["11 villages and towns on the Chinese side"],
        "zh": ["中方11个村镇"],
    },
    "departments_with_partners": {
        "vi": ["hơn 20 sở, ban, ngành"],
        "en": ["more than 20 provincial departments"],
        "zh": ["超过20个省直厅局"],
    },
    "residents_agreement_2018": {
        "vi": [
            "Năm 2018",
            "các xã Thanh Thủy, Minh Tân, Thanh Đức (Vị Xuyên) và thị trấn Thiên Bảo",
        ],
        "en": [
            "In 2018",
            "Thanh Thủy, Minh Tân and Thanh Đức communes (Vị Xuyên) and Tianbao town",
        ],
        "zh": ["2018年", "清水、明新、清德三乡与麻栗坡县天保镇"],
    },
    "station_political_exchanges": {
        "vi": ["giao lưu chính trị 1 lần"],
        "en": ["1 political exchange "],
        "zh": ["政治交流1次"],
    },
    "aid_received_china_covid": {
        "vi": ["hơn 42 tỷ đồng"],
        "en": ["more than 42 billion VND"],
        "zh": ["超过420亿越南盾"],
    },
    "aid_given_masks_per_time": {
        "vi": ["5.000 khẩu trang y tế mỗi lần"],
        "en": ["5,000 medical masks each time"],
        "zh": ["每次向中方捐赠医用口罩5,000只"],
    },
    "aid_given_masks_yunnan": {
        "vi": ["20.000 khẩu trang y tế cho tỉnh Vân Nam"],
        "en": ["20,000 medical masks to Yunnan"],
        "zh": ["向云南省捐赠医用口罩20,000只"],
    },
    "aid_given_masks_offices": {
        "vi": ["800 khẩu trang cho"],
        "en": ["800 masks to"],
        "zh": ["口罩800只"],
    },
    "aid_received_guangxi": {
        "vi": ["Quảng Tây (广西壮族自治区) trị giá gần 480 triệu đồng"],
        "en": ["Guangxi Zhuang Autonomous Region (广西壮族自治区) worth nearly 480 million VND"],
        "zh": ["广西壮族自治区政府医疗物资一批，价值近4.8亿越南盾"],
    },
    "workers_sent_since_2014": {
        "vi": ["hơn 2.000 lao động"],
        "en": ["more than 2,000 workers"],
        "zh": ["超过2,000人"],
    },
    "scholarships_to_baise_per_year": {
        "vi": ["hằng năm tỉnh cấp 2 suất học bổng toàn phần"],
        "en": ["every year the province grants 2 full scholarships to students from Baise"],
        "zh": ["每年向百色市学生提供2个全额奖学金名额"],
    },
    "tourism_promotion_yunnan": {
        "vi": ["Năm 2019, lần đầu tiên"],
        "en": ["In 2019 the province held its first"],
        "zh": ["2019年，本省首次"],
    },
    "geopark_stone_forest": {
        "vi": ["Cao nguyên đá Đồng Văn và Khu du lịch Thạch Lâm (Rừng đá)"],
        "en": ["Dong Van Karst Plateau UNESCO Global Geopark and the Shilin (Stone Forest)"],
        "zh": ["同文喀斯特高原世界地质公园与云南石林风景区"],
    },
    "legal_documents": {
        "vi": ["3 văn kiện pháp lý về biên giới"],
        "en": ["3 legal documents on the border"],
        "zh": ["3个边界法律文件"],
    },
    "directive_17": {
        "vi": ["Chỉ thị số 17/CT-UBND"],
        "en": ["Directive No. 17/CT-UBND"],
        "zh": ["第17/CT-UBND号指示"],
    },
    "resolution_08": {
        "vi": ["Nghị quyết số 08-NQ/TU", "2016–2020"],
        "en": ["Resolution No. 08-NQ/TU", "2016–2020"],
        "zh": ["第08-NQ/TU号决议", "2016–2020"],
    },
}
# Years and ratios are written alike in every language.
AS_WRITTEN = {"cooperation_since", "commune_clusters", "border_communes_covered", "stations_paired"}


def facts() -> list[dict[str, Any]]:
    path = SHARED if SHARED.is_file() else COPY
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def written(value: Any, lang: str) -> str:
    """A number as the report's language writes it: 1.456 / 277,556 (vi), 1,456 / 277.556."""
    thousands, point = SEPARATORS[lang]
    number = Decimal(str(value))
    whole, _dot, decimals = f"{number:,f}".partition(".")
    text = whole.replace(",", thousands)
    return f"{text}{point}{decimals}" if decimals.strip("0") else text


def expected(fact: dict[str, Any], lang: str) -> list[str]:
    if fact["id"] in WORDED:
        return WORDED[fact["id"]][lang]
    value = fact["value"]
    if fact["id"] in AS_WRITTEN:
        return [str(value)]
    if isinstance(value, dict):  # the page's visit counter: every count
        return [written(v, lang) for v in value.values()]
    if isinstance(value, int | float):
        return [written(value, lang)]
    raise AssertionError(f"{fact['id']}: say how the reports write {value!r}")


@pytest.fixture(scope="module")
def texts(django_db_setup: None, django_db_blocker: Any) -> dict[tuple[str, str], str]:
    """(language, "docx" or "pdf") -> the text of both seed reports in that language."""
    out: dict[tuple[str, str], str] = {}
    with django_db_blocker.unblock():
        for lang in LANGS:
            docx_parts, pdf_parts = [], []
            for template in SEED_DATES:
                rendered = render(template, lang)
                docx_parts.append(rendered.docx_text)
                pdf_parts.append(rendered.pdf_text(lang))
            out[lang, "docx"] = "\n".join(docx_parts)
            out[lang, "pdf"] = "\n".join(pdf_parts)
    return out


def test_the_copy_of_the_seed_facts_is_current() -> None:
    if SHARED.is_file():
        assert yaml.safe_load(SHARED.read_text(encoding="utf-8")) == yaml.safe_load(
            COPY.read_text(encoding="utf-8")
        )
    assert len(facts()) == 45


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_seed_figure_is_in_the_reports(
    texts: dict[tuple[str, str], str], lang: str, fmt: str
) -> None:
    text = re.sub(r"[ \u00a0]+", " ", texts[lang, fmt])
    if fmt == "docx":  # a table row reads "Indicator | 1 | political exchange"
        text = text.replace(" | ", " ")
    missing = [
        (fact["id"], words)
        for fact in facts()
        for words in expected(fact, lang)
        if words not in text
    ]
    assert not missing, f"{lang} {fmt}: {missing}"


@pytest.mark.django_db
def test_the_figures_come_from_the_records() -> None:
    """Change a record and the report follows; the package never opens seed-facts.yaml."""
    AggregateReturn.objects.filter(kind="border_markers").update(value=443)
    text = render("border-management", "vi").docx_text
    assert "443 cột mốc" in text and "442" not in text
    AggregateReturn.objects.filter(kind="border_markers").delete()
    text = render("border-management", "en").docx_text
    assert "boundary markers" in text  # the sentence stays, the missing fact is a dash
    assert "marked by — boundary markers" in text
    for path in PACKAGE.rglob("*"):
        if path.suffix in (".py", ".yaml", ".html"):
            assert "seed-facts" not in path.read_text(encoding="utf-8"), path
