"""What the project's workflows share: a record moves from state to state along a table of
allowed moves, each move needs an action of the gate on the record, and each is kept as a step.

An app declares its workflow as data, a `Workflow`: the model and its state field, the table
(from, to) → action, who may do an action on a record, the step model, and its two refusals in
its own words. Its own checks and side effects are two hooks: `prepare` runs before the state
changes (raise `WorkflowError` to refuse), `after` once the step is written. `Workflow.move`
locks the record's row, reads its state afresh, checks, changes it, saves it and writes the step
in one transaction: of two moves from the same state at once, the second sees the first's result.
Used by delegations/workflow.py and portal/workflow.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from borderlink.core.models import actor_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATE_LENGTH = 10


class WorkflowError(ValueError):
    """A move refused; the message says why, in the active language."""


def state_field(verbose_name: StrOrPromise, choices: Any) -> models.CharField[str, str]:
    """A step's `from_state` or `to_state` with the workflow's states as choices."""
    return models.CharField(verbose_name, max_length=STATE_LENGTH, choices=choices)


class WorkflowStep(models.Model):
    """One move of a record through its workflow: kept for good.

    A concrete step adds the foreign key to its record (named by `subject_field`) and gives
    `from_state` and `to_state` their choices:
    `from_state = state_field(_("from"), States.choices)`.
    """

    from_state = models.CharField(_("from"), max_length=STATE_LENGTH)
    to_state = models.CharField(_("to"), max_length=STATE_LENGTH)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = actor_field()
    note = models.CharField(_("note"), max_length=500, blank=True)

    subject_field: ClassVar[str]

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.serializable_value(self.subject_field)}: {self.from_state} → {self.to_state}"


R = TypeVar("R", bound=models.Model)
S = TypeVar("S", bound=WorkflowStep)


@dataclass(frozen=True)
class Workflow(Generic[R, S]):
    """One workflow, declared by its app: its rules are data, its own checks two hooks."""

    model: type[R]
    state_field: str
    states: type[models.TextChoices]
    moves: Mapping[tuple[str, str], str]  # (from, to) → the action it needs
    may: Callable[[Any, str, R], bool]  # (user, action, record): the gate's say
    step: type[S]
    cannot_become: StrOrPromise  # with %(state)s and %(to)s, the states' labels
    not_allowed: StrOrPromise
    related: tuple[str, ...] = ()  # select_related when the record is locked
    prepare: Callable[[R, str, str], None] | None = None  # (record, from, to)
    after: Callable[[R, str, str], None] | None = None  # (record, from, to)

    def state(self, record: R) -> str:
        return str(getattr(record, self.state_field))

    def label(self, state: str) -> str:
        """The state's name in the active language; an unknown one (a forged form) as given."""
        return str(dict(self.states.choices).get(state, state))

    def moves_for(self, user: Any, record: R) -> list[str]:
        """The states the user may move the record to now."""
        now = self.state(record)
        return [
            to
            for (source, to), action in self.moves.items()
            if source == now and self.may(user, action, record)
        ]

    def move(self, record: R, to: str, user: Any = None, note: str = "") -> S:
        """Move `record` to `to`; `user` None means a trusted caller (a command, the demo)."""
        with transaction.atomic():
            record = (
                self.model._default_manager.select_for_update()
                .select_related(*self.related)
                .get(pk=record.pk)
            )
            source = self.state(record)
            action = self.moves.get((source, to))
            if action is None:
                raise WorkflowError(
                    str(self.cannot_become) % {"state": self.label(source), "to": self.label(to)}
                )
            if user is not None and not self.may(user, action, record):
                raise WorkflowError(str(self.not_allowed))
            if self.prepare is not None:
                self.prepare(record, source, to)
            setattr(record, self.state_field, to)
            record.save()
            step = self.step._default_manager.create(
                **{self.step.subject_field: record},
                from_state=source,
                to_state=to,
                actor=user if user is not None and user.is_authenticated else None,
                note=note[:500],
            )
            if self.after is not None:
                self.after(record, source, to)
            return step
