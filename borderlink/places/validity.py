"""Whether the units a form names existed on the day its record speaks of.

A rule about units' lifetimes (Unit.valid_from/valid_to), so it lives with the units, in the
lowest layer that knows them: every form above (ties, ledger, border, economy, delegations…) may
use it without importing another domain app. It asks only for a Django form, not a register's.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_valid_on(form: forms.BaseForm, field: str, day: datetime.date | None) -> None:
    """Add an error to `field` for each unit in it (one, or a list) not valid on `day`."""
    value = form.cleaned_data.get(field)
    units = value if isinstance(value, list) else [value] if value else []
    for unit in units:
        if day and not unit.is_valid_on(day):
            form.add_error(
                field,
                ValidationError(
                    _("%(unit)s did not exist on %(date)s.")
                    % {"unit": unit, "date": day.strftime("%d/%m/%Y")}
                ),
            )
