"""Render a digest into a text part and an HTML part, and build the message."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from digest.select import DigestContent


def _environment(zone: ZoneInfo) -> Environment:
    env = Environment(
        loader=PackageLoader("digest", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["localtime"] = lambda moment: moment.astimezone(zone).strftime("%d %b %Y %H:%M")
    return env


def day_label(day: dt.date) -> str:
    return day.strftime("%A %d %B %Y")


def render(content: DigestContent, zone: ZoneInfo) -> tuple[str, str]:
    env = _environment(zone)
    context = {
        "content": content,
        "story": content.story,
        "day_label": day_label(content.day),
        "timezone": str(zone),
    }
    text = env.get_template("digest.txt.j2").render(context)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text, env.get_template("digest.html.j2").render(context)


def message_id(story: str, day: dt.date, sender: str) -> str:
    """The same Message-ID for the same story and day, so a repeat is recognisable."""
    slug = hashlib.sha256(story.encode("utf-8")).hexdigest()[:12]
    domain = sender.rpartition("@")[2] or "storywatch.invalid"
    return f"<digest.{day.isoformat()}.{slug}@{domain}>"


def subject(content: DigestContent) -> str:
    if content.is_empty:
        return f"{content.story}: nothing new on {content.day.isoformat()}"
    parts = [f"{content.new_count} new"]
    if content.updated:
        parts.append(f"{len(content.updated)} updated to mention it")
    if content.changed:
        parts.append(f"{len(content.changed)} changed")
    if content.removed:
        parts.append(f"{len(content.removed)} removed")
    return f"{content.story}: {', '.join(parts)} ({content.day.isoformat()})"


def build_message(
    content: DigestContent, *, sender: str, to: list[str], zone: ZoneInfo, now: dt.datetime
) -> EmailMessage:
    text, html = render(content, zone)
    message = EmailMessage()
    message["Subject"] = subject(content)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = email.utils.format_datetime(now)
    message["Message-ID"] = message_id(content.story, content.day, sender)
    message["X-Storywatch-Day"] = content.day.isoformat()
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
