"""Per register: form data for a record kept by a given district, for the generic tests.

`home` is the responsible unit (Vị Xuyên, in scope of the test officer, or Đồng Văn, out of it);
`commune` a commune of that district, valid in 2020.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

from borderlink.ledger.models import Activity
from borderlink.places.models import Unit

_serial = itertools.count()
Sample = Callable[[str, str], dict[str, str]]


def _meeting(home: str) -> str:
    meeting = Activity.objects.create(
        kind="meeting",
        occurred_on=datetime.date(2020, 3, 1),
        title="Hội đàm thử",
        home_unit=Unit.objects.get(code=home),
        counterpart=Unit.objects.get(code="CN-532624"),
        diplomacy="state",
    )
    return str(meeting.pk)


SAMPLES: dict[str, Sample] = {
    "partnerships": lambda home, commune: {
        "title": f"Kết nghĩa thử {home}",
        "kind": "commune_cluster",
        "home_unit": home,
        "our_units": commune,
        "their_units": "CN-532624-TIANBAO",
        "started_on": "2019-01-01",
        "diplomacy": "people",
    },
    "agreements": lambda home, commune: {
        "title_vi": f"Thỏa thuận thử {home}",
        "domain": "border",
        "level": "district",
        "home_unit": home,
        "our_parties": home,
        "their_parties": "CN-532624",
        "status": "signed",
        "signed_on": "2019-05-01",
        "diplomacy": "state",
    },
    "mechanisms": lambda home, commune: {
        "code": f"test-{home.lower()}-{next(_serial)}",
        "title_vi": f"Cơ chế thử {home}",
        "frequency": "annual",
        "home_unit": home,
        "our_members": home,
        "their_members": "CN-532624",
        "diplomacy": "state",
    },
    "activities": lambda home, commune: {
        "kind": "letter",
        "occurred_on": "2020-05-01",
        "title": f"Thư thử {home}",
        "home_unit": home,
        "counterpart": "CN-532624",
        "channel": "letter",
        "diplomacy": "state",
        "direction": "sent",
        "sensitivity": "1",
        "count": "1",
    },
    "commitments": lambda home, commune: {
        "meeting": _meeting(home),
        "text": f"Trao đổi danh sách thử {home}",
        "home_unit": home,
        "due_on": "2020-06-01",
        "status": "open",
    },
    "returns": lambda home, commune: {
        "home_unit": home,
        "kind": "letter",
        "measure": "count",
        "period_from": "2012-01-01",
        "period_to": "2020-12-31",
        "value": "12",
        "qualifier": "exact",
    },
}

IN_SCOPE = ("VN-D030", "VN-C00928")  # Vị Xuyên, Thanh Thủy
OUT_OF_SCOPE = ("VN-D026", "VN-C00715")  # Đồng Văn, Lũng Cú


def _handover(home: str) -> str:
    handover = Activity.objects.create(
        kind="handover",
        occurred_on=datetime.date(2020, 3, 2),
        title="Trao trả thử",
        home_unit=Unit.objects.get(code=home),
        counterpart=Unit.objects.get(code="CN-532624"),
        diplomacy="state",
        persons=5,
    )
    return str(handover.pk)


SAMPLES["handover-counts"] = lambda home, commune: {
    "activity": _handover(home),
    "vn_male": "2",
    "vn_female": "3",
    "cn_male": "0",
    "cn_female": "0",
    "other_male": "0",
    "other_female": "0",
}


# Border operations (borderlink/border): helpers make the records a sample points at.
def _border_section(home: str) -> str:
    from borderlink.border.models import BorderSection

    code = f"test-section-{home.lower()}-{next(_serial)}"
    BorderSection.objects.create(
        code=code, name_vi="Đoạn thử", home_unit=Unit.objects.get(code=home)
    )
    return code


def _border_marker(home: str) -> str:
    from borderlink.border.models import BorderSection, Marker

    section = BorderSection.objects.get(code=_border_section(home))
    marker = Marker.objects.create(
        number=f"T{next(_serial)}", section=section, home_unit=Unit.objects.get(code=home)
    )
    return marker.code


def _border_inspection(home: str) -> str:
    from borderlink.border.models import Inspection

    inspection = Inspection.objects.create(
        inspected_on=datetime.date(2020, 5, 1), home_unit=Unit.objects.get(code=home)
    )
    return str(inspection.pk)


def _border_gate(home: str, commune: str) -> str:
    from borderlink.border.models import Gate

    unit = Unit.objects.create(
        code=f"TEST-CROSSING-{next(_serial)}",
        kind="crossing",
        country="VN",
        parent=Unit.objects.get(code=commune),
        name_vi="Lối mở thử",
    )
    gate = Gate.objects.create(unit=unit, kind="crossing", home_unit=Unit.objects.get(code=home))
    return gate.code


def _border_incident(home: str) -> str:
    from borderlink.border.models import Incident

    incident = Incident.objects.create(
        kind="illegal_crossing",
        title="Vụ việc thử",
        occurred_on=datetime.date(2020, 4, 1),
        home_unit=Unit.objects.get(code=home),
        sensitivity=1,
    )
    return str(incident.pk)


SAMPLES["border-sections"] = lambda home, commune: {
    "code": f"test-{home.lower()}-{next(_serial)}",
    "name_vi": "Đoạn biên giới thử",
    "home_unit": home,
}
SAMPLES["section-assignments"] = lambda home, commune: {
    "section": _border_section(home),
    "home_unit": home,
    "commune": commune,
    "valid_from": "2020-01-01",
    "valid_to": "2020-12-31",
}
SAMPLES["markers"] = lambda home, commune: {
    "number": f"T{next(_serial)}",
    "kind": "main",
    "section": _border_section(home),
    "commune": commune,
    "home_unit": home,
    "accuracy": "unknown",
    "condition": "unknown",
}
SAMPLES["inspections"] = lambda home, commune: {
    "inspected_on": "2020-05-01",
    "home_unit": home,
    "patrol": "Tổ tuần tra thử",
}
SAMPLES["marker-checks"] = lambda home, commune: {
    "inspection": _border_inspection(home),
    "marker": _border_marker(home),
    "condition": "intact",
}
SAMPLES["gates"] = lambda home, commune: {
    "unit": Unit.objects.create(
        code=f"TEST-CROSSING-{next(_serial)}",
        kind="crossing",
        country="VN",
        parent=Unit.objects.get(code=commune),
        name_vi="Lối mở thử",
    ).code,
    "kind": "crossing",
    "home_unit": home,
    "status": "open",
    "accuracy": "unknown",
}
SAMPLES["gate-projects"] = lambda home, commune: {
    "gate": _border_gate(home, commune),
    "title": "Nâng cấp thử",
    "home_unit": home,
    "status": "planned",
}
SAMPLES["gate-statistics"] = lambda home, commune: {
    "gate": _border_gate(home, commune),
    "home_unit": home,
    "period_from": "2020-01-01",
    "period_to": "2020-01-31",
    "measure": "persons_in",
    "nationality": "VN",
    "value": "120",
    "unit_of_measure": "persons",
}
SAMPLES["incidents"] = lambda home, commune: {
    "kind": "illegal_crossing",
    "title": "Vượt biên trái phép (thử)",
    "occurred_on": "2020-04-01",
    "home_unit": home,
    "status": "open",
    "sensitivity": "1",
}
SAMPLES["incident-steps"] = lambda home, commune: {
    "incident": _border_incident(home),
    "side": "joint",
    "taken_on": "2020-04-02",
    "action": "Hai bên trao đổi thông tin",
}
SAMPLES["alerts"] = lambda home, commune: {
    "identifier": f"test-alert-{home.lower()}-{next(_serial)}",
    "sender": "borderlink@ha-giang.test",
    "direction": "sent",
    "msg_type": "Alert",
    "home_unit": home,
    "hazard": "flood",
    "event": "Lũ",
    "severity": "Moderate",
    "urgency": "Expected",
    "certainty": "Likely",
    "issued_at": "2020-07-01 08:00",
    "area_desc": "Vị Xuyên",
    "headline_vi": "Cảnh báo lũ (thử)",
}


# Delegations (borderlink/delegations).
def _delegation(home: str) -> str:
    from borderlink.delegations.models import Delegation

    delegation = Delegation.objects.create(
        title="Đoàn công tác thử",
        way="sent",
        level="district",
        home_unit=Unit.objects.get(code=home),
        counterpart=Unit.objects.get(code="CN-532624"),
        purpose="Trao đổi công tác biên giới",
        diplomacy="state",
        starts_on=datetime.date(2020, 6, 1),
        ends_on=datetime.date(2020, 6, 2),
    )
    return str(delegation.pk)


SAMPLES["delegations"] = lambda home, commune: {
    "title": f"Đoàn công tác thử {home}",
    "way": "sent",
    "level": "district",
    "home_unit": home,
    "counterpart": "CN-532624",
    "guest_units": commune,
    "purpose": "Trao đổi công tác biên giới",
    "diplomacy": "state",
    "channel": "in_person",
    "starts_on": "2020-06-01",
    "ends_on": "2020-06-02",
    "documents_status": "pending",
    "sensitivity": "1",
}
SAMPLES["delegation-members"] = lambda home, commune: {
    "delegation": _delegation(home),
    "role": "member",
    "full_name": "Nguyễn Văn Thử",
    "position": "Chuyên viên",
}
SAMPLES["delegation-approvals"] = lambda home, commune: {
    "delegation": _delegation(home),
    "authority": "Ủy ban nhân dân huyện",
    "decision_number": "12/QĐ-UBND",
    "given_on": "2020-05-20",
    "given_by": "Chủ tịch",
}


# People registers (borderlink/people). Identities are entered only where the user holds the
# personal-data grant; the generic tests' district officer does not, so they are dropped there.
def _labour_agreement() -> str:
    from borderlink.ties.models import Agreement

    return str(Agreement.objects.filter(domain="labour").earliest("pk").pk)


def _people_handover(home: str) -> str:
    handover = Activity.objects.create(
        kind="handover",
        occurred_on=datetime.date(2020, 5, 4),
        title="Trao trả công dân thử",
        home_unit=Unit.objects.get(code=home),
        counterpart=Unit.objects.get(code="CN-532624"),
        diplomacy="state",
        persons=1,
    )
    return str(handover.pk)


SAMPLES["labour-registrations"] = lambda home, commune: {
    "agreement": _labour_agreement(),
    "home_unit": home,
    "full_name": "Lò Văn Thử",
    "birth_date": "1990-01-02",
    "id_number": "002090001234",
    "home_commune": commune,
    "employer": "Công ty thử",
    "workplace": "CN-532624",
    "contract_from": "2019-03-01",
    "contract_to": "2020-03-01",
    "departed_on": "2019-03-02",
    "status": "working",
}
SAMPLES["scholarships"] = lambda home, commune: {
    "year": "2019",
    "direction": "received",
    "home_unit": home,
    "counterpart": "CN-450000",
    "institution": "Đại học Dân tộc Quảng Tây",
    "field_of_study": "Tiếng Trung",
    "full_scholarship": "on",
    "full_name": "Vàng Thị Thử",
    "birth_date": "2001-05-06",
    "status": "studying",
}
SAMPLES["handover-persons"] = lambda home, commune: {
    "handover": _people_handover(home),
    "full_name": "Sùng Văn Thử",
    "birth_date": "1988-08-08",
    "id_number": "002088008888",
    "nationality": "vn",
    "sex": "male",
}


# Economic cooperation (borderlink/economy).
def _enterprise_unit(country: str, parent: str) -> str:
    unit = Unit.objects.create(
        code=f"TEST-ENTERPRISE-{next(_serial)}",
        kind="enterprise",
        country=country,
        parent=Unit.objects.get(code=parent),
        name_vi="Công ty thử" if country == "VN" else "",
        name_zh="测试公司" if country == "CN" else "",
    )
    return unit.code


def _their_enterprise(home: str) -> str:
    from borderlink.economy.models import Enterprise

    unit = Unit.objects.get(code=_enterprise_unit("CN", "CN-532624"))
    return Enterprise.objects.create(
        unit=unit, sector="mining", home_unit=Unit.objects.get(code=home)
    ).code


def _project(home: str) -> str:
    from borderlink.economy.models import InvestmentProject

    project = InvestmentProject.objects.create(
        code=f"test-project-{next(_serial)}",
        title="Dự án thử",
        sector="hydropower",
        home_unit=Unit.objects.get(code=home),
    )
    return project.code


SAMPLES["enterprises"] = lambda home, commune: {
    "unit": _enterprise_unit("VN", commune),
    "sector": "hospitality",
    "home_unit": home,
}
SAMPLES["investment-projects"] = lambda home, commune: {
    "code": f"test-project-{next(_serial)}",
    "title": "Nhà máy thủy điện thử",
    "sector": "hydropower",
    "home_unit": home,
    "enterprises": _their_enterprise(home),
    "location": commune,
    "currency": "USD",
    "registered_capital": "1000000",
    "registered_on": "2019-03-01",
    "status": "proposed",
}
SAMPLES["project-issues"] = lambda home, commune: {
    "project": _project(home),
    "raised_on": "2020-02-01",
    "raised_by": "enterprise",
    "problem": "Thủ tục thông quan thiết bị chậm",
    "status": "open",
}


def _flow_day() -> str:
    # One flow per counterpart, direction and period: each sample takes a day of its own.
    return (datetime.date(2020, 1, 1) + datetime.timedelta(days=next(_serial) % 360)).isoformat()


SAMPLES["electricity-flows"] = lambda home, commune: {
    "home_unit": home,
    "counterpart": "CN-532624",
    "direction": "purchase",
    **dict.fromkeys(("period_from", "period_to"), _flow_day()),
    "energy": "1200",
    "energy_unit": "MWh",
    "value": "60000",
    "currency": "USD",
}
