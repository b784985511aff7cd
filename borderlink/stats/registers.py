from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.spec import Register, register
from borderlink.stats.models import ExchangeRate

register(
    Register(
        model=ExchangeRate,
        slug="rates",
        select_related=["source"],
        fields=["currency", "quote", "rate", "on", "note", *SOURCE_FIELDS],
        list_display=["currency", "quote", "rate", "on", "source"],
        unit_field="",
        search_fields=["currency", "quote", "note"],
        filter_fields=["currency", "quote"],
        ordering=["currency", "quote", "-on"],
    )
)
