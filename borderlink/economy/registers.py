from django.utils.translation import gettext_lazy as _

from borderlink.economy import forms
from borderlink.economy.models import ElectricityFlow, Enterprise, InvestmentProject, ProjectIssue
from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.spec import Register, register

register(
    Register(
        model=Enterprise,
        slug="enterprises",
        select_related=["unit", "home_unit", "source"],
        fields=["unit", "sector", "home_unit", "registration_number", "note", *SOURCE_FIELDS],
        list_display=["unit", "sector", "home_unit", "registration_number"],
        unit_field="home_unit",
        search_fields=["code", "unit__search_text", "registration_number"],
        filter_fields=["sector", "home_unit"],
        ordering=["code", "sector"],
        form_base=forms.EnterpriseForm,
        related=[(_("projects"), "projects")],
        import_help=_(
            "The enterprise is first a unit of kind “enterprise” in the gazetteer (its names in "
            "three languages); give that unit's code."
        ),
    )
)

register(
    Register(
        model=InvestmentProject,
        slug="investment-projects",
        select_related=["home_unit", "location", "source"],
        prefetch_related=["enterprises"],
        fields=[
            "code",
            "title",
            "sector",
            "home_unit",
            "enterprises",
            "location",
            "currency",
            "registered_capital",
            "registered_on",
            "disbursed_capital",
            "disbursed_as_of",
            "licence_number",
            "licensed_on",
            "status",
            "jobs_created",
            "note",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "title",
            "sector",
            "location",
            "registered_capital",
            "currency",
            "status",
            "jobs_created",
        ],
        unit_field="home_unit",
        search_fields=["code", "title", "note"],
        filter_fields=["sector", "status", "home_unit", "location", "licensed_on"],
        ordering=["code", "title", "status", "licensed_on"],
        form_base=forms.ProjectForm,
        related=[(_("problems raised"), "issues")],
    )
)

register(
    Register(
        model=ProjectIssue,
        slug="project-issues",
        select_related=["project"],
        fields=[
            "project",
            "raised_on",
            "raised_by",
            "problem",
            "status",
            "resolved_on",
            "resolution",
        ],
        list_display=["project", "raised_on", "raised_by", "status", "resolved_on"],
        unit_field="project.home_unit",
        search_fields=["problem", "resolution", "project__title"],
        filter_fields=["status", "raised_by", "project", "raised_on"],
        ordering=["raised_on", "status"],
        form_base=forms.IssueForm,
    )
)

register(
    Register(
        model=ElectricityFlow,
        slug="electricity-flows",
        select_related=["home_unit", "counterpart", "source"],
        fields=[
            "home_unit",
            "counterpart",
            "direction",
            "period_from",
            "period_to",
            "energy",
            "energy_unit",
            "value",
            "currency",
            "connection",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "direction",
            "counterpart",
            "period_from",
            "period_to",
            "energy",
            "energy_unit",
            "value",
            "currency",
        ],
        unit_field="home_unit",
        search_fields=["connection", "counterpart__search_text"],
        filter_fields=["direction", "home_unit", "counterpart", "period_from"],
        ordering=["period_from", "direction"],
        form_base=forms.ElectricityForm,
        import_help=_(
            "One row per counterpart, direction and period; energy in kWh, MWh or GWh, the value "
            "in its own ISO 4217 currency."
        ),
    )
)
