"""An import of workers: identities encrypted like any save, the uploaded file not kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.people.crypto import blind_index
from borderlink.people.models import LabourRegistration
from borderlink.people.retention import forget_uploads
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register
from tests.people.conftest import agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def inline_imports(settings: Settings) -> None:
    settings.IMPORTS_IN_BACKGROUND = False


def sheet() -> bytes:
    fields = get_register("labour-registrations").fields
    row = {
        "agreement": str(agreement().pk),
        "home_unit": "VN-D030",
        "full_name": "Vừ Mí Tủa",
        "birth_date": "12/03/1992",
        "id_number": "002092004455",
        "home_commune": "VN-C00928",
        "departed_on": "2019-04-01",
        "status": "working",
    }
    lines = [",".join(fields), ",".join(row.get(f, "") for f in fields)]
    return ("\n".join(lines) + "\n").encode()


def test_imported_identities_are_encrypted_and_the_file_is_dropped(
    labour_officer: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(labour_officer)
    upload = SimpleUploadedFile("workers.csv", sheet())
    assert client.post("/r/labour-registrations/import/", {"file": upload}).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    client.post(f"/r/labour-registrations/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert bytes(job.content) == b""
    record = LabourRegistration.objects.get(id_number_index=blind_index("002092004455"))
    assert record.birth_date is not None and record.birth_date.isoformat() == "1992-03-12"


def test_a_checked_but_abandoned_upload_is_dropped_the_next_day(
    labour_officer: User, client_of: Callable[[User], Client]
) -> None:
    import datetime

    client = client_of(labour_officer)
    client.post("/r/labour-registrations/import/", {"file": SimpleUploadedFile("w.csv", sheet())})
    job = ImportJob.objects.latest("pk")
    assert b"002092004455" in bytes(job.content)
    today = timezone.localdate(job.started_at)
    assert forget_uploads(today) == 0
    forget_uploads(today + datetime.timedelta(days=2))
    job.refresh_from_db()
    assert bytes(job.content) == b""
