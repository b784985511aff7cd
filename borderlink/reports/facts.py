"""Facts a report states that are not indicators: read from the records of the report's unit.

An indicator (stats/indicators.yaml) is a figure that adds up over units and periods. A report
also states single facts the sources give and the registers hold: the length of the border
section, a marker that was inspected, the gates and their pairs, a return that declares one
particular total (the 20,000 masks given to Yunnan, not all masks given), the year of an event,
an agreement's title, a document's number and symbol. A template asks for them with placeholders
(reports/compose.py passes them here):

  {ret:KIND|to=CODE|per=time}  a declared return of KIND (latest up to the report's date):
                               `to=` its counterpart (`to=-`: none), `per=` a rate
  {length:SECTION}             a border section's official length, in km
  {marker:NUMBER}              a marker's number, once the register holds it
  {marker_place:NUMBER}        the commune (and district) it stands in
  {gates:KIND}                 how many gates of KIND (international, bilateral…) on our side
  {pairs:KIND}                 those gates with their counterparts: "A – B; C – D"
  {year:KIND}                  the year of the first activity of KIND in the period
  {agreements:k=v,…}           how many agreements (fields domain, level, status) are in force
  {agreement:k=v,…}            the first such agreement's title (in force or not)
  {agreement_year:k=v,…}       the year it was signed
  {ref:SOURCE}                 a document's number and symbol (its source record's reference)

Each fact brings the sources of the records it was read from, and only records the reader is
cleared for count. Words around the facts are the template's: this module returns numbers,
names and titles only, in the report's language and number format.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from borderlink.border.choices import GateStatus
from borderlink.border.models import BorderSection, Gate, Marker
from borderlink.core.models import Source
from borderlink.core.numbers import number
from borderlink.ledger.models import Activity, AggregateReturn
from borderlink.places.models import Unit
from borderlink.places.scope import Scope, resolve
from borderlink.stats.display import amount_words, qualifier_words
from borderlink.stats.engine import Window
from borderlink.ties.models import Agreement

# Amounts of money in words, after the number: "42 tỷ đồng", "42 billion VND", "420亿越南盾".
CURRENCY_WORDS = {"VND": {"vi": "đồng", "en": "VND", "zh": "越南盾"}}
NAMES = {"vi", "en", "zh"}


@dataclass
class Fact:
    text: str
    sources: list[Source] = field(default_factory=list)


def currency_word(code: str, lang: str) -> str:
    return CURRENCY_WORDS.get(code, {}).get(lang, code)


def unit_name(unit: Unit, lang: str) -> str:
    """The name in `lang`; a Chinese unit named in Vietnamese or English keeps its characters."""
    name, _native = unit.display_name(lang)
    if lang != "zh" and unit.country == "CN" and unit.name_zh and unit.name_zh not in name:
        return f"{name} ({unit.name_zh})"
    return name


# The words a gate's name carries that a "pair" of gates leaves out: "Thanh Thủy – Thiên Bảo".
GATE_WORDS = {
    "vi": re.compile(r"^cửa khẩu\s+(quốc tế\s+|song phương\s+|chính\s+|phụ\s+)?", re.I),
    "en": re.compile(r"(\s+international)?\s+(border gate|port|border crossing)$", re.I),
    "zh": re.compile(r"(国际|双边)?口岸$"),
}


def gate_name(unit: Unit, lang: str) -> str:
    """A gate's name without the word "gate", as one side of a pair; a Chinese gate keeps its
    characters in Vietnamese and English: "Thiên Bảo (天保)"."""
    name, native = unit.display_name(lang)
    # A name missing in `lang` comes in the unit's own language: strip that language's words.
    words = GATE_WORDS[("vi" if unit.country == "VN" else "zh") if native else lang]
    short = words.sub("", name).strip() or name
    if lang != "zh" and unit.country == "CN" and unit.name_zh:
        short = f"{short} ({GATE_WORDS['zh'].sub('', unit.name_zh) or unit.name_zh})"
    return short


def _filters(arg: str) -> dict[str, str]:
    """ "domain=border,level=national" -> {"domain": "border", "level": "national"}."""
    out = {}
    for part in arg.split(","):
        key, _eq, value = part.partition("=")
        if key.strip():
            out[key.strip()] = value.strip()
    return out


class Facts:
    def __init__(self, unit: Unit, window: Window, lang: str, clearance: int) -> None:
        self.unit, self.window, self.lang, self.clearance = unit, window, lang, clearance
        self.day = window.stock_day
        self._scope: Scope | None = None

    @property
    def scope(self) -> Scope:
        if self._scope is None:
            self._scope = resolve(self.unit, self.window.as_of)
        return self._scope

    def get(self, name: str, arg: str) -> Fact | None:
        """The fact a placeholder asks for, or None when the records do not hold it."""
        return getattr(self, f"_{name}")(arg)

    # Returns ---------------------------------------------------------------------------------

    def amount(self, value: Decimal, qualifier: str, currency: str = "") -> str:
        text = amount_words(value) if currency and value >= 10**6 else number(value)
        if currency:
            text = f"{text} {currency_word(currency, self.lang)}"
        words = qualifier_words(qualifier)
        return f"{words} {text}" if words else text

    def _ret(self, arg: str) -> Fact | None:
        kind, *options = arg.split("|")
        wanted = _filters(",".join(options))
        qs = AggregateReturn.objects.filter(
            self.scope.q(), kind=kind, period_to__lte=self.day, per=wanted.get("per", "")
        )
        counterpart = wanted.get("to")
        if counterpart == "-":
            qs = qs.filter(counterpart__isnull=True)
        elif counterpart:
            qs = qs.filter(counterpart__code=counterpart)
        found = qs.select_related("source").order_by("-period_to", "-pk").first()
        if found is None:
            return None
        currency = found.currency if found.measure == AggregateReturn.Measure.VALUE else ""
        text = self.amount(Decimal(found.value), found.qualifier, currency)
        return Fact(text, [found.source] if found.source else [])

    # The border ------------------------------------------------------------------------------

    def _length(self, code: str) -> Fact | None:
        section = BorderSection.objects.filter(code=code).select_related("source").first()
        if section is None or not section.official_length_km:
            return None
        return Fact(number(section.official_length_km), _sources(section))

    def _marker_record(self, number_: str) -> Marker | None:
        return (
            Marker.objects.filter(self.scope.q(), number=number_)
            .select_related("commune", "source")
            .first()
        )

    def _marker(self, number_: str) -> Fact | None:
        marker = self._marker_record(number_)
        return Fact(marker.number, _sources(marker)) if marker else None

    def _marker_place(self, number_: str) -> Fact | None:
        marker = self._marker_record(number_)
        if marker is None or marker.commune is None:
            return None
        commune = marker.commune
        parent = commune.parent
        text = in_sentence(unit_name(commune, self.lang), self.lang)
        if parent is not None and parent.kind == "district":
            around = in_sentence(unit_name(parent, self.lang), self.lang)
            text = f"{text}（{around}）" if self.lang == "zh" else f"{text} ({around})"
        return Fact(text, _sources(marker))

    def _our_gates(self, kind: str) -> list[Gate]:
        return list(
            Gate.objects.filter(self.scope.q(), kind=kind, unit__country=self.unit.country)
            .filter(status__in=[GateStatus.OPEN, GateStatus.RESTRICTED])
            .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=self.day))
            .select_related("unit", "source")
            .order_by("unit__code")
        )

    def _gates(self, kind: str) -> Fact | None:
        gates = self._our_gates(kind)
        if not gates:
            return None
        return Fact(number(len(gates)), [s for g in gates for s in _sources(g)])

    def _pairs(self, kind: str) -> Fact | None:
        pairs, sources = [], []
        for gate in self._our_gates(kind):
            theirs = (
                Gate.objects.filter(Q(pk=gate.counterpart_id or 0) | Q(counterpart=gate))
                .exclude(pk=gate.pk)
                .select_related("unit", "source")
                .first()
            )
            if theirs is None:
                continue
            pairs.append(f"{gate_name(gate.unit, self.lang)} – {gate_name(theirs.unit, self.lang)}")
            sources += _sources(gate) + _sources(theirs)
        if not pairs:
            return None
        return Fact("；".join(pairs) if self.lang == "zh" else "; ".join(pairs), sources)

    # Activities, agreements, documents -------------------------------------------------------

    def _year(self, kind: str) -> Fact | None:
        qs = Activity.objects.filter(
            self.scope.q(), kind=kind, occurred_on__lte=self.window.end
        ).filter(sensitivity__lte=self.clearance)
        if self.window.start:
            qs = qs.filter(occurred_on__gte=self.window.start)
        first = qs.select_related("source").order_by("occurred_on", "pk").first()
        if first is None:
            return None
        return Fact(str(first.occurred_on.year), _sources(first))

    def _agreement_records(self, arg: str) -> list[Agreement]:
        qs = Agreement.objects.filter(self.scope.q(), **_filters(arg))
        return list(qs.select_related("source").order_by("signed_on", "pk"))

    def _agreements(self, arg: str) -> Fact | None:
        found = [a for a in self._agreement_records(arg) if a.in_force_on(self.day)]
        if not found:
            return None
        return Fact(number(len(found)), [s for a in found for s in _sources(a)])

    def _agreement(self, arg: str) -> Fact | None:
        found = self._agreement_records(arg)
        if not found:
            return None
        first = found[0]
        title = getattr(first, f"title_{self.lang}", "") or first.title_vi
        return Fact(title, _sources(first))

    def _agreement_year(self, arg: str) -> Fact | None:
        found = [(a, signed) for a in self._agreement_records(arg) if (signed := a.signed_on)]
        if not found:
            return None
        agreement, signed = found[0]
        return Fact(str(signed.year), _sources(agreement))

    def _ref(self, code: str) -> Fact | None:
        source = Source.objects.filter(code=code).first()
        if source is None or not source.reference:
            return None
        return Fact(source.reference, [source])


PAGE_VISITS = "source.page_visits"


def page_visits(source: Source) -> str:
    """The visit counter a source's web page printed when it was retrieved, as that page set it
    out ("Today 1,397; Yesterday 2,163; Month 07 42,850; Year 2024 548,196"): returns of kind
    `source.page_visits` citing the source. It describes the page, not the period of a report,
    so a report prints it beside the source whatever its dates."""
    counts = list(
        AggregateReturn.objects.filter(source=source, kind=PAGE_VISITS).order_by(
            "period_to", "period_from"
        )
    )
    if not counts:
        return ""
    last = max(r.period_to for r in counts)
    parts = []
    for r in sorted(counts, key=lambda r: r.period_from or r.period_to, reverse=True):
        first = r.period_from or r.period_to
        if first == r.period_to == last:
            label = _("Today")
        elif first == r.period_to == last - datetime.timedelta(days=1):
            label = _("Yesterday")
        elif first == last.replace(day=1):
            label = _("Month %(month)s") % {"month": f"{last.month:02d}"}
        elif first == last.replace(month=1, day=1):
            label = _("Year %(year)s") % {"year": last.year}
        else:
            continue
        parts.append(f"{label}: {number(r.value)}")
    return f"{_('Visits')}: {'; '.join(parts)}" if parts else ""


def _sources(record: object) -> list[Source]:
    source = getattr(record, "source", None)
    return [source] if isinstance(source, Source) else []


# Vietnamese writes a unit's type in lower case inside a sentence ("của tỉnh Hà Giang"), while the
# gazetteer's name stands alone ("Tỉnh Hà Giang"). Only administrative types: "Đồn Biên phòng …"
# and "Khu tự trị …" are proper names and keep their capitals.
VI_TYPES = (
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "thị xã",
    "thị trấn",
    "xã",
    "phường",
    "châu",
)


def in_sentence(name: str, lang: str) -> str:
    if lang != "vi":
        return name
    lowered = name.lower()
    for kind in VI_TYPES:
        if lowered.startswith(kind + " "):
            return kind + name[len(kind) :]
    return name
