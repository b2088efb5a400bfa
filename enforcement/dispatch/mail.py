"""The e-mail that carries an issued letter: subject, plain-text body and the PDF (pure).

The body says what the attachment is and where to answer; the letter itself is the PDF.
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from enforcement.core.time import utcnow

BODY = {
    "nl": (
        "Geachte heer, mevrouw,\n\n"
        "Bijgaand ontvangt u de brief met kenmerk {kenmerk} van {sender}: {subject}.\n"
        "De brief staat in het bijgevoegde PDF-bestand; de termijnen die daarin staan, gaan in "
        "op de dag van verzending van dit bericht.\n\n"
        "Vermeld bij een reactie het kenmerk {kenmerk}.\n\n"
        "Met vriendelijke groet,\n{sender}\n"
    ),
    "en": (
        "Dear Sir or Madam,\n\n"
        "Attached is the letter with reference {kenmerk} from {sender}: {subject}.\n"
        "The letter is the attached PDF file; the terms it states start on the day this "
        "message was sent.\n\n"
        "Please quote the reference {kenmerk} in any reply.\n\n"
        "Yours faithfully,\n{sender}\n"
    ),
}


@dataclass(frozen=True)
class Outgoing:
    """What one message says, as the outbox keeps it."""

    message_id: str
    sender: str
    recipient: str
    subject: str
    body: str
    filename: str
    pdf: bytes


def body_text(language: str, *, kenmerk: str, sender: str, subject: str) -> str:
    """Return the plain-text body of a letter's message, in the letter's language."""
    return BODY[language].format(kenmerk=kenmerk, sender=sender, subject=subject)


def subject_line(kenmerk: str, subject: str) -> str:
    """Return the e-mail subject: the kenmerk first, so a reply can be matched."""
    return f"{kenmerk}: {subject}"[:300]


def build_email(outgoing: Outgoing) -> EmailMessage:
    """Return the e-mail with the letter attached; the Message-ID is the outbox's own."""
    message = EmailMessage()
    message["From"] = outgoing.sender
    message["To"] = outgoing.recipient
    message["Subject"] = outgoing.subject
    message["Message-ID"] = outgoing.message_id
    message["Date"] = format_datetime(utcnow())
    message.set_content(outgoing.body)
    message.add_attachment(
        outgoing.pdf, maintype="application", subtype="pdf", filename=outgoing.filename
    )
    return message
