"""Hand one e-mail to the mail server over SMTP, and say whether it was accepted.

STARTTLS is used where the server offers it (``SMTP_STARTTLS=auto``), always (``true``, and a
server without it is a temporary failure) or never (``false``, for a local test server). A 4xx
reply or a broken connection is temporary (try again later); a 5xx reply is permanent.
"""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import parseaddr
from typing import Any


class TemporaryFailure(Exception):
    """The message was not accepted now; it may be later."""


class PermanentFailure(Exception):
    """The server refused the message for good."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str = ""
    password: str = ""
    starttls: str = "auto"  # auto, true or false
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Any) -> "SmtpSettings | None":
        """Return the settings of an app's config; None when no mail server is configured."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25),
                   config.get("SMTP_USERNAME") or "", config.get("SMTP_PASSWORD") or "",
                   (config.get("SMTP_STARTTLS") or "auto").lower())  # fmt: skip


def _failure(code: int, reply: bytes | str) -> Exception:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    kind = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return kind(f"{code} {text}".strip())


def deliver(settings: SmtpSettings, message: EmailMessage) -> str:
    """Send one message; return the server's reply to its data (its queue id, usually)."""
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            smtp.ehlo()
            _secure(smtp, settings)
            if settings.username:
                smtp.login(settings.username, settings.password)
            return _transfer(smtp, message)
    except smtplib.SMTPAuthenticationError as exc:
        raise PermanentFailure(f"{exc.smtp_code} authentication refused") from None
    except smtplib.SMTPResponseException as exc:
        raise _failure(exc.smtp_code, exc.smtp_error) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from None


def _secure(smtp: smtplib.SMTP, settings: SmtpSettings) -> None:
    offered = smtp.has_extn("starttls")
    if settings.starttls == "true" and not offered:
        raise TemporaryFailure("the server does not offer STARTTLS")
    if offered and settings.starttls in ("auto", "true"):
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()


def _transfer(smtp: smtplib.SMTP, message: EmailMessage) -> str:
    sender, recipient = parseaddr(message["From"])[1], parseaddr(message["To"])[1]
    code, reply = smtp.mail(sender)
    if code != 250:
        raise _failure(code, reply)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        raise _failure(code, reply)
    code, reply = smtp.data(message.as_bytes(policy=SMTP_POLICY))
    if code != 250:
        raise _failure(code, reply)
    return reply.decode(errors="replace")
