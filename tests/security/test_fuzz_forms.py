"""Property-based input for every register's form and for the import reader: whatever a user
types or uploads gets an answer (valid, or errors to show), never an exception, and checking
writes nothing.

Together with tests/test_api_fuzz.py (schemathesis over every API operation) this is the
"10,000 inputs" of the data-safety work: `FORM_EXAMPLES` per register here, `IMPORT_EXAMPLES`
uploads, and the API fuzzer's examples per operation; `test_the_inputs_add_up` checks the sum.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderlink.accounts.models import User
from borderlink.registers.forms import form_class
from borderlink.registers.imports import check_row
from borderlink.registers.spec import Register, registers
from borderlink.registers.tabular import TableError, read_table

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FORM_EXAMPLES = 160
IMPORT_EXAMPLES = 5000

# What people paste into a form: nothing, spaces, numbers of every shape, dates in every order,
# codes that exist and codes that do not, several codes, other scripts, very long text. NUL is
# refused before any form sees it (core.middleware.RejectNulMiddleware), so it is left out.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60
)
VALUES = st.one_of(
    st.just(""),
    st.just(" "),
    TEXT,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(
        [
            "VN-P02",
            "VN-P08-2025",
            "VN-02-BGS-THANHTHUY",
            "CN-532624",
            "CN-530000",
            "VN-P02;CN-532624",
            "NO-SUCH-UNIT",
            "2025-02-30",
            "31/02/2020",
            "1e309",
            "-0",
            "on",
            "true",
            "Thanh Thuỷ",
            "天保",
            "x" * 5000,
        ]
    ),
)


def _spec_ids() -> list[str]:
    return [spec.slug for spec in registers()]


def _rows(spec: Register) -> Any:
    names = sorted(form_class(spec).base_fields)
    return st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names)) if names else None


def _count(spec: Register) -> int:
    return int(spec.model._default_manager.count())


@pytest.fixture
def superuser(db: None) -> User:
    # Every scope check passes, so every form is exercised to its end.
    return User.objects.create_superuser("t-fuzz-admin", password="pw-for-tests-only")


@pytest.mark.parametrize("slug", _spec_ids())
def test_any_input_to_a_register_form_gets_an_answer_and_writes_nothing(
    slug: str, superuser: User
) -> None:
    spec = next(s for s in registers() if s.slug == slug)
    rows = _rows(spec)
    assert rows is not None, f"{slug} has no form fields"
    before = _count(spec)

    @given(row=rows)
    @settings(
        max_examples=FORM_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(row: dict[str, str]) -> None:
        _form, errors = check_row(spec, superuser, row, 2)
        assert all(isinstance(e["message"], str) and e["message"] for e in errors)
        # A failed lookup must not leave the connection unusable (PostgreSQL aborts the
        # transaction on a database error).
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    check()
    assert _count(spec) == before, f"checking {slug} rows wrote records"


def test_any_uploaded_file_is_read_or_refused_with_a_message() -> None:
    csv_like = st.lists(
        st.lists(VALUES, max_size=6).map(
            lambda cells: ",".join(c.replace("\n", " ") for c in cells)
        ),
        max_size=8,
    ).map(lambda lines: "\n".join(lines).encode())
    uploads = st.one_of(
        st.tuples(st.sampled_from(["a.csv", "b.CSV"]), csv_like),
        st.tuples(st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]), st.binary(max_size=300)),
        st.tuples(st.just("a.csv"), TEXT.map(lambda t: t.encode("utf-16"))),
    )

    @given(upload=uploads)
    @settings(
        max_examples=IMPORT_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def read(upload: tuple[str, bytes]) -> None:
        name, content = upload
        try:
            header, rows = read_table(name, content)
        except TableError as error:
            assert str(error)
            return
        assert all(isinstance(h, str) for h in header)
        assert all(isinstance(v, str) for row in rows for v in row.values())

    read()


def test_the_inputs_add_up() -> None:
    from tests.test_api_fuzz import EXAMPLES_PER_OPERATION

    # Registers × examples, uploads, and at least 30 API operations × examples (the API test
    # asserts there are 30 or more; there are several per register).
    total = len(registers()) * FORM_EXAMPLES + IMPORT_EXAMPLES + 30 * EXAMPLES_PER_OPERATION
    assert total >= 10_000, total
