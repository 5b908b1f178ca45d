"""Private documents: checked by content and size, stored outside the public files, served with safe headers."""
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from asahikawa.uploads import MAX_DOCUMENT_BYTES, document_response, private_storage, validate_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.mark.parametrize("name, content, mime", [("a.pdf", PDF, "application/pdf"), ("b.png", PNG, "image/png"),
                                                  ("c.jpg", JPEG, "image/jpeg")])
def test_pdf_jpeg_png_are_taken_by_their_content(name, content, mime):
    assert validate_document(SimpleUploadedFile(name, content, "application/octet-stream")) == mime


@pytest.mark.parametrize("name, content", [("invoice.pdf", b"MZ\x90\x00 an executable"), ("photo.png", b"<html>"),
                                           ("a.pdf", b"GIF89a" + b"\x00" * 20)])
def test_other_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_document(SimpleUploadedFile(name, content, "application/pdf"))
    assert caught.value.code == "type"


def test_over_ten_megabytes_is_refused():
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES, "application/pdf")
    with pytest.raises(ValidationError) as caught:
        validate_document(big)
    assert caught.value.code == "too_large"


def test_private_storage_is_not_under_the_public_files():
    location = str(private_storage().location)
    assert not location.startswith(str(settings.MEDIA_ROOT)) and not location.startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError):
        private_storage().url("any.pdf")


def test_a_document_is_served_as_an_attachment_that_a_browser_will_not_run(tmp_path):
    name = private_storage().save("test/served.pdf", io.BytesIO(PDF))
    try:
        response = document_response(private_storage().open(name), filename="見積書.pdf", content_type="application/pdf")
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store"
    finally:
        private_storage().delete(name)


def test_document_path_can_be_written_in_a_migration():
    from django.db.migrations.writer import MigrationWriter

    from asahikawa.uploads import document_path

    text, imports = MigrationWriter.serialize(document_path("circulars"))
    assert text == "asahikawa.uploads.DocumentPath('circulars')" and "import asahikawa.uploads" in imports
    assert document_path("x")(None, "a.pdf").startswith("x/")
