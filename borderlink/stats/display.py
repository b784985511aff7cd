"""Figures as words and numbers in each language's conventions.

Numbers follow the active language's format module (borderlink/formats): 1.456 and 277,556 in
Vietnamese, 1,456 and 277.556 in English and Chinese. Large amounts are said the way each
language counts them: "42 billion", "42 tỷ", "420亿".
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from borderlink.core.choices import Qualifier
from borderlink.core.numbers import number
from borderlink.ledger.models import AggregateReturn
from borderlink.stats.engine import Figure
from borderlink.stats.indicators import Indicator
from borderlink.stats.models import ExchangeRate

DJANGO_LANG = {"vi": "vi", "en": "en", "zh": "zh-hans"}


def django_lang(lang: str) -> str:
    return DJANGO_LANG.get("zh" if lang.startswith("zh") else lang[:2], "en")


def day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)


def qualifier_words(qualifier: str) -> str:
    words: dict[str, str] = {
        Qualifier.MORE_THAN: _("more than"),
        Qualifier.AT_LEAST: _("at least"),
        Qualifier.NEARLY: _("nearly"),
        Qualifier.ABOUT: _("about"),
    }
    return words.get(qualifier, "")


def amount_words(value: Decimal) -> str:
    """A large amount in words: "1.8 million", "1,8 triệu", "181万"."""
    lang = (translation.get_language() or "vi")[:2]
    value = Decimal(value)
    if lang == "zh":
        for size, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            if value >= size:
                return f"{number(value / size, 1 if value < size * 10 else 0)}{word}"
        return number(value)
    steps = (
        (Decimal(10) ** 9, _("billion")),
        (Decimal(10) ** 6, _("million")),
        (Decimal(10) ** 3, _("thousand")),
    )
    for size, word in steps:
        if value >= size:
            scaled = value / size
            return f"{number(scaled, 1 if scaled < 10 else 0)} {word}"
    return number(value)


def figure_text(fig: Figure, with_unit: bool = True) -> str:
    """One figure as a phrase: "1.456", "34/34", "more than 42 billion VND"."""
    if fig.value is None:
        return "—"
    if fig.indicator.is_ratio:
        total = "?" if fig.denominator is None else number(fig.denominator)
        text = f"{number(fig.value)}/{total}"
    elif fig.indicator.rule == "since":
        return str(int(fig.value))
    elif fig.indicator.measure == "value" and fig.value >= 10**6:
        text = amount_words(fig.value)
    else:
        text = number(fig.value)
    words = qualifier_words(fig.qualifier)
    if words:
        text = f"{words} {text}"
    unit = fig.indicator.unit_label(translation.get_language(), fig.value)
    if fig.indicator.measure == "value" and fig.indicator.currency:
        unit = fig.indicator.currency
    return f"{text} {unit}".strip() if with_unit and not fig.indicator.is_ratio else text


def rate_on(currency: str, quote: str, on: datetime.date) -> ExchangeRate | None:
    """The latest rate for the pair on or before `on`."""
    return (
        ExchangeRate.objects.filter(currency=currency, quote=quote, on__lte=on)
        .select_related("source")
        .order_by("-on")
        .first()
    )


def converted(value: Decimal, currency: str, quote: str, on: datetime.date) -> str:
    """ "about 1.8 million USD at 23,200 VND per USD (31/12/2020)", or "" with no dated rate."""
    rate = rate_on(currency, quote, on)
    if rate is None or not rate.rate:
        return ""
    amount = amount_words(Decimal(value) / rate.rate)
    return _("about %(amount)s %(quote)s at %(rate)s %(currency)s per %(quote)s on %(day)s") % {
        "amount": amount,
        "quote": quote,
        "rate": number(rate.rate),
        "currency": currency,
        "day": day(rate.on),
    }


def return_text(r: AggregateReturn, ind: Indicator) -> str:
    """An aggregate return's value as the indicator says it: "1,456 letters", "more than 2,000
    persons"."""
    value = Decimal(r.value)
    words = qualifier_words(r.qualifier)
    return f"{words} {number(value)} {ind.unit_label(None, value)}".strip()


def period_text(r: AggregateReturn) -> str:
    """A return's own period: "01/01/2012 – 30/06/2021", "… – 31/12/2020" with no start."""
    start = day(r.period_from) if r.period_from else "…"
    return f"{start} – {day(r.period_to)}"
