from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.roles import PERSONAL
from borderlink.people import forms
from borderlink.people.crypto import blind_index
from borderlink.people.models import HandoverPerson, LabourRegistration, Scholarship
from borderlink.registers.bases import SOURCE_FIELDS
from borderlink.registers.personal import recorder
from borderlink.registers.spec import PersonalData, Register, register

IDENTITY = ["full_name", "birth_date", "id_number"]


def _by_id_number(text: str) -> Q:
    index = blind_index(text)
    return Q(id_number_index=index) if index else Q(pk__in=[])


register(
    Register(
        model=LabourRegistration,
        slug="labour-registrations",
        select_related=["agreement", "home_unit", "home_commune", "workplace", "source"],
        fields=[
            "agreement",
            "home_unit",
            *IDENTITY,
            "home_commune",
            "employer",
            "workplace",
            "contract_from",
            "contract_to",
            "departed_on",
            "returned_on",
            "status",
            "problem_kind",
            "problems",
            "resolution",
            *SOURCE_FIELDS,
        ],
        list_display=[
            "full_name",
            "home_commune",
            "agreement",
            "departed_on",
            "returned_on",
            "status",
            "problem_kind",
        ],
        unit_field="home_unit",
        search_fields=["employer", "home_commune__search_text"],
        filter_fields=["agreement", "home_commune", "status", "problem_kind", "departed_on"],
        ordering=["departed_on", "status"],
        form_base=forms.LabourForm,
        personal=PersonalData(
            [*IDENTITY, "problems", "resolution"],
            PERSONAL,
            exact_search=_by_id_number,
            audit=recorder(LabourRegistration),
        ),
        import_help=_(
            "Identity numbers and dates of birth are encrypted when saved; only labour officers "
            "see them, and exports by anyone else carry them masked."
        ),
    )
)

register(
    Register(
        model=Scholarship,
        slug="scholarships",
        select_related=["home_unit", "counterpart", "source"],
        fields=[
            "year",
            "direction",
            "home_unit",
            "counterpart",
            "institution",
            "field_of_study",
            "full_scholarship",
            *IDENTITY,
            "status",
            "ends_on",
            *SOURCE_FIELDS,
        ],
        list_display=["year", "direction", "counterpart", "institution", "full_name", "status"],
        unit_field="home_unit",
        search_fields=["institution", "field_of_study"],
        filter_fields=["direction", "status", "counterpart", "home_unit"],
        ordering=["year", "institution", "status"],
        form_base=forms.ScholarshipForm,
        personal=PersonalData(
            IDENTITY, PERSONAL, exact_search=_by_id_number, audit=recorder(Scholarship)
        ),
    )
)

register(
    Register(
        model=HandoverPerson,
        slug="handover-persons",
        select_related=["handover"],
        fields=["handover", *IDENTITY, "nationality", "sex", "note"],
        list_display=["handover", "full_name", "nationality", "sex"],
        unit_field="handover.home_unit",
        search_fields=["handover__title"],
        filter_fields=["nationality", "sex"],
        ordering=["handover", "nationality"],
        form_base=forms.HandoverPersonForm,
        personal=PersonalData(
            [*IDENTITY, "note"],
            PERSONAL,
            exact_search=_by_id_number,
            audit=recorder(HandoverPerson),
        ),
    )
)
