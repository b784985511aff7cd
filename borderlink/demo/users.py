"""Demo accounts, one per role that the demo data can show, all with the printed password.

They work under today's units (after the reform of 01/07/2025): Tuyên Quang, the new communes,
the station that went on under the new Thanh Thủy commune. `vixuyen` keeps a role at the
abolished Vị Xuyên district, to show a membership that acts on the units holding it today."""

from __future__ import annotations

from borderlink.accounts.models import Membership, User
from borderlink.core.roles import Role
from borderlink.places.models import Unit

DEMO_PASSWORD = "borderlink-demo"

DEMO_USERS = [
    # username, role, unit code, description
    ("admin", Role.ADMIN, "VN", "system administrator"),
    ("editor", Role.FA_EDITOR, "VN-P08-2025", "Tuyên Quang foreign-affairs editor"),
    ("leader", Role.VIEWER, "VN-P08-2025", "Tuyên Quang provincial viewer"),
    ("vixuyen", Role.LOCAL, "VN-D030", "Vị Xuyên district officer (district ended 30/06/2025)"),
    ("dongvan", Role.LOCAL, "VN-C00721-2025", "Đồng Văn commune officer"),
    ("xathanhthuy", Role.LOCAL, "VN-C00928-2025", "Thanh Thủy commune officer"),
    ("thanhthuy", Role.STATION, "VN-02-BGS-THANHTHUY-2025", "Thanh Thủy station officer"),
]


def ensure_user(username: str, role: str, unit_code: str, staff: bool = False) -> User:
    """The demo account with exactly this one role; a reload moves an account that an older demo
    left on a pre-reform unit to today's."""
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = staff
        user.save()
    unit = Unit.objects.get(code=unit_code)
    Membership.objects.filter(user=user).exclude(unit=unit, role=role).delete()
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def ensure_demo_users() -> list[tuple[str, str]]:
    for username, role, unit_code, _description in DEMO_USERS:
        ensure_user(username, role, unit_code, staff=role == Role.ADMIN)
    return [(username, description) for username, _r, _u, description in DEMO_USERS]
