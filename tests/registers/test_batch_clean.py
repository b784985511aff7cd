"""The import's cleaning (registers/batch_clean.py) answers as Django's cleaning of the same form,
for every register, on any input: the same errors with the same messages, the same record.

One checker judges every example in turn, as an import judges row after row, so its remembered
verdicts are put to the test against a fresh form's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderlink.accounts.models import Membership, User
from borderlink.core.bulk import bulk_mode
from borderlink.places.models import Unit
from borderlink.registers import write
from borderlink.registers.batch_clean import BatchCleaning
from borderlink.registers.bulk_write import RowChecker
from borderlink.registers.forms import form_class
from borderlink.registers.spec import Register, get_register, registers
from tests.registers.samples import IN_SCOPE, OUT_OF_SCOPE, SAMPLES
from tests.security.test_fuzz_forms import VALUES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 25

# Rows that repeat values, as a file's rows do: the remembered verdicts are used, not only made.
REPEATED = st.sampled_from(["", "1", "2", "VN-P02", "CN-532624", "2024-05-01", "01/05/2024"])


def _rows(spec: Register) -> Any:
    names = sorted(form_class(spec).base_fields)
    return st.dictionaries(st.sampled_from(names), st.one_of(VALUES, REPEATED), max_size=len(names))


def _record(instance: models.Model) -> dict[str, Any]:
    """The record's values, the database it is bound to and the linked records it holds (the
    batch cleaning sets links and starts records its own way)."""
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    state = instance._state
    held = {name: getattr(obj, "pk", obj) for name, obj in state.fields_cache.items()}
    return {**values, "_db": state.db, "_adding": state.adding, "_held": held}


def _cleaned(form: Any) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.pk if isinstance(value, models.Model) else value

    return {name: plain(value) for name, value in form.cleaned_data.items()}


@pytest.fixture
def users(db: None) -> list[User]:
    admin = User.objects.create_superuser("t-batch-admin", password="pw-for-tests-only")
    # A scoped user: link fields are narrowed, and the gate refuses units outside the scope.
    editor = User.objects.create_user("t-batch-editor", password="pw-for-tests-only")
    Membership.objects.create(user=editor, unit=Unit.objects.get(code="VN-P02"), role="fa_editor")
    return [admin, editor]


def _judged_alike(spec: Register, user: User) -> None:
    with bulk_mode():
        checker = RowChecker(spec, user)

        @given(row=_rows(spec))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def same(row: dict[str, str]) -> None:
            expected = write.check(spec, user, row, action="import")
            found = checker.check(row)
            assert found.errors == expected.errors, row
            assert found.denied == expected.denied, row
            if expected.ok:
                assert _record(found.form.instance) == _record(expected.form.instance)
                assert _cleaned(found.form) == _cleaned(expected.form)

        same()


@pytest.mark.parametrize("slug", [spec.slug for spec in registers()])
def test_the_import_cleans_every_row_as_the_form_does(slug: str, users: list[User]) -> None:
    for user in users:
        _judged_alike(get_register(slug), user)


def _variants(row: dict[str, str]) -> list[dict[str, str]]:
    """A valid row, then each of its columns left out, then each blank: records that pass
    (links left empty, defaults kept) as well as refusals, in one sequence."""
    return [
        row,
        *({k: v for k, v in row.items() if k != name} for name in row),
        *({**row, name: ""} for name in row),
        row,
    ]


@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_the_import_builds_valid_rows_records_as_the_form_does(
    slug: str, users: list[User]
) -> None:
    """Random rows are nearly all refused; a register's sample row and its variants pass or
    fail field by field, so the records the batch cleaning builds are compared too."""
    spec = get_register(slug)
    for user in users:
        with bulk_mode():
            checker = RowChecker(spec, user)
            for where in (IN_SCOPE, OUT_OF_SCOPE):
                for row in _variants(SAMPLES[slug](*where)):
                    expected = write.check(spec, user, row, action="import")
                    found = checker.check(row)
                    assert found.errors == expected.errors, row
                    assert found.denied == expected.denied, row
                    if expected.ok:
                        assert _record(found.form.instance) == _record(expected.form.instance)
                        assert _cleaned(found.form) == _cleaned(expected.form)


def test_the_import_cleaning_is_in_use_where_the_form_is_django_s(users: list[User]) -> None:
    """Else the test above would compare Django's cleaning with itself."""
    spec = get_register("activities")
    checker = RowChecker(spec, users[0])
    assert isinstance(checker.form._post_clean.__self__, BatchCleaning)  # type: ignore[attr-defined]
    installed = [
        slug
        for slug in (s.slug for s in registers())
        if BatchCleaning.install(write.form_for(get_register(slug), users[0])) is not None
    ]
    assert len(installed) >= len(registers()) * 3 // 4, installed
