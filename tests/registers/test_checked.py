"""Validate once (registers/checked.py): the commit writes what the check kept while what the
check rested on holds, and checks every row again when it does not."""

from __future__ import annotations

import datetime
import inspect
from typing import Any, cast

import pytest
from django.forms import ChoiceField
from django.utils import timezone

from borderlink.accounts.models import Membership, User
from borderlink.core import jobs
from borderlink.core.models import ChangeRecord
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers import checked, imports, tasks, write
from borderlink.registers.forms import form_class
from borderlink.registers.models import ImportChunk, ImportJob
from borderlink.registers.spec import get_register, registers
from tests.registers.test_bulk_write import HEADER, job_of, lines, written_by

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet_history(settings: Any) -> None:
    """Nothing changed lately: the fixtures' own history is set a day back, out of `SLACK`."""
    settings.IMPORTS_IN_BACKGROUND = False
    ChangeRecord.objects.update(time=timezone.now() - datetime.timedelta(days=1))


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows the form judged (write.judge), counted."""
    calls: list[int] = []
    judge = write.judge

    def counting(*args: Any, **kwargs: Any) -> write.Outcome:
        calls.append(1)
        return judge(*args, **kwargs)

    monkeypatch.setattr(write, "judge", counting)
    return calls


def checked_job(user: User, rows: list[str]) -> ImportJob:
    job = job_of(user, rows)
    imports.check(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    return job


def committed(job: ImportJob) -> ImportJob:
    imports.commit(job)
    job.refresh_from_db()
    return job


def test_the_commit_writes_the_checked_rows_without_judging_them_again(
    judged: list[int],
) -> None:
    admin = User.objects.create_superuser("t-once")
    job = checked_job(admin, lines(30))
    assert len(judged) == 30 and ImportChunk.objects.filter(job=job).exists()
    assert job.check_basis["digest"] and "places.unit" in job.check_basis["reads"]
    job = committed(job)
    assert job.status == ImportJob.Status.DONE and job.created_count == 30
    assert len(judged) == 30  # not one more
    assert Activity.objects.filter(title__startswith="t-bulk ").count() == 30
    assert not ImportChunk.objects.filter(job=job).exists()


def test_kept_rows_write_the_history_and_rollup_of_saving_row_by_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = User.objects.create_superuser("t-once-history")
    rows = lines(60)

    def checked_then_committed() -> None:
        assert committed(checked_job(admin, rows)).status == ImportJob.Status.DONE

    def one_by_one() -> None:
        job = job_of(admin, rows)
        with monkeypatch.context() as patch:
            patch.setattr(checked, "still_holds", lambda job: False)  # every row judged
            assert committed(job).status == ImportJob.Status.DONE

    by_kept, by_form = written_by(checked_then_committed), written_by(one_by_one)
    assert len(by_kept[0]) == 60 and by_kept == by_form


def test_a_unit_changed_since_the_check_is_caught(judged: list[int]) -> None:
    admin = User.objects.create_superuser("t-once-unit")
    job = checked_job(admin, lines(12))
    gone = Unit.objects.get(code="CN-532624-BGS-TIANBAO")
    gone.valid_to = datetime.date(2019, 12, 31)  # before every row's date
    gone.save()
    job = committed(job)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["field"] == "counterpart" and len(judged) > 12  # judged again
    assert not Activity.objects.filter(title__startswith="t-bulk ").exists()


def test_a_grant_lost_since_the_check_is_caught(editor: User) -> None:
    rows = [line for line in lines(9) if ",VN-02-BGS-THANHTHUY," in line]
    job = checked_job(editor, rows)
    Membership.objects.filter(user=editor).delete()
    job = committed(job)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["field"] == "home_unit"
    assert not Activity.objects.filter(title__startswith="t-bulk ").exists()


def test_a_change_in_flight_when_the_check_began_is_caught(judged: list[int]) -> None:
    """A change written shortly before the check began, by a writer whose transaction may
    have ended after the check read: checked again."""
    admin = User.objects.create_superuser("t-once-flight")
    job = checked_job(admin, lines(6))
    began = datetime.datetime.fromisoformat(job.check_basis["began"])
    ChangeRecord.objects.filter(pk=ChangeRecord.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        time=began - checked.SLACK + datetime.timedelta(seconds=1)
    )
    assert committed(job).status == ImportJob.Status.DONE
    assert len(judged) == 12  # every row judged twice


@pytest.mark.parametrize("change", ["day", "digest", "chunks"])
def test_a_check_whose_basis_changed_is_done_again(change: str, judged: list[int]) -> None:
    admin = User.objects.create_superuser("t-once-basis")
    job = checked_job(admin, lines(5))
    basis = dict(job.check_basis)
    if change == "chunks":
        ImportChunk.objects.filter(job=job).delete()
    else:
        basis[change] = "2000-01-01" if change == "day" else "0" * 64
    ImportJob.objects.filter(pk=job.pk).update(check_basis=basis)
    job.refresh_from_db()
    job = committed(job)
    assert job.status == ImportJob.Status.DONE and job.created_count == 5
    assert len(judged) == 10


def test_kept_batches_no_commit_can_use_are_forgotten_daily() -> None:
    admin = User.objects.create_superuser("t-once-sweep")
    today, yesterday, over = (checked_job(admin, lines(3)) for _ in range(3))
    ImportJob.objects.filter(pk=yesterday.pk).update(
        check_basis={**yesterday.check_basis, "day": "2000-01-01"}
    )
    ImportJob.objects.filter(pk=over.pk).update(status=ImportJob.Status.FAILED)

    assert tasks.forget_kept_batches.call() == 2  # one batch each
    assert ImportChunk.objects.filter(job=today).exists()  # still of use today
    assert not ImportChunk.objects.filter(job__in=[yesterday, over]).exists()
    assert "forget-kept-import-batches" in jobs._DAILY
    # Yesterday's preview still imports: its commit checks every row again.
    assert committed(yesterday).status == ImportJob.Status.DONE


def test_a_refused_file_keeps_nothing() -> None:
    admin = User.objects.create_superuser("t-once-refused")
    rows = lines(8)
    rows[-1] = rows[-1].replace("in_person", "pigeon")
    job = job_of(admin, rows)
    imports.check(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and job.check_basis == {}
    assert not ImportChunk.objects.filter(job=job).exists()


def test_the_forms_of_kept_registers_read_other_records_only_through_their_links() -> None:
    """What the check reads is its links' models (checked.read_by): a form that queried other
    records itself would need them named there."""
    read = 0
    for spec in registers():
        if not checked.keeps(spec):
            continue
        for cls in form_class(spec).__mro__:
            if not cls.__module__.startswith("borderlink.") or cls.__module__.endswith(
                "registers.forms"
            ):
                continue  # Django's, and the shared base (links narrowed to what is viewable)
            source = inspect.getsource(cls)
            read += 1
            assert ".objects" not in source and "_default_manager" not in source, spec.slug
    assert read > 3  # the domain apps' forms were read


def test_a_files_header_is_read_once_not_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from borderlink.registers import columns

    spec = get_register("activities")
    header = HEADER.split(",")
    reads: list[str] = []
    read_header = columns.read_header

    def counting(spec: Any, text: str) -> Any:
        reads.append(text)
        return read_header(spec, text)

    monkeypatch.setattr(columns, "read_header", counting)
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines(50)]
    machine = list(columns.MachineRows(spec, header, rows))
    assert len(reads) == len(header)
    assert machine == [columns.machine_row(spec, header, row) for row in rows]
    assert machine[0]["channel"] == "in_person"


def test_a_checkers_choices_accept_and_refuse_what_the_form_does() -> None:
    """Choices looked up in a set (bulk_write.RowChecker): the same answer as Django's walk."""
    from borderlink.registers.bulk_write import RowChecker

    admin = User.objects.create_superuser("t-once-choices")
    compared = 0
    for spec in registers():
        fast = RowChecker(spec, admin).form.fields
        slow = write.form_for(spec, admin).fields
        for name, field in fast.items():
            if "valid_value" not in vars(field):
                continue
            # Choice fields (a valid_value of their own); the stubs type `choices` as what it is
            # set from, Django keeps it as (value, label) pairs.
            fast_field, slow_field = cast(ChoiceField, field), cast(ChoiceField, slow[name])
            codes = [str(k) for k, _label in cast("list[tuple[Any, Any]]", slow_field.choices)]
            for value in [*codes, "", "pigeon", "1 ", "None"]:
                assert fast_field.valid_value(value) == slow_field.valid_value(value), (spec, name)
                compared += 1
    assert compared > 100


def test_a_kept_record_is_made_as_its_models_init_makes_it() -> None:
    from django.db.models.signals import post_init

    fields = checked._kept_fields(Activity) or []
    source = Activity.objects.exclude(value=None).first() or Activity.objects.first()
    assert source is not None
    read = [getattr(source, f.attname) for f in fields]
    order = {f.attname: i for i, f in enumerate(fields)}
    made = checked._maker(Activity, fields)(read)
    values: Any = [
        read[order[f.attname]] if f.attname in order else None
        for f in Activity._meta.concrete_fields
    ]
    expected = Activity(*values)
    assert type(made) is Activity and made.pk is None and made._state.adding
    assert {k: v for k, v in vars(made).items() if k != "_state"} == {
        k: v for k, v in vars(expected).items() if k != "_state"
    }
    seen: list[Any] = []

    def receiver(instance: Any, **kw: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Activity)
    try:  # a model with init receivers is made by its __init__, which sends them
        checked._maker(Activity, fields)(read)
    finally:
        post_init.disconnect(receiver, sender=Activity)
    assert len(seen) == 1
