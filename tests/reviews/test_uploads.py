import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Attachment
from reviews.validators import attachment_file_check
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def zipped(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODS = zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("report.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("data.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "application/msword"),
        ("figures.csv", "country,migrants\nGhana,465000\nCôte d'Ivoire,2560000\n".encode(), "text/csv"),
    ],
)
def test_upload_check_accepts_real_documents(name, content, expected):
    assert attachment_file_check(SimpleUploadedFile(name, content)).content_type == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", ELF),
        ("report.pdf", MZ),
        ("report.docx", MZ),
        ("report.docx", zipped({"word/document.xml": "<x/>"})),
        ("report.xlsx", DOCX),
        ("data.csv", MZ),
        ("data.csv", b"a,b\n\x00\x01\x02"),
        ("data.ods", zipped({"mimetype": "application/x-msdownload"})),
        ("report.pdf", DOCX),
    ],
)
def test_upload_check_refuses_content_not_matching_name(name, content):
    with pytest.raises(ValidationError) as error:
        attachment_file_check(SimpleUploadedFile(name, content))
    assert error.value.code == "content"


def test_upload_check_refuses_other_extensions():
    with pytest.raises(ValidationError) as error:
        attachment_file_check(SimpleUploadedFile("setup.exe", MZ))
    assert error.value.code == "extension"


def test_upload_check_refuses_too_large(settings):
    settings.MAX_UPLOAD_SIZE = 10
    with pytest.raises(ValidationError) as error:
        attachment_file_check(SimpleUploadedFile("report.pdf", PDF))
    assert error.value.messages == [f"The file is {len(PDF)}\xa0bytes; the limit is 10\xa0bytes."]


@pytest.fixture
def review(bali):
    return ReviewFactory(mechanism=bali)


def test_renamed_executable_refused_by_view_and_description_kept(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_attachments", kwargs={"pk": review.pk})
    response = client.post(url, {"file": SimpleUploadedFile("report.pdf", ELF), "description": "Annual report"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The content of “report.pdf” is not a PDF file. Attach the document itself, saved in that format."
    ]
    assert response.context["form"]["description"].value() == "Annual report"
    assert Attachment.objects.count() == 0


def test_upload_stored_outside_web_root_and_served_to_allowed_users(
    client, review, bali_secretariat, midwa_secretariat, settings
):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_attachments", kwargs={"pk": review.pk})
    response = client.post(url, {"file": SimpleUploadedFile("Report 2024.pdf", PDF), "description": "Report"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "Report 2024.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attachment.file.name.startswith("attachments/")
    assert "Report" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    download = reverse("reviews:attachment_download", kwargs={"pk": review.pk, "attachment_pk": attachment.pk})
    response = client.get(download)
    assert response.status_code == 200
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert response["Content-Disposition"] == 'attachment; filename="Report 2024.pdf"'
    assert b"".join(response.streaming_content) == PDF
    client.force_login(midwa_secretariat)
    assert client.get(download).status_code == 403
    client.logout()
    assert client.get(download).status_code == 302
    assert review.versions.get().content["attachments"] == [
        {"name": "Report 2024.pdf", "description": "Report", "sha256": attachment.sha256}
    ]


def test_attachment_of_another_review_is_404(client, review, bali_secretariat, midwa):
    other = ReviewFactory(mechanism=midwa)
    client.force_login(bali_secretariat)
    client.post(
        reverse("reviews:review_attachments", kwargs={"pk": review.pk}),
        {"file": SimpleUploadedFile("r.pdf", PDF), "description": "R"},
    )
    attachment = Attachment.objects.get()
    assert (
        client.get(
            reverse("reviews:attachment_download", kwargs={"pk": other.pk, "attachment_pk": attachment.pk})
        ).status_code
        == 403
    )
    client.force_login(bali_secretariat)
    url = reverse("reviews:attachment_delete", kwargs={"pk": review.pk, "attachment_pk": attachment.pk})
    assert client.post(url).status_code == 302
    assert Attachment.objects.count() == 0
