from django.utils.translation import gettext_lazy as _

from borderlink.border import forms
from borderlink.border.models import (
    Alert,
    BorderSection,
    Gate,
    GateFigure,
    GateProject,
    Incident,
    IncidentStep,
    Inspection,
    Marker,
    MarkerCheck,
    SectionAssignment,
)
from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.spec import Register, register

register(
    Register(
        model=BorderSection,
        slug="border-sections",
        select_related=["part_of", "home_unit", "source"],
        fields=[
            "code",
            "name_vi",
            "name_en",
            "name_zh",
            "part_of",
            "home_unit",
            "geometry_note",
            "official_length_km",
            *SOURCE_FIELDS,
        ],
        list_display=["name_vi", "code", "part_of", "home_unit", "official_length_km"],
        unit_field="home_unit",
        search_fields=["code", "name_vi", "name_en", "name_zh"],
        filter_fields=["part_of", "home_unit"],
        ordering=["code", "name_vi"],
        form_base=forms.SectionForm,
        related=[
            (_("parts"), "parts"),
            (_("assignments"), "assignments"),
            (_("markers"), "markers"),
        ],
        detail_extra=lambda obj, user: {"extra_template": "border/_section_length.html"},
    )
)

register(
    Register(
        model=SectionAssignment,
        slug="section-assignments",
        select_related=["section", "home_unit", "commune", "station", "source"],
        fields=[
            "section",
            "home_unit",
            "commune",
            "station",
            "valid_from",
            "valid_to",
            *SOURCE_FIELDS,
        ],
        list_display=["section", "home_unit", "commune", "station", "valid_from", "valid_to"],
        unit_field="home_unit",
        search_fields=["section__name_vi", "home_unit__search_text", "station__search_text"],
        filter_fields=["section", "home_unit", "station", "valid_from"],
        ordering=["valid_from", "section"],
        form_base=forms.AssignmentForm,
    )
)

register(
    Register(
        model=Marker,
        slug="markers",
        select_related=["section", "commune", "home_unit", "source"],
        fields=[
            "number",
            "kind",
            "size",
            "section",
            "commune",
            "home_unit",
            "latitude",
            "longitude",
            "accuracy",
            "elevation_m",
            "condition",
            "description",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "number",
            "kind",
            "section",
            "commune",
            "home_unit",
            "accuracy",
            "condition",
            "last_inspected_on",
        ],
        unit_field="home_unit",
        search_fields=["number", "code", "description", "commune__search_text"],
        filter_fields=["kind", "accuracy", "condition", "section", "home_unit", "commune"],
        ordering=["number", "condition", "last_inspected_on"],
        sort_keys={"number": "number_order"},
        form_base=forms.MarkerForm,
        related=[(_("checks"), "checks"), (_("incidents"), "incidents")],
        detail_extra=lambda obj, user: {"extra_template": "border/_marker_status.html"},
        import_help=_(
            "Leave latitude and longitude empty with the accuracy “unknown” where the position "
            "is not known: the map shows no point rather than a made-up one."
        ),
    )
)

register(
    Register(
        model=Inspection,
        slug="inspections",
        select_related=["home_unit", "counterpart", "source"],
        fields=[
            "inspected_on",
            "home_unit",
            "patrol",
            "joint",
            "counterpart",
            "notes",
            *SOURCE_FIELDS,
        ],
        list_display=["inspected_on", "home_unit", "patrol", "joint", "counterpart"],
        unit_field="home_unit",
        search_fields=["patrol", "notes", "home_unit__search_text"],
        filter_fields=["home_unit", "joint", "inspected_on"],
        ordering=["inspected_on", "home_unit"],
        form_base=forms.InspectionForm,
        related=[(_("markers checked"), "checks")],
    )
)

register(
    Register(
        model=MarkerCheck,
        slug="marker-checks",
        select_related=["inspection__home_unit", "marker"],
        fields=["inspection", "marker", "condition", "repaired", "notes"],
        file_fields=["photo"],
        list_display=["marker", "inspection", "condition", "repaired"],
        unit_field="inspection.home_unit",
        search_fields=["marker__number", "notes"],
        filter_fields=["condition", "repaired", "marker"],
        ordering=["inspection", "marker"],
        form_base=forms.MarkerCheckForm,
        import_help=_(
            "Damage, a moved or a lost marker opens an incident; a check marked “repaired” "
            "closes the marker's open incident."
        ),
    )
)

