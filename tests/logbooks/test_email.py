"""Parsing uploaded .eml files into e-mail data points."""

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from logbooks.models import EmailAttachment, EmailDataPoint
from logbooks.services import parse_eml
from tests.factories import give_consent

pytestmark = pytest.mark.django_db


def latin1_message() -> bytes:
    return (
        "From: =?iso-8859-1?q?Jos=E9_de_Bo=EBr?= <jose@school.test>\r\n"
        "To: Marieke <marieke@lob.test>, decaan@school.test\r\n"
        "Cc: team@school.test\r\n"
        "Subject: =?iso-8859-1?q?Vervolg_na_het_gesprek_over_re=FCnie?=\r\n"
        "Date: Tue, 06 Oct 2026 14:05:00 +0200\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode("ascii") + "Beste Marieke,\r\nDe reünie was een succes. Groet, José\r\n".encode(
        "iso-8859-1"
    )


def multipart_message() -> bytes:
    message = EmailMessage()
    message["From"] = "Aanjager <aanjager@school.test>"
    message["To"] = "onderzoeker@lob.test"
    message["Subject"] = "Verslag teamoverleg"
    message["Date"] = "Mon, 12 Oct 2026 09:30:00 +0200"
    message.set_content("Hierbij het verslag van het teamoverleg over de mentorlessen.")
    message.add_alternative(
        "<p>Hierbij het <b>verslag</b> van het teamoverleg over de mentorlessen.</p>",
        subtype="html",
    )
    message.add_attachment(
        b"%PDF-1.4 verslag", maintype="application", subtype="pdf", filename="verslag.pdf"
    )
    message.add_attachment(
        "agenda\n".encode("cp1252"), maintype="text", subtype="plain", filename="agenda.txt"
    )
    return message.as_bytes()


def test_non_utf8_message_is_decoded():
    parsed = parse_eml(latin1_message())
    assert "José de Boër" in parsed.sender
    assert parsed.subject == "Vervolg na het gesprek over reünie"
    assert "De reünie was een succes" in parsed.body
    assert "marieke@lob.test" in parsed.recipients
    assert "team@school.test" in parsed.recipients
    assert parsed.sent_at.isoformat() == "2026-10-06T14:05:00+02:00"
    assert parsed.attachments == []


def test_multipart_message_with_attachments():
    parsed = parse_eml(multipart_message())
    assert parsed.body.startswith("Hierbij het verslag")
    assert "<p>" not in parsed.body
    names = [name for name, _type, _data in parsed.attachments]
    assert names == ["verslag.pdf", "agenda.txt"]
    assert parsed.attachments[0][2] == b"%PDF-1.4 verslag"


def test_html_only_message_becomes_text():
    message = EmailMessage()
    message["From"] = "x@y.nl"
    message["Subject"] = "Alleen html"
    message.set_content("<p>Eerste regel<br>tweede &amp; derde</p>", subtype="html")
    assert parse_eml(message.as_bytes()).body == "Eerste regel\ntweede & derde"


def test_upload_view_stores_email_and_private_attachments(world, client_for):
    give_consent(trajectory=world.trajectory, kind="notes", email="aanjager@school.test")
    response = client_for(world.researcher).post(
        f"/logboek/{world.trajectory.pk}/email/",
        {"eml": SimpleUploadedFile("verslag.eml", multipart_message())},
    )
    assert response.status_code == 302
    email = EmailDataPoint.objects.get()
    assert email.subject == "Verslag teamoverleg"
    assert str(email.occurred_on) == "2026-10-12"
    assert email.raw.name.startswith("private/email/")
    attachments = list(EmailAttachment.objects.all())
    assert [a.filename for a in attachments] == ["verslag.pdf", "agenda.txt"]
    assert all(a.file.name.startswith("private/email-attachments/") for a in attachments)
    download = client_for(world.coach).get(f"/logboek/bijlage/{attachments[0].pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 verslag"
    assert "attachment" in download["Content-Disposition"]


def test_non_email_upload_refused_in_dutch(world, client_for):
    response = client_for(world.researcher).post(
        f"/logboek/{world.trajectory.pk}/email/",
        {"eml": SimpleUploadedFile("leeg.eml", b"\x00\x01\x02")},
    )
    assert response.status_code == 200
    assert "lijkt geen e-mail" in response.content.decode()
    assert not EmailDataPoint.objects.exists()
