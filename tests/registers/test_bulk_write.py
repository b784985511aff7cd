"""The batch form of the write path (registers/bulk_write.py): the same history and statistics
as saving row by row, and look-ups that do not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from borderlink.accounts.models import User
from borderlink.core import bulk
from borderlink.core.context import acting_as
from borderlink.core.models import ChangeRecord
from borderlink.ledger.models import Activity
from borderlink.registers import imports, write
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register
from borderlink.registers.tabular import read_table
from borderlink.stats import rollup

pytestmark = pytest.mark.django_db

HEADER = (
    "kind,occurred_on,title,home_unit,counterpart,channel,diplomacy,direction,sensitivity,"
    "count,persons,value,currency"
)
HOMES = ["VN-02-BGS-THANHTHUY", "VN-D030", "VN-P02"]
KINDS = ["letter", "phone_call", "meeting", "handover"]


def lines(rows: int, counterpart: str = "CN-532624-BGS-TIANBAO") -> list[str]:
    """Rows spread over units, kinds, months and sensitivities, some with values."""
    out = []
    for i in range(rows):
        value, currency = ("1250.50", "CNY") if i % 3 == 0 else ("", "")
        out.append(
            f"{KINDS[i % 4]},20{20 + i % 3}-{1 + i % 12:02d}-{1 + i % 27:02d},t-bulk {i},"
            f"{HOMES[i % 3]},{counterpart},in_person,state,joint,{1 + i % 2},{1 + i % 3},"
            f"{i % 5 or ''},{value},{currency}"
        )
    return out


def job_of(user: User, rows: list[str], name: str = "bulk.csv") -> ImportJob:
    return ImportJob.objects.create(
        register="activities",
        user=user,
        filename=name,
        content=("\n".join([HEADER, *rows]) + "\n").encode(),
        status=ImportJob.Status.CHECKING,
    )


class _Undo(Exception):
    pass


def written_by(write_rows: Any) -> tuple[list[tuple[Any, ...]], dict[Any, list[Any]]]:
    """What `write_rows()` leaves (history of the activities it made, rollup deltas), undone."""
    before = rollup.current()
    seen = set(ChangeRecord.objects.values_list("pk", flat=True))
    found: dict[str, Any] = {}
    try:
        with transaction.atomic():
            write_rows()
            titles = dict(Activity.objects.values_list("pk", "title"))
            found["history"] = sorted(
                (
                    titles[int(r.object_id)],
                    r.action,
                    r.object_repr,
                    r.changes,
                    r.scope_path,
                    r.sensitivity,
                    r.actor_name,
                    r.reason,
                )
                for r in ChangeRecord.objects.exclude(pk__in=seen)
            )
            after = rollup.current()
            found["tally"] = {
                key: [a - b for a, b in zip(sums, before.get(key, [0] * 5), strict=True)]
                for key, sums in after.items()
                if sums != before.get(key)
            }
            found["in_step"] = rollup.differences()
            raise _Undo
    except _Undo:
        pass
    assert found["in_step"] == []  # the rollup agrees with the ledger
    return found["history"], found["tally"]


def test_history_and_rollup_are_those_of_saving_row_by_row(settings: Any) -> None:
    settings.IMPORTS_IN_BACKGROUND = False
    admin = User.objects.create_superuser("t-bulk-admin")
    rows = lines(120)
    job = job_of(admin, rows)

    def one_by_one() -> None:
        spec = get_register("activities")
        with acting_as(admin, reason=f"import {job.filename}"):
            for row in read_table(job.filename, bytes(job.content))[1]:
                assert write.save(spec, admin, row, action="import").ok

    def in_bulk() -> None:
        imports.commit(job)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.errors

    by_row, by_batch = written_by(one_by_one), written_by(in_bulk)
    assert len(by_row[0]) == 120 and all(h[1] == "create" for h in by_row[0])
    assert by_batch[0] == by_row[0]
    assert by_batch[1] == by_row[1] and len(by_row[1]) > 120  # months, years, days per anchor


def queries_of(step: Any, job: ImportJob) -> int:
    with CaptureQueriesContext(connection) as captured:
        step(job)
    job.refresh_from_db()
    assert job.status in (ImportJob.Status.PREVIEW, ImportJob.Status.DONE), job.errors
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_rows(settings: Any) -> None:
    """Every code is looked up once per import; the writes go per batch, not per row."""
    settings.IMPORTS_IN_BACKGROUND = False
    admin = User.objects.create_superuser("t-bulk-count")
    small, large = job_of(admin, lines(30)), job_of(admin, lines(300))
    assert queries_of(imports.check, small) == queries_of(imports.check, large)
    few, many = queries_of(imports.commit, small), queries_of(imports.commit, large)
    if connection.vendor == "postgresql":  # one COPY per table and batch
        assert many == few, (few, many)
    else:  # SQLite splits a bulk insert by its variable limit: dozens of rows per statement
        assert many - few < (300 - 30) / 20, (few, many)
    assert Activity.objects.filter(title__startswith="t-bulk ").count() == 330


def test_a_missing_code_is_looked_up_once_and_named_on_every_row(settings: Any) -> None:
    settings.IMPORTS_IN_BACKGROUND = False
    admin = User.objects.create_superuser("t-bulk-missing")
    small = job_of(admin, lines(20, counterpart="CN-NOWHERE"))
    large = job_of(admin, lines(200, counterpart="CN-NOWHERE"))
    counts = []
    for job in (small, large):
        with CaptureQueriesContext(connection) as captured:
            imports.check(job)
        counts.append(len(captured.captured_queries))
        job.refresh_from_db()
        assert job.status == ImportJob.Status.INVALID
        assert {e["field"] for e in job.errors} == {"counterpart"}
        assert len(job.errors) == len(job_rows(job))
    assert counts[0] == counts[1]


def job_rows(job: ImportJob) -> list[dict[str, str]]:
    return list(read_table(job.filename, bytes(job.content))[1])


def test_a_row_refused_in_a_later_batch_keeps_nothing(settings: Any) -> None:
    """Batches already written go with the refused row: the import is one transaction."""
    from borderlink.registers import bulk_write

    settings.IMPORTS_IN_BACKGROUND = False
    admin = User.objects.create_superuser("t-bulk-late")
    rows = lines(bulk_write.BATCH + 10)
    rows[-1] = rows[-1].replace("in_person", "pigeon")
    job = job_of(admin, rows)
    history, tally = ChangeRecord.objects.count(), rollup.current()
    imports.commit(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["field"]) for e in job.errors] == [(len(rows) + 1, "channel")]
    assert not Activity.objects.filter(title__startswith="t-bulk ").exists()
    assert ChangeRecord.objects.count() == history and rollup.current() == tally


def test_only_models_saved_as_plain_records_are_written_together() -> None:
    from borderlink.delegations.models import Delegation

    assert bulk.insertable(Activity)  # history and rollup receivers have batch forms
    assert not bulk.insertable(Delegation)  # its save() does more: saved row by row


def test_history_of_a_batch_is_written_as_plain_rows_on_postgresql(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ChangeRecord instance per imported record: the rows go straight into one COPY."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite writes the instances with bulk_create")
    settings.IMPORTS_IN_BACKGROUND = False
    admin = User.objects.create_superuser("t-bulk-plain")
    job = job_of(admin, lines(40))
    made: list[int] = []
    init = ChangeRecord.__init__

    def counting(self: ChangeRecord, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(ChangeRecord, "__init__", counting)
    imports.commit(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert ChangeRecord.objects.filter(object_repr__contains="t-bulk ").count() == 40
    assert made == []
