"""What each role may do, declared here by hand from the access policy — not read from
`core/roles.py`. The matrix test (test_matrix.py) compares the gate with this table.

ALL: every record of the register; OWN: only records under the membership's unit; NONE: nothing.
Registers fall into groups; a role's row names the reach per group and action. Registers without
a unit (programmes, exchange rates) are reference data: everybody who logs in reads them whole,
only administrators (and, for programmes, the foreign-affairs editors) write them.
"""

from __future__ import annotations

ALL, OWN, NONE = "all", "own", "none"

# The actions of the matrix: list (the record appears in the list), view (detail), create (add a
# record under a unit), edit, delete, export, import; the API is checked through HTTP.
ACTIONS = ("list", "view", "create", "edit", "delete", "export", "import")

# Register slug → group. Anything not named is a unit-scoped register ("scoped").
GROUPS: dict[str, str] = {
    "programmes": "programmes",  # reference: read by everybody who logs in
    "rates": "rates",  # exchange rates: reference, no unit
    "delegation-members": "delegation_members",  # personal data of delegations
    "labour-registrations": "labour",
    "scholarships": "scholarships",
    "handover-persons": "handover_persons",
    "activities": "ledger",  # the one ledger: the units that keep a log also correct it
}
# The gazetteer (places.unit, /units/ and /api/units/) is checked with the registers.
GAZETTEER = "units"


def group_of(slug: str) -> str:
    return GROUPS.get(slug, "scoped")


def _row(
    list_: str = NONE,
    view: str | None = None,
    create: str = NONE,
    edit: str = NONE,
    delete: str = NONE,
    export: str | None = None,
    import_: str = NONE,
) -> dict[str, str]:
    view = list_ if view is None else view
    export = view if export is None else export
    return {
        "list": list_,
        "view": view,
        "create": create,
        "edit": edit,
        "delete": delete,
        "export": export,
        "import": import_,
    }


def everything(reach: str) -> dict[str, str]:
    return _row(reach, reach, reach, reach, reach, reach, reach)


READ_ALL = _row(ALL)
READ_OWN = _row(OWN)
KEEP_OWN = _row(OWN, create=OWN, edit=OWN)  # view, add, change, export; no delete, no import
NOTHING = everything(NONE)

# Roles (core.roles.Role values) and "anonymous" for the public.
ROLES = (
    "admin",
    "fa_editor",
    "viewer",
    "station_officer",
    "local_officer",
    "department_officer",
    "labour_officer",
    "anonymous",
)

GROUP_NAMES = (
    GAZETTEER,
    "programmes",
    "rates",
    "scoped",
    "delegation_members",
    "labour",
    "scholarships",
    "handover_persons",
    "ledger",
)
KEEP_LOG = _row(OWN, create=OWN, edit=OWN, delete=OWN)  # keep and correct their own log

EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    # The administrator role reaches every record of every register.
    "admin": dict.fromkeys(GROUP_NAMES, everything(ALL)),
    # The foreign-affairs department curates the gazetteer and the programmes of the whole
    # province, and does everything, delete and import included, under its own unit.
    "fa_editor": {
        GAZETTEER: everything(ALL),
        "programmes": everything(ALL),
        "rates": READ_ALL,
        "scoped": everything(OWN),
        "ledger": everything(OWN),
        "delegation_members": everything(OWN),
        "labour": everything(OWN),
        "scholarships": everything(OWN),
        "handover_persons": everything(OWN),
    },
    # Leadership reads and exports its own province (identities masked: see PERSONAL below).
    "viewer": {
        GAZETTEER: READ_ALL,
        "programmes": READ_ALL,
        "rates": READ_ALL,
        "scoped": READ_OWN,
        "ledger": READ_OWN,
        "delegation_members": READ_OWN,
        "labour": READ_OWN,
        "scholarships": READ_OWN,
        "handover_persons": READ_OWN,
    },
    "station_officer": {
        GAZETTEER: READ_ALL,
        "programmes": READ_ALL,
        "rates": READ_ALL,
        "scoped": KEEP_OWN,
        "ledger": KEEP_LOG,
        "delegation_members": KEEP_OWN,
        "labour": KEEP_OWN,
        "scholarships": KEEP_OWN,
        "handover_persons": KEEP_OWN,
    },
    # Districts and communes also keep their own villages in the gazetteer.
    "local_officer": {
        GAZETTEER: _row(ALL, create=OWN, edit=OWN),
        "programmes": READ_ALL,
        "rates": READ_ALL,
        "scoped": KEEP_OWN,
        "ledger": KEEP_LOG,
        "delegation_members": KEEP_OWN,
        "labour": KEEP_OWN,
        "scholarships": KEEP_OWN,
        "handover_persons": KEEP_OWN,
    },
    "department_officer": {
        GAZETTEER: READ_ALL,
        "programmes": READ_ALL,
        "rates": READ_ALL,
        "scoped": KEEP_OWN,
        "ledger": KEEP_LOG,
        "delegation_members": KEEP_OWN,
        "labour": KEEP_OWN,
        "scholarships": KEEP_OWN,
        "handover_persons": KEEP_OWN,
    },
    # Labour officers read their area and keep labour registrations whole, delete and import too.
    "labour_officer": {
        GAZETTEER: READ_ALL,
        "programmes": READ_ALL,
        "rates": READ_ALL,
        "scoped": READ_OWN,
        "ledger": READ_OWN,
        "delegation_members": READ_OWN,
        "labour": everything(OWN),
        "scholarships": READ_OWN,
        "handover_persons": READ_OWN,
    },
    "anonymous": dict.fromkeys(GROUP_NAMES, NOTHING),
}

# Who may see identities (the personal-data grant) in each people register. The administrator
# *role* has no such grant: only superusers pass every gate.
PERSONAL: dict[str, dict[str, str]] = {
    # The units that organise delegations see the names on their own.
    "delegation_members": {"fa_editor": OWN, "local_officer": OWN, "department_officer": OWN},
    "labour": {"labour_officer": OWN},
    "scholarships": {"department_officer": OWN},
    "handover_persons": {"station_officer": OWN},
}

# The highest sensitivity level (0 public, 1 internal, 2 confidential, 3 secret) per role.
CLEARANCE: dict[str, int] = {
    "admin": 3,
    "fa_editor": 2,
    "viewer": 2,
    "station_officer": 2,
    "local_officer": 1,
    "department_officer": 1,
    "labour_officer": 1,
    "anonymous": 0,
}
SENSITIVITY_LEVELS = (0, 1, 2, 3)


def reach(role: str, group: str, action: str) -> str:
    return EXPECTED[role][group][action]


def personal_reach(role: str, group: str) -> str:
    return PERSONAL.get(group, {}).get(role, NONE)


def allowed(reach_: str, in_scope: bool) -> bool:
    return reach_ == ALL or (reach_ == OWN and in_scope)
