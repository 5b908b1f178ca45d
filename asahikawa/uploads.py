"""Private documents, for every app (circular attachments, subsidy documents, photos of work done).

- `validate_document(upload)`: PDF, JPEG or PNG by the file's content (filetype reads its first
  bytes; the name and the browser's content type are not trusted), at most 10 MB, else a
  ValidationError in the user's language.
- `private_storage()`: the "private" storage of settings.STORAGES (a folder outside MEDIA_ROOT and
  the static files, or an S3-compatible bucket): use it as a FileField's storage, with
  `document_path` as upload_to (a random name: the resident's file name is kept in a field, never
  in the path).
- `document_response(file, filename=...)`: the file for a view that has checked the permission:
  an attachment, with headers that keep a browser from running or caching it.
"""
from __future__ import annotations

import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of private documents: no URL of its own (a view serves each after a permission check)."""

    def url(self, name):
        raise ValueError("a private document has no public URL: serve it with asahikawa.uploads.document_response")


def private_storage():
    """The storage of private documents (callable, so that tests and settings can change it)."""
    return storages["private"]


def document_kind(upload) -> str | None:
    """The content type of a PDF, JPEG or PNG upload, from its content; None for anything else."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in DOCUMENT_TYPES else None


def validate_document(upload) -> str:
    """Raise ValidationError unless upload is a PDF, JPEG or PNG of at most 10 MB; return its type."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("ファイルは10MB以下にしてください（このファイルは%(size)sMB）。"),
            params={"size": f"{upload.size / 1024 / 1024:.1f}"}, code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("ファイルが空です。"), code="empty")
    mime = document_kind(upload)
    if mime is None:
        raise ValidationError(_("PDF・JPEG・PNGのファイルを選んでください（ファイルの中身で確かめています）。"), code="type")
    return mime


@deconstructible
class DocumentPath:
    """upload_to for a FileField: <prefix>/<yyyy>/<mm>/<random>.<ext of the checked type>.
    Deconstructible, so that a migration can name it (`upload_to=document_path("grants")`)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename):
        mime = getattr(instance, "content_type", "") or ""
        extension = DOCUMENT_TYPES.get(mime, "bin")
        now = timezone.now()
        return f"{self.prefix}/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, DocumentPath) and other.prefix == self.prefix


def document_path(prefix: str) -> DocumentPath:
    return DocumentPath(prefix)


def document_response(field_file, *, filename: str, content_type: str = "") -> FileResponse:
    """Serve a private document to someone the view has already checked may read it."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type or None)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
