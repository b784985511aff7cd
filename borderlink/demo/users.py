"""Demo accounts, one per role that the demo data can show, all with the printed password."""

from __future__ import annotations

from borderlink.accounts.models import Membership, User
from borderlink.accounts.roles import Role
from borderlink.places.models import Unit

DEMO_PASSWORD = "borderlink-demo"

DEMO_USERS = [
    # username, role, unit code, description
    ("admin", Role.ADMIN, "VN", "system administrator"),
    ("editor", Role.FA_EDITOR, "VN-P02", "Hà Giang foreign-affairs editor"),
    ("leader", Role.VIEWER, "VN-P02", "Hà Giang provincial viewer"),
    ("vixuyen", Role.LOCAL, "VN-D030", "Vị Xuyên district officer"),
    ("dongvan", Role.LOCAL, "VN-D026", "Đồng Văn district officer"),
    ("thanhthuy", Role.STATION, "VN-02-BGS-THANHTHUY", "Thanh Thủy station officer"),
]


def ensure_demo_users() -> list[tuple[str, str]]:
    made = []
    for username, role, unit_code, description in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
        Membership.objects.get_or_create(
            user=user, unit=Unit.objects.get(code=unit_code), role=role
        )
        made.append((username, description))
    return made
