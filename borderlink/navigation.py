"""The site's navigation, declared once: groups of links for base.html, each register link shown
only to those who may view that register, the dashboard at the user's own unit.

It sits beside urls.py, above every app, because it links to all of them. base.html reads it
through the `navigation` context processor, lazily: a page that draws no menu (the public portal,
an API answer) computes nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from borderlink.accounts.recording import default_home_unit
from borderlink.core.permissions import can_at_all
from borderlink.registers.spec import get_register


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    active: bool = False


@dataclass
class Section:
    heading: str  # '' for none
    links: list[Link] = field(default_factory=list)


@dataclass
class Group:
    key: str  # a stable name for tests and styling ("records", "figures"…)
    label: str
    sections: list[Section]

    @property
    def active(self) -> bool:
        return any(link.active for section in self.sections for link in section.links)


# (group key, label, [(section heading, [entry…])]); an entry is a register slug or
# (label, URL name, "unit" when the URL takes the user's home unit code).
Entry = str | tuple[Promise, str] | tuple[Promise, str, str]
LAYOUT: list[tuple[str, Promise, list[tuple[Promise | str, list[Entry]]]]] = [
    (
        "records",
        _("Records"),
        [
            (
                _("Ledger"),
                [
                    (_("Log sheet"), "ledger:sheet-here"),
                    (_("Field app (offline)"), "field:app"),
                    "activities",
                    "commitments",
                    "returns",
                ],
            ),
            (
                _("Cooperation"),
                [
                    "partnerships",
                    "agreements",
                    "mechanisms",
                    "programmes",
                    (_("Coverage"), "coverage"),
                    (_("Follow-up"), "follow-up"),
                ],
            ),
            (
                _("Delegations"),
                ["delegations", (_("Calendar"), "delegations:calendar")],
            ),
            (
                _("People"),
                ["labour-registrations", "scholarships", "handover-persons"],
            ),
            (
                _("Economy"),
                ["enterprises", "investment-projects", "electricity-flows"],
            ),
        ],
    ),
    (
        "border",
        _("Border"),
        [
            (
                "",
                [
                    (_("Border map"), "border:map"),
                    "border-sections",
                    "markers",
                    "inspections",
                    "incidents",
                    "gates",
                    "alerts",
                    (_("Overdue checks"), "border:overdue"),
                ],
            ),
        ],
    ),
    (
        "figures",
        _("Figures"),
        [
            (
                "",
                [
                    (_("Dashboard"), "stats:dashboard", "unit"),
                    (_("Map of figures"), "stats:map", "unit"),
                    (_("Reports"), "reports:new"),
                ],
            ),
            ("", [(_("Editorial (public portal)"), "portal:editorial")]),
        ],
    ),
    (
        "reference",
        _("Reference"),
        [
            (
                "",
                [
                    (_("Gazetteer"), "places:browse"),
                    (_("Search units"), "places:search"),
                    (_("Change history"), "history"),
                    (_("API"), "api-docs"),
                ],
            ),
            ("", [(_("Administration"), "admin:index")]),
        ],
    ),
]


def _may(label: str, action: str = "view") -> Callable[[Any], bool]:
    """Shown to users who may `action` some record of the model `label` ("portal.article")."""

    def check(user: Any) -> bool:
        return can_at_all(user, apps.get_model(label), action)

    return check


# Pages that are not a register, shown by role: the same test the page itself applies.
SHOWN_TO: dict[str, Callable[[Any], bool]] = {
    "portal:editorial": _may("portal.article"),
    "reports:new": _may("ledger.activity"),
    "stats:dashboard": _may("ledger.activity"),
    "stats:map": _may("ledger.activity"),
    "coverage": _may("ties.partnership"),
    "follow-up": _may("ties.agreement"),
    "delegations:calendar": _may("delegations.delegation"),
    "ledger:sheet-here": _may("ledger.activity", "add"),
    "field:app": _may("ledger.activity", "add"),
    "admin:index": lambda user: bool(getattr(user, "is_staff", False)),
}


@lru_cache(maxsize=1024)
def _url(
    prefix: str, urlconf: Any, language: str | None, name: str, args: tuple[str, ...]
) -> str | None:
    """A menu link's address, reversed once per process: `reverse` was 1.4 ms of the menu's
    2.4 on every page (forty links). The script prefix, URLconf and language in the key keep it
    what `reverse` answers for the request; None for a page another part of the work has not
    delivered yet (left out of the menu, not an error)."""
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return None


def home_unit(user: Any) -> Any:
    """The unit whose dashboard the menu opens: the one the user records for today."""
    return default_home_unit(user, timezone.localdate())


class Navigation:
    """What base.html's menu shows to the request's user (computed on first use)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = request.user

    @cached_property
    def languages(self) -> list[tuple[str, str, str, bool]]:
        """(code, the language's own name, its HTML lang, chosen) for the switcher. Names in NFC:
        Django's "Tiếng Việt" is decomposed, which some fonts draw badly and tests cannot match."""
        current = get_language()
        return [
            (
                code,
                unicodedata.normalize("NFC", get_language_info(code)["name_local"]),
                "zh-Hans" if code == "zh-hans" else code,
                code == current,
            )
            for code, _name in settings.LANGUAGES
        ]

    @cached_property
    def home_unit(self) -> Any:
        return home_unit(self.user) if self.user.is_authenticated else None

    def _link(self, entry: Entry) -> Link | None:
        if isinstance(entry, str):
            try:
                spec = get_register(entry)
            except KeyError:
                return None
            if not can_at_all(self.user, spec.model, "view"):
                return None
            return self._made(capfirst(spec.label), "registers:list", [spec.slug])
        label, name, *takes = entry
        shown_to = SHOWN_TO.get(name)
        if shown_to is not None and not shown_to(self.user):
            return None
        args: list[str] = []
        if takes:
            if self.home_unit is None:
                return None
            args = [self.home_unit.code]
        return self._made(str(label), name, args)

    def _made(self, label: str, name: str, args: list[str]) -> Link | None:
        urlconf = get_urlconf() or settings.ROOT_URLCONF  # a test's override is another key
        url = _url(get_script_prefix(), urlconf, get_language(), name, tuple(args))
        if url is None:
            return None
        path = self.request.path
        return Link(label, url, active=path == url or (url != "/" and path.startswith(url)))

    @cached_property
    def groups(self) -> list[Group]:
        if not self.user.is_authenticated:
            return []
        result = []
        for key, label, sections in LAYOUT:
            drawn = []
            for heading, entries in sections:
                links = [link for entry in entries if (link := self._link(entry)) is not None]
                if links:
                    drawn.append(Section(str(heading), links))
            if drawn:
                result.append(Group(key, str(label), drawn))
        return result


def navigation(request: HttpRequest) -> dict[str, Navigation]:
    """Context processor: `nav` in every template."""
    return {"nav": Navigation(request)}
