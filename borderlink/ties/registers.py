from django.utils.translation import gettext_lazy as _

from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.spec import Register, register
from borderlink.ties.forms import AgreementForm, MechanismForm, PartnershipForm
from borderlink.ties.models import Agreement, Mechanism, Partnership, Programme
from borderlink.ties.pages import mechanism_extra, partnership_extra

register(
    Register(
        model=Programme,
        slug="programmes",
        select_related=["source"],
        fields=["code", "name_vi", "name_en", "name_zh", *SOURCE_FIELDS],
        list_display=["name_vi", "name_en", "name_zh", "code"],
        unit_field="",
        search_fields=["code", "name_vi", "name_en", "name_zh"],
        ordering=["code"],
    )
)

register(
    Register(
        model=Partnership,
        slug="partnerships",
        select_related=["programme", "home_unit", "source"],
        prefetch_related=["our_units", "their_units"],
        fields=[
            "title",
            "kind",
            "programme",
            "home_unit",
            "our_units",
            "their_units",
            "started_on",
            "ended_on",
            "diplomacy",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=["title", "kind", "our_units", "their_units", "started_on", "programme"],
        unit_field="home_unit",
        search_fields=["title", "note", "our_units__search_text", "their_units__search_text"],
        filter_fields=["kind", "programme", "diplomacy", "home_unit", "started_on"],
        ordering=["title", "started_on", "kind"],
        form_base=PartnershipForm,
        # The activities under it, the returns between its units, "record an activity".
        detail_extra=partnership_extra,
    )
)

register(
    Register(
        model=Agreement,
        slug="agreements",
        select_related=["home_unit", "renews", "source"],
        prefetch_related=["our_parties", "their_parties", "legal_basis"],
        fields=[
            "number",
            "title_vi",
            "title_en",
            "title_zh",
            "domain",
            "level",
            "home_unit",
            "our_parties",
            "their_parties",
            "our_signatory",
            "their_signatory",
            "signed_on",
            "in_force_from",
            "expires_on",
            "status",
            "legal_basis",
            "renews",
            "diplomacy",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=["title_vi", "number", "level", "domain", "signed_on", "expires_on", "status"],
        unit_field="home_unit",
        search_fields=[
            "number",
            "title_vi",
            "title_en",
            "title_zh",
            "our_parties__search_text",
            "their_parties__search_text",
        ],
        filter_fields=[
            "status",
            "domain",
            "level",
            "diplomacy",
            "home_unit",
            "signed_on",
            "expires_on",
        ],
        ordering=["signed_on", "expires_on", "title_vi", "status"],
        form_base=AgreementForm,
        file_fields=["text_vi", "text_en", "text_zh"],
        related=[
            (_("rests on"), "legal_basis"),
            (_("basis for"), "basis_for"),
            (_("activities"), "activities"),
        ],
    )
)

register(
    Register(
        model=Mechanism,
        slug="mechanisms",
        select_related=["home_unit", "source"],
        prefetch_related=["our_members", "their_members"],
        fields=[
            "code",
            "title_vi",
            "title_en",
            "title_zh",
            "frequency",
            "home_unit",
            "our_members",
            "their_members",
            "diplomacy",
            "started_on",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=["title_vi", "frequency", "our_members", "their_members", "diplomacy"],
        unit_field="home_unit",
        search_fields=["code", "title_vi", "title_en", "title_zh"],
        filter_fields=["frequency", "diplomacy", "home_unit"],
        ordering=["code", "title_vi"],
        form_base=MechanismForm,
        # Its meetings, and "record a meeting" (the ledger's form with the mechanism filled in).
        detail_extra=mechanism_extra,
    )
)
