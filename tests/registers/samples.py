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
