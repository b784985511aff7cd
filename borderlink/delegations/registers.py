from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.roles import PERSONAL
from borderlink.delegations import forms
from borderlink.delegations.models import Delegation, DelegationApproval, DelegationMember
from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.personal import recorder
from borderlink.registers.spec import PersonalData, Register, register

register(
    Register(
        model=Delegation,
        slug="delegations",
        select_related=[
            "home_unit",
            "counterpart",
            "partnership",
            "agreement",
            "mechanism",
            "source",
        ],
        prefetch_related=["host_units", "guest_units"],
        fields=[
            "title",
            "way",
            "level",
            "home_unit",
            "counterpart",
            "host_units",
            "guest_units",
            "purpose",
            "diplomacy",
            "channel",
            "partnership",
            "agreement",
            "mechanism",
            "head_position",
            "starts_on",
            "ends_on",
            "places",
            "programme",
            "documents_status",
            "budget",
            "budget_currency",
            "report",
            "reported_on",
            "sensitivity",
            *SOURCE_FIELDS,
        ],
        list_display=["title", "way", "level", "home_unit", "counterpart", "starts_on", "status"],
        unit_field="home_unit",
        search_fields=["title", "purpose", "places", "counterpart__search_text"],
        filter_fields=[
            "way",
            "level",
            "status",
            "diplomacy",
            "channel",
            "home_unit",
            "counterpart",
            "mechanism",
            "starts_on",
        ],
        ordering=["starts_on", "title", "status"],
        form_base=forms.DelegationForm,
        related=[(_("approvals"), "approvals")],
        detail_extra=lambda obj, user: {"extra_template": "delegations/_delegation.html"},
        import_help=_(
            "Imported delegations start as proposals; the workflow on each delegation's page "
            "approves them, sends them on their way and records their report."
        ),
    )
)

register(
    Register(
        model=DelegationMember,
        slug="delegation-members",
        select_related=["delegation"],
        fields=[
            "delegation",
            "role",
            "full_name",
            "position",
            "organisation",
            "document_kind",
            "document_number",
            "document_expires_on",
        ],
        list_display=["delegation", "role", "full_name", "position", "document_kind"],
        unit_field="delegation.home_unit",
        search_fields=["position", "organisation", "delegation__title"],
        filter_fields=["role", "document_kind", "delegation"],
        ordering=["delegation", "role"],
        form_base=forms.MemberForm,
        personal=PersonalData(
            list(DelegationMember.history_masked_fields),
            PERSONAL,
            # A name finds a member only where the user may see names: no oracle for the rest.
            exact_search=lambda text: Q(full_name__icontains=text),
            audit=recorder(DelegationMember),
        ),
        import_help=_(
            "Personal data: names and travel documents are shown only to the units that organise "
            "the delegation; everyone else, and the change history, sees them masked."
        ),
    )
)

register(
    Register(
        model=DelegationApproval,
        slug="delegation-approvals",
        select_related=["delegation"],
        fields=["delegation", "authority", "decision_number", "given_on", "given_by", "note"],
        list_display=["delegation", "authority", "decision_number", "given_on", "given_by"],
        unit_field="delegation.home_unit",
        search_fields=["authority", "decision_number", "delegation__title"],
        filter_fields=["delegation", "given_on"],
        ordering=["given_on", "delegation"],
        form_base=forms.ApprovalForm,
    )
)
