"""Uploaded files (issue 16, item 7): accepted by content, stored under random names, downloaded
only through the gate of the record that owns them, as attachments the browser never renders."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import FileResponse
from django.test import Client
from django.utils import translation
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.core.files import ProtectedFileField, download_name, sniff
from borderlink.core.models import StoredFile
from borderlink.ties.models import Agreement
from tests.registers.samples import IN_SCOPE, SAMPLES
from tests.typed import Response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English (the catalogues translate them on a Vietnamese page)."""
    with translation.override("en"):
        yield


Login = Callable[[User], Client]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
DOCM = zipped(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"macro",
    }
)
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_agreement(client: Client, name: str, content: bytes) -> Response:
    data: dict[str, object] = dict(SAMPLES["agreements"](*IN_SCOPE))
    data["text_vi"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post("/r/agreements/new/", data)


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", HTML),
        ("drawing.svg", SVG),
        ("renamed.pdf", HTML),  # a page dressed up as a PDF by its name
        ("image.pdf", PNG),  # a real file, but not a kind the field takes
        ("macros.docx", DOCM),  # Word with macros, renamed
        ("empty.pdf", b""),
    ],
)
def test_a_file_that_is_not_an_accepted_kind_by_its_content_is_refused(
    name: str, content: bytes, vixuyen_officer: User, client_of: Login, media: Path
) -> None:
    client = client_of(vixuyen_officer)
    client.cookies["django_language"] = "en"
    before = Agreement.objects.count()
    response = post_agreement(client, name, content)
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert "files are accepted by their content, not by their name" in page or (
        "The submitted file is empty" in page
    )
    assert Agreement.objects.count() == before
    assert not any(media.rglob("*.*")), "nothing refused is stored"


def test_a_good_pdf_is_stored_under_a_random_name_and_downloaded_through_the_gate(
    vixuyen_officer: User, dongvan_officer: User, client_of: Login, media: Path, client: Client
) -> None:
    mine = client_of(vixuyen_officer)
    response = post_agreement(mine, "Thỏa thuận 2019 <b>.pdf", PDF)
    assert response.status_code == 302, response.content.decode()[-2000:]
    agreement = Agreement.objects.order_by("-pk").first()
    assert agreement is not None
    stored = agreement.text_vi.name
    assert stored is not None
    assert re.fullmatch(r"agreements/20\d\d/[0-9a-f]{32}\.pdf", stored), stored
    assert (media / stored).read_bytes() == PDF
    assert StoredFile.objects.get(name=stored).original_name == "Thỏa thuận 2019 <b>.pdf"

    url = f"/files/ties.agreement/{agreement.pk}/text_vi/"
    detail = mine.get(response["Location"]).content.decode()
    assert f'href="{url}"' in detail and "/media/" not in detail
    assert "Thỏa thuận 2019 &lt;b&gt;.pdf" in detail

    got = mine.get(url)
    assert got.status_code == 200 and isinstance(got, FileResponse)
    assert b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/pdf"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Th%E1%BB%8Fa" in got["Content-Disposition"]
    assert "sandbox" in got["Content-Security-Policy"]

    # Another district's officer may not view the agreement: its file does not exist for them.
    assert client_of(dongvan_officer).get(url).status_code == 404
    nobody = User.objects.create_user("t-nobody-files", password="pw-for-tests-only")
    assert client_of(nobody).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # The stored name is no way in either: media is not served.
    assert mine.get(f"/media/{stored}").status_code == 404
    # Nor is another field, model or a field that is no file.
    for wrong in (
        f"/files/ties.agreement/{agreement.pk}/text_en/",
        f"/files/ties.agreement/{agreement.pk}/title_vi/",
        f"/files/ties.nothing/{agreement.pk}/text_vi/",
        f"/files/accounts.user/{vixuyen_officer.pk}/password/",
    ):
        assert mine.get(wrong).status_code == 404, wrong


def kind_name(content: bytes) -> str | None:
    kind = sniff(io.BytesIO(content))
    return kind.name if kind else None


def test_office_documents_and_images_are_recognised_by_content() -> None:
    assert kind_name(PDF) == "PDF"
    assert kind_name(DOCX) == "DOCX"
    assert kind_name(ODT) == "ODT"
    assert kind_name(PNG) == "PNG"
    assert kind_name(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "JPEG"
    assert kind_name(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WebP"
    for bad in (HTML, SVG, DOCM, b"PK\x03\x04broken", zipped({"a.txt": b"x"}), b""):
        assert sniff(io.BytesIO(bad)) is None
    # A download is named as uploaded, with the real kind's extension when the name lies.
    assert download_name("Hiệp định.pdf", sniff(io.BytesIO(PDF))) == "Hiệp định.pdf"
    assert download_name("scan.pdf", sniff(io.BytesIO(DOCX))) == "scan.docx"


def test_a_marker_photo_takes_images_only(vixuyen_officer: User, client_of: Login) -> None:
    field = apps.get_model("border", "MarkerCheck")._meta.get_field("photo")
    assert isinstance(field, ProtectedFileField)
    assert field.kinds == ("PNG", "JPEG", "WebP")
    from borderlink.core.files import ContentValidator

    ContentValidator(field.kinds)(SimpleUploadedFile("p.png", PNG))
    with pytest.raises(Exception, match="not a PNG, JPEG, WebP file"):
        ContentValidator(field.kinds)(SimpleUploadedFile("p.png", PDF))


def test_every_file_field_of_the_application_is_protected() -> None:
    found = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and model.__module__.startswith("borderlink.")
    ]
    assert found, "the agreements' texts and the marker photos at least"
    unprotected = [
        name
        for name in found
        if not isinstance(
            apps.get_model(name.rsplit(".", 1)[0])._meta.get_field(name.rsplit(".", 1)[1]),
            ProtectedFileField,
        )
    ]
    assert unprotected == []
