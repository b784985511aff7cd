"""Uploaded files: accepted by their content, stored under random names, served through the gate.

Every file field of the application is a `ProtectedFileField`:

- an upload is accepted by what it is, not by what it is called: the first bytes (and, for the
  zip-based office formats, the zip's manifest) must be a PDF, DOCX, ODT, PNG, JPEG or WebP file
  of the kinds the field takes — an HTML page or an SVG with script is refused whatever its name;
- it is stored as `<folder>/<year>/<random>.<extension of the kind found>`: no name a user chose
  is ever a path on disk; the name it was uploaded under is kept as data (`StoredFile`) and given
  back as the download's file name;
- it is never served from MEDIA_URL. `download` finds the record that owns the file through the
  permission gate (`restrict(…, "view")`: a record the user may not see is a 404), and sends the
  file as an attachment, with the type the server found in the content and `nosniff`, so no
  browser ever renders an upload as a page of this site.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

HEAD_BYTES = 16


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str
    content_type: str


KINDS = {
    k.name: k
    for k in (
        Kind("PDF", "pdf", "application/pdf"),
        Kind(
            "DOCX",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind("ODT", "odt", "application/vnd.oasis.opendocument.text"),
        Kind("PNG", "png", "image/png"),
        Kind("JPEG", "jpg", "image/jpeg"),
        Kind("WebP", "webp", "image/webp"),
    )
}
DOCUMENTS = ("PDF", "DOCX", "ODT")
IMAGES = ("PNG", "JPEG", "WebP")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(handle: IO[bytes]) -> Kind | None:
    """The kind of file `handle` holds, read from its content (its position is restored)."""
    start = handle.tell()
    try:
        head = handle.read(HEAD_BYTES)
        if head.startswith(b"%PDF-"):
            return KINDS["PDF"]
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return KINDS["PNG"]
        if head.startswith(b"\xff\xd8\xff"):
            return KINDS["JPEG"]
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return KINDS["WebP"]
        if head.startswith(b"PK\x03\x04"):
            handle.seek(start)
            return _office(handle)
        return None
    finally:
        handle.seek(start)


def _office(handle: IO[bytes]) -> Kind | None:
    """A DOCX (Word's manifest and document, no macros) or an ODT (its `mimetype` member)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                # A macro-enabled document renamed .docx carries its code here: not accepted.
                return None if "word/vbaProject.bin" in names else KINDS["DOCX"]
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as member:
                    if member.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return KINDS["ODT"]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    return None


def _file_of(value: Any) -> IO[bytes] | None:
    """The content of a new upload; None for a file already stored (checked when it came in)."""
    if isinstance(value, FieldFile):
        if getattr(value, "_committed", True):
            return None
        return value.file
    return value


@deconstructible
class ContentValidator:
    """Refuses an upload that is not one of `kinds` by its content, or that is too large."""

    def __init__(self, kinds: tuple[str, ...] | list[str]) -> None:
        self.kinds = tuple(kinds)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentValidator) and self.kinds == other.kinds

    def __call__(self, value: Any) -> Kind | None:
        handle = _file_of(value)
        if handle is None:
            return None
        return check_content(handle, self.kinds, getattr(value, "name", "") or "")


def check_content(handle: IO[bytes], kinds: tuple[str, ...], name: str = "") -> Kind:
    size = getattr(handle, "size", None)
    if size is None:
        position = handle.tell()
        size = handle.seek(0, 2)
        handle.seek(position)
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    handle.seek(0)
    kind = sniff(handle)
    if kind is None or kind.name not in kinds:
        raise ValidationError(
            _(
                "“%(name)s” is not a %(kinds)s file: files are accepted by their content, "
                "not by their name."
            )
            % {"name": PurePath(name).name or _("The file"), "kinds": ", ".join(kinds)},
            code="file_kind",
        )
    return kind


@deconstructible
class RandomName:
    """`upload_to`: a fresh random name in `folder`/year, keeping only an accepted kind's
    extension."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and self.folder == other.folder

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePath(filename).suffix.lower().lstrip(".")
        known = {k.extension for k in KINDS.values()}
        suffix = f".{extension}" if extension in known else ""
        # A folder per year keeps directories small; the name itself says nothing of the file.
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class ProtectedFieldFile(FieldFile):
    """A stored file whose address is the gated download, and whose name is the one uploaded."""

    @property
    def url(self) -> str:
        if not self or self.instance.pk is None:
            return ""
        return reverse(
            "file-download",
            args=[self.instance._meta.label_lower, self.instance.pk, self.field.name],
        )

    @property
    def original_name(self) -> str:
        if not self:
            return ""
        from borderlink.core.models import StoredFile

        stored = StoredFile.objects.filter(name=self.name).first()
        return stored.original_name if stored else PurePath(str(self.name)).name


class ProtectedFileField(models.FileField):
    """A file field that accepts `kinds` by content, stores under random names in `folder`, and
    is downloaded only through `download` (see the module's docstring)."""

    attr_class = ProtectedFieldFile

    def __init__(
        self,
        verbose_name: Any = None,
        *,
        folder: str,
        kinds: tuple[str, ...] | list[str],
        **kwargs: Any,
    ) -> None:
        self.folder = folder
        self.kinds = tuple(kinds)
        kwargs["upload_to"] = RandomName(folder)
        kwargs["validators"] = [ContentValidator(self.kinds)]
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs.pop("validators", None)
        kwargs["folder"] = self.folder
        kwargs["kinds"] = list(self.kinds)
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        field = super().formfield(**kwargs)
        if field is not None:  # the browser's file chooser offers these first (no guarantee)
            accept = [f".{KINDS[k].extension}" for k in self.kinds]
            accept += [KINDS[k].content_type for k in self.kinds]
            field.widget.attrs.setdefault("accept", ",".join(accept))
        return field

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            # Checked again here: a file saved without a form is refused all the same.
            kind = check_content(file.file, self.kinds, file.name or "")
            original = PurePath(str(file.name or "")).name[:255] or kind.extension
            file.file.seek(0)
            file.save(f"upload.{kind.extension}", file.file, save=False)
            from borderlink.core.models import StoredFile

            StoredFile.objects.create(
                name=file.name,
                original_name=original,
                content_type=kind.content_type,
                size=file.size,
            )
        return file


def download_name(original: str, kind: Kind | None) -> str:
    """The name uploaded, with the extension of the kind found when it says something else."""
    if kind is None or PurePath(original).suffix.lower().lstrip(".") in _extensions(kind):
        return original
    return f"{PurePath(original).stem or 'file'}.{kind.extension}"


def _extensions(kind: Kind) -> set[str]:
    return {kind.extension, "jpeg"} if kind.name == "JPEG" else {kind.extension}


@login_required
def download(request: HttpRequest, model: str, pk: int, field: str) -> FileResponse:
    """A record's file, for a user who may view the record; a 404 for everyone else."""
    try:
        model_class = apps.get_model(model)
        file_field = model_class._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        raise Http404 from None
    if not isinstance(file_field, ProtectedFileField):
        raise Http404
    from borderlink.core.permissions import restrict  # the gate sits above the models

    record = get_object_or_404(
        restrict(model_class._default_manager.all(), request.user, "view"), pk=pk
    )
    stored: ProtectedFieldFile = getattr(record, field)
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(str(stored.name), "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    kind = sniff(handle)  # the server says what the file is, from what it holds
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(stored.original_name, kind),
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
