from django.utils.translation import gettext_lazy as _

from borderlink.core.permissions import restrict
from borderlink.ledger import entry
from borderlink.ledger.forms import (
    HANDOVER_COUNTS,
    ActivityForm,
    CommitmentForm,
    HandoverForm,
    ReturnForm,
)
from borderlink.ledger.models import Activity, AggregateReturn, Commitment, HandoverDetail
from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.spec import Register, register

register(
    Register(
        model=Activity,
        slug="activities",
        fields=[
            "kind",
            "occurred_on",
            "ended_on",
            "title",
            "home_unit",
            "counterpart",
            "partnership",
            "agreement",
            "mechanism",
            "channel",
            "diplomacy",
            "direction",
            "sensitivity",
            "count",
            "persons",
            "value",
            "currency",
            "quantity",
            "quantity_unit",
            "outcomes",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "title",
            "kind",
            "occurred_on",
            "home_unit",
            "counterpart",
            "count",
            "persons",
        ],
        unit_field="home_unit",
        search_fields=["title", "outcomes", "home_unit__search_text", "counterpart__search_text"],
        filter_fields=[
            "kind",
            "channel",
            "diplomacy",
            "direction",
            "home_unit",
            "counterpart",
            "mechanism",
            "occurred_on",
        ],
        ordering=["occurred_on", "title", "kind"],
        # Links most entries leave empty are fetched apart: joined, they cost the planner more
        # than the page (six joins under an id list: 10 ms of planning against 1 ms).
        select_related=["home_unit", "counterpart"],
        prefetch_related=["partnership", "agreement", "mechanism", "source"],
        form_base=ActivityForm,
        date_field="occurred_on",
        defaults=entry.defaults,
        quick=entry.QUICK,
        related=[(_("commitments agreed"), "commitments"), (_("fulfils"), "fulfils")],
        detail_extra=lambda obj, user: {"extra_template": "ledger/_activity_detail.html"},
    )
)

register(
    Register(
        model=Commitment,
        slug="commitments",
        select_related=["meeting", "home_unit", "their_owner", "source"],
        prefetch_related=["fulfilled_by"],
        fields=[
            "meeting",
            "text",
            "home_unit",
            "their_owner",
            "due_on",
            "status",
            "fulfilled_by",
            *SOURCE_FIELDS,
        ],
        list_display=["text", "home_unit", "their_owner", "due_on", "status", "meeting"],
        unit_field="home_unit",
        search_fields=["text"],
        filter_fields=["status", "home_unit", "due_on"],
        ordering=["due_on", "status"],
        form_base=CommitmentForm,
        detail_extra=lambda obj, user: {"extra_template": "ledger/_commitment_status.html"},
        related=[(_("fulfilled by"), "fulfilled_by")],
    )
)

register(
    Register(
        model=AggregateReturn,
        slug="returns",
        select_related=["home_unit", "counterpart", "source"],
        fields=[
            "home_unit",
            "counterpart",
            "kind",
            "direction",
            "measure",
            "period_from",
            "period_to",
            "value",
            "denominator",
            "qualifier",
            "per",
            "currency",
            "item",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "home_unit",
            "kind",
            "measure",
            "value",
            "period_from",
            "period_to",
            "source",
        ],
        unit_field="home_unit",
        search_fields=["kind", "item", "note", "home_unit__search_text"],
        filter_fields=["kind", "measure", "home_unit", "period_to"],
        ordering=["period_to", "kind"],
        form_base=ReturnForm,
        detail_extra=lambda obj, user: {
            "extra_template": "ledger/_return_overlap.html",
            # Only the entries this user may see: the list names them.
            "overlaps": list(restrict(obj.overlapping_activities(), user, "view")[:21]),
        },
    )
)

register(
    Register(
        model=HandoverDetail,
        slug="handover-counts",
        select_related=["activity"],
        fields=["activity", *HANDOVER_COUNTS],
        list_display=["activity", *HANDOVER_COUNTS],
        unit_field="activity.home_unit",
        search_fields=["activity__title"],
        filter_fields=[],
        ordering=["activity"],
        form_base=HandoverForm,
    )
)
