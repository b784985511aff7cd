"""What outside the portal changes its public pages at once.

The public pages are cached under the site's generation (`PublicSite.bump`). Publications bump
it themselves; the gate register lives in `borderlink.border`, so a gate's save or delete bumps it
here, once the transaction commits (a rolled-back save changes nothing the public sees).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from borderlink.border.models import Gate
from borderlink.portal.models import PublicSite


def _gate_changed(sender: type[Gate], raw: bool = False, **kw: Any) -> None:
    if raw:  # fixtures load before any page is served
        return
    transaction.on_commit(PublicSite.bump)


def connect_signals() -> None:
    post_save.connect(_gate_changed, sender=Gate, dispatch_uid="portal-gate-saved")
    post_delete.connect(_gate_changed, sender=Gate, dispatch_uid="portal-gate-deleted")
