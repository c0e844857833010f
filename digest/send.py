"""Delivering a digest: SMTP (certificates verified) or the outbox folder."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from storywatch.config import SmtpConfig


class DeliveryError(Exception):
    """The message was not handed over; the reason is safe to log (no secrets)."""


class Transport(Protocol):
    name: str

    def deliver(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    name = "smtp"

    def __init__(self, config: SmtpConfig, environ: dict[str, str] | None = None) -> None:
        self.config = config
        self.environ = dict(os.environ) if environ is None else environ

    def _password(self) -> str | None:
        if not self.config.username:
            return None
        password = self.environ.get(self.config.password_env)
        if password is None:
            raise DeliveryError(
                f"[smtp] username is set but ${self.config.password_env} (password_env) is not in the environment"
            )
        return password

    def deliver(self, message: EmailMessage) -> None:
        config = self.config
        password = self._password()
        context = ssl.create_default_context()  # never send without checking the certificate
        try:
            if config.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
            else:
                client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with client:
                client.ehlo()
                if config.security == "starttls":
                    client.starttls(context=context)
                    client.ehlo()
                if config.username and password is not None:
                    client.login(config.username, password)
                refused = client.send_message(message)
                if refused:
                    raise DeliveryError(f"the server refused some recipients: {', '.join(refused)}")
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login as {config.username!r} failed ({exc.smtp_code})") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP to {config.host}:{config.port} failed: {type(exc).__name__}: {exc}") from None


class OutboxTransport:
    """Writes ``<day>.eml`` and ``<day>.html`` into a folder (atomically)."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(self, message: EmailMessage) -> None:
        day = message["X-Storywatch-Day"] or "digest"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            html_part = message.get_body(preferencelist=("html",))
            html = html_part.get_content() if html_part is not None else ""
            _write_atomically(self.folder / f"storywatch-{day}.html", html.encode("utf-8"))
            _write_atomically(self.folder / f"storywatch-{day}.eml", message.as_bytes())
        except OSError as exc:
            raise DeliveryError(f"cannot write to the outbox {self.folder}: {exc.strerror}") from None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
