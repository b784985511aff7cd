"""Roles and what each may do, declared in one table.

A grant is (action → scope): SCOPE_ALL reaches every record of the register, SCOPE_OWN only the
records in the reach of the membership (its unit's subtree, and through the reform what it acts
on today: accounts/reach.py). The gate (core/permissions.py) reads nothing but this table and
the user's memberships; both sit in core, below every page that asks it. Memberships, which hold
a role at a unit, are accounts'.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPE_ALL = "all"
SCOPE_OWN = "own"

VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT = "view", "add", "change", "delete", "export", "import"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT)
EVERY_ACTION = dict.fromkeys(ACTIONS, SCOPE_OWN)
# Unmasks the identities of a people register (registers.spec.PersonalData). Deliberately not in
# ACTIONS: no "*" grant carries it; only the roles that need identities name it below.
PERSONAL = "personal"


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    FA_EDITOR = "fa_editor", _("Provincial foreign-affairs editor")
    VIEWER = "viewer", _("Provincial viewer (leadership)")
    STATION = "station_officer", _("Border-guard station officer")
    LOCAL = "local_officer", _("District / commune officer")
    DEPARTMENT = "department_officer", _("Department officer")
    LABOUR = "labour_officer", _("Labour officer")


Grants = dict[str, dict[str, str]]

# Reference registers everybody who logs in may read whole (the gazetteer, programmes, exchange
# rates, the sources records cite: a link field offers only what the gate lets the user view).
# Programmes and rates have no unit, so a "*" grant of SCOPE_OWN must not reach them:
# the register pages check a new record's unit only where it has one, and an own "add" would let
# anybody write reference data (found by tests/security/test_matrix.py).
REFERENCE_READ = {
    "places.unit": {VIEW: SCOPE_ALL, EXPORT: SCOPE_ALL},
    "ties.programme": {VIEW: SCOPE_ALL, EXPORT: SCOPE_ALL},
    "stats.exchangerate": {VIEW: SCOPE_ALL, EXPORT: SCOPE_ALL},
    "core.source": {VIEW: SCOPE_ALL},
}

# Delegation members' names and travel documents are personal data: the units that organise
# delegations (the foreign-affairs department, districts and communes, departments) see them on
# their own delegations; every other role sees the members with those fields masked.
ORGANISE_DELEGATIONS: Grants = {
    "delegations.delegationmember": {
        VIEW: SCOPE_OWN,
        ADD: SCOPE_OWN,
        CHANGE: SCOPE_OWN,
        EXPORT: SCOPE_OWN,
        PERSONAL: SCOPE_OWN,
    }
}

# The units that keep a log (stations, districts and communes, departments) correct it: clearing a
# cell of the monthly log sheet deletes that day's entry (ledger/sheet.py), with its history.
KEEP_LEDGER: Grants = {
    "ledger.activity": {
        VIEW: SCOPE_OWN,
        ADD: SCOPE_OWN,
        CHANGE: SCOPE_OWN,
        DELETE: SCOPE_OWN,
        EXPORT: SCOPE_OWN,
    }
}

# register label → action → scope. "*" is every register not named.
ROLE_GRANTS: dict[str, Grants] = {
    Role.ADMIN: {"*": dict.fromkeys(ACTIONS, SCOPE_ALL)},
    Role.FA_EDITOR: {
        # The department of foreign affairs curates the gazetteer of both sides.
        "places.unit": dict.fromkeys(ACTIONS, SCOPE_ALL),
        "places.unitalias": dict.fromkeys(ACTIONS, SCOPE_ALL),
        "places.unitsuccession": dict.fromkeys(ACTIONS, SCOPE_ALL),
        "ties.programme": dict.fromkeys(ACTIONS, SCOPE_ALL),
        "stats.exchangerate": REFERENCE_READ["stats.exchangerate"],
        "core.source": REFERENCE_READ["core.source"],
        "portal.article": {**EVERY_ACTION, "publish": SCOPE_OWN},  # the public portal's editors
        "delegations.delegationmember": {**EVERY_ACTION, PERSONAL: SCOPE_OWN},
        "*": EVERY_ACTION,
    },
    Role.VIEWER: {
        **REFERENCE_READ,
        "*": {VIEW: SCOPE_OWN, EXPORT: SCOPE_OWN},
    },
    Role.STATION: {
        **REFERENCE_READ,
        # The persons of their own station's hand-overs, with identities.
        "people.handoverperson": {
            VIEW: SCOPE_OWN,
            ADD: SCOPE_OWN,
            CHANGE: SCOPE_OWN,
            EXPORT: SCOPE_OWN,
            PERSONAL: SCOPE_OWN,
        },
        **KEEP_LEDGER,
        "*": {VIEW: SCOPE_OWN, ADD: SCOPE_OWN, CHANGE: SCOPE_OWN, EXPORT: SCOPE_OWN},
    },
    Role.LOCAL: {
        # Districts and communes keep their own villages and residential areas up to date.
        **REFERENCE_READ,
        "places.unit": {VIEW: SCOPE_ALL, EXPORT: SCOPE_ALL, ADD: SCOPE_OWN, CHANGE: SCOPE_OWN},
        **ORGANISE_DELEGATIONS,
        **KEEP_LEDGER,
        "*": {VIEW: SCOPE_OWN, ADD: SCOPE_OWN, CHANGE: SCOPE_OWN, EXPORT: SCOPE_OWN},
    },
    Role.DEPARTMENT: {
        **REFERENCE_READ,
        # The department that awards or receives scholarships keeps their holders.
        "people.scholarship": {
            VIEW: SCOPE_OWN,
            ADD: SCOPE_OWN,
            CHANGE: SCOPE_OWN,
            EXPORT: SCOPE_OWN,
            PERSONAL: SCOPE_OWN,
        },
        **ORGANISE_DELEGATIONS,
        **KEEP_LEDGER,
        "*": {VIEW: SCOPE_OWN, ADD: SCOPE_OWN, CHANGE: SCOPE_OWN, EXPORT: SCOPE_OWN},
    },
    Role.LABOUR: {
        **REFERENCE_READ,
        # Personal data of labour: registrations with identities, in the membership's subtree.
        "people.labourregistration": {**EVERY_ACTION, DELETE: SCOPE_OWN, PERSONAL: SCOPE_OWN},
        "*": {VIEW: SCOPE_OWN, EXPORT: SCOPE_OWN},
    },
}


# The highest sensitivity level each role may see (core.choices.Sensitivity: 0 public,
# 1 internal, 2 confidential, 3 secret). Records above it do not exist for the user.
ROLE_CLEARANCE: dict[str, int] = {
    Role.ADMIN: 3,
    Role.FA_EDITOR: 2,
    Role.VIEWER: 2,
    Role.STATION: 2,
    Role.LOCAL: 1,
    Role.DEPARTMENT: 1,
    Role.LABOUR: 1,
}


def grant(role: str, register: str, action: str) -> str | None:
    grants = ROLE_GRANTS.get(role, {})
    table = grants.get(register, grants.get("*", {}))
    return table.get(action)