register(
    Register(
        model=Gate,
        slug="gates",
        select_related=["unit", "home_unit", "counterpart__unit", "source"],
        fields=[
            "unit",
            "kind",
            "home_unit",
            "counterpart",
            "status",
            "opened_on",
            "opening_hours",
            "latitude",
            "longitude",
            "accuracy",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=["unit", "kind", "counterpart", "status", "opening_hours", "opened_on"],
        unit_field="home_unit",
        search_fields=["code", "unit__search_text", "note"],
        filter_fields=["kind", "status", "home_unit"],
        ordering=["code", "kind", "status"],
        form_base=forms.GateForm,
        related=[(_("projects"), "projects")],
    )
)

register(
    Register(
        model=GateProject,
        slug="gate-projects",
        select_related=["gate__unit", "home_unit", "source"],
        fields=[
            "gate",
            "title",
            "home_unit",
            "status",
            "decided_on",
            "completed_on",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=["title", "gate", "status", "decided_on", "completed_on"],
        unit_field="home_unit",
        search_fields=["title", "note"],
        filter_fields=["gate", "status", "decided_on"],
        ordering=["decided_on", "title"],
        form_base=forms.GateProjectForm,
    )
)

register(
    Register(
        model=GateFigure,
        slug="gate-statistics",
        select_related=["gate__unit", "home_unit", "source"],
        fields=[
            "gate",
            "home_unit",
            "period_from",
            "period_to",
            "measure",
            "nationality",
            "value",
            "unit_of_measure",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "gate",
            "period_from",
            "period_to",
            "measure",
            "nationality",
            "value",
            "unit_of_measure",
        ],
        unit_field="home_unit",
        search_fields=["gate__code", "gate__unit__search_text"],
        filter_fields=["gate", "measure", "nationality", "period_from"],
        ordering=["period_from", "gate", "measure"],
        form_base=forms.GateFigureForm,
        import_help=_(
            "One row per figure: a day (from = to) or a whole month. Units of measure: "
            "“persons” for persons, “vehicles” for vehicles, an ISO 4217 currency for values."
        ),
    )
)

register(
    Register(
        model=Incident,
        slug="incidents",
        select_related=["home_unit", "marker", "section", "counterpart", "source"],
        prefetch_related=["handovers"],
        fields=[
            "kind",
            "title",
            "occurred_on",
            "home_unit",
            "reported_by",
            "marker",
            "section",
            "latitude",
            "longitude",
            "counterpart",
            "counterpart_notified_on",
            "status",
            "resolved_on",
            "outcome",
            "sensitivity",
            "public_cleared",
            "handovers",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "title",
            "kind",
            "occurred_on",
            "home_unit",
            "marker",
            "status",
            "resolved_on",
        ],
        unit_field="home_unit",
        search_fields=["title", "outcome", "reported_by", "home_unit__search_text"],
        filter_fields=["kind", "status", "home_unit", "marker", "occurred_on"],
        ordering=["occurred_on", "status", "kind"],
        form_base=forms.IncidentForm,
        related=[(_("steps"), "steps"), (_("hand-overs of citizens"), "handovers")],
        detail_extra=lambda obj, user: {"extra_template": "border/_incident_summary.html"},
    )
)

register(
    Register(
        model=IncidentStep,
        slug="incident-steps",
        select_related=["incident"],
        fields=["incident", "side", "taken_on", "action"],
        list_display=["incident", "side", "taken_on", "action"],
        unit_field="incident.home_unit",
        search_fields=["action", "incident__title"],
        filter_fields=["side", "incident", "taken_on"],
        ordering=["taken_on", "incident"],
        form_base=forms.IncidentStepForm,
    )
)

register(
    Register(
        model=Alert,
        slug="alerts",
        select_related=["home_unit", "counterpart", "source"],
        prefetch_related=["area_units"],
        fields=[
            "identifier",
            "sender",
            "direction",
            "home_unit",
            "counterpart",
            "msg_type",
            "hazard",
            "event",
            "severity",
            "urgency",
            "certainty",
            "issued_at",
            "received_at",
            "acknowledged_at",
            "expires_at",
            "area_desc",
            "area_units",
            "polygon",
            "headline_vi",
            "headline_en",
            "headline_zh",
            "description_vi",
            "description_en",
            "description_zh",
            "instruction_vi",
            "instruction_en",
            "instruction_zh",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "issued_at",
            "direction",
            "hazard",
            "severity",
            "area_desc",
            "acknowledged_at",
        ],
        unit_field="home_unit",
        search_fields=[
            "identifier",
            "event",
            "headline_vi",
            "headline_en",
            "headline_zh",
            "area_desc",
        ],
        filter_fields=["direction", "hazard", "severity", "urgency", "home_unit", "counterpart"],
        ordering=["issued_at", "hazard", "severity"],
        form_base=forms.AlertForm,
        detail_extra=lambda obj, user: {"extra_template": "border/_alert_cap.html"},
    )
)
