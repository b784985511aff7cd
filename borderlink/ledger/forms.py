from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from borderlink.ledger.entry import title_for
from borderlink.places.validity import check_valid_on
from borderlink.registers.forms import RegisterForm


class ActivityForm(RegisterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "title" in self.fields:  # left empty, it is made from the rest (ledger/entry.py)
            self.fields["title"].required = False
            self.fields["title"].help_text = _(
                "Left empty, a title is made from the kind, "
                "the direction, the counterpart and the date."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "title" in self.fields and not (data.get("title") or "").strip():
            data["title"] = title_for(data)
        day = data.get("occurred_on")
        check_valid_on(self, "home_unit", day)
        check_valid_on(self, "counterpart", day)
        home, counterpart = data.get("home_unit"), data.get("counterpart")
        if home and counterpart and home.country == counterpart.country:
            self.add_error(
                "counterpart", _("The counterpart must be on the other side of the border.")
            )
        if data.get("value") is not None and not data.get("currency"):
            self.add_error("currency", _("A value needs its currency."))
        ended = data.get("ended_on")
        if day and ended and ended < day:
            self.add_error("ended_on", _("An activity cannot end before it starts."))
        return data


class HandoverForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        activity = data.get("activity")
        if activity and activity.kind != "handover":
            self.add_error("activity", _("Head counts belong to a hand-over of citizens."))
        total = sum(int(data.get(f) or 0) for f in HANDOVER_COUNTS)
        if activity and activity.persons is not None and total != activity.persons:
            self.add_error(
                None,
                _(
                    "The head counts add up to %(total)s, "
                    "but the hand-over records %(persons)s persons."
                )
                % {"total": total, "persons": activity.persons},
            )
        return data


HANDOVER_COUNTS = ("vn_male", "vn_female", "cn_male", "cn_female", "other_male", "other_female")


class CommitmentForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting = data.get("meeting")
        if meeting and meeting.kind not in ("meeting", "delegation"):
            self.add_error("meeting", _("Commitments come from a meeting or a delegation visit."))
        for activity in data.get("fulfilled_by") or []:
            if meeting and activity.occurred_on < meeting.occurred_on:
                self.add_error(
                    "fulfilled_by",
                    _("%(activity)s took place before the meeting.") % {"activity": activity},
                )
        if data.get("fulfilled_by") and data.get("status") == "open":
            data["status"] = "fulfilled"
        return data


class ReturnForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("measure") == "value" and not data.get("currency"):
            self.add_error("currency", _("A value needs its currency."))
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("A period cannot end before it starts."))
        return data
