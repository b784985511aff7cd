"""Field declarations many models share, written once."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def optional_link(
    to: type[M], verbose_name: Any, related_name: str = "+", help_text: Any = ""
) -> models.ForeignKey[M | None, M | None]:
    """A link a record may leave empty (a mechanism, a counterpart, a source…). PROTECT: a record
    someone points to is not deleted under them; the gate and the form say so first."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=help_text,
    )
