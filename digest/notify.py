"""Notifications through Apprise: one channel per target URL.

Each target is its own ledger target (``notify:<scheme>:<hash>``: no secret
in the database), because one Apprise object answers for all its URLs at
once and a day must be recorded per target.  URLs from the environment hold
tokens: they are never printed or logged, only their scheme and hash."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from digest.ledger import SentMessage
from digest.render import subject
from digest.select import DigestContent
from digest.send import DeliveryError
from storage.queries import ChangeRow
from storywatch.config import ConfigError, NotifyConfig

log = logging.getLogger(__name__)

SUMMARY_ITEMS = 5  # headlines named in a notification; the web view has the rest


@dataclasses.dataclass(frozen=True, slots=True)
class NotifyTarget:
    url: str
    from_env: bool
    kind: str  # the Apprise scheme

    @property
    def name(self) -> str:
        """The ledger's name for this target: stable, and holding no secret."""
        return f"notify:{self.kind[:24]}:{hashlib.sha256(self.url.encode('utf-8')).hexdigest()[:16]}"

    @property
    def label(self) -> str:
        """How logs and messages name it."""
        return f"{self.kind}:// from ${'env' if self.from_env else 'config'} ({self.name})"


def notify_targets(config: NotifyConfig, environ: dict[str, str]) -> list[NotifyTarget]:
    """The configured targets, each checked by Apprise without sending;
    ConfigError (one line naming the key, never an environment URL) when
    Apprise does not know one."""
    targets: list[NotifyTarget] = []
    urls = list(config.target_urls(environ))
    if not urls:
        return targets  # and Apprise, a tenth of a `digest` command's start, is not imported
    import apprise

    config_index = env_index = 0
    for url, from_env in urls:
        plugin = apprise.Apprise.instantiate(url)
        if from_env:
            env_index += 1
            where = f"${config.urls_env}: entry {env_index}"
            shown = "(not shown: it may hold a secret)"
        else:
            where = f"notify.urls[{config_index}]"
            config_index += 1
            shown = repr(url)
        if plugin is None:
            raise ConfigError(f"{where}: not a notification URL Apprise knows {shown}")
        kind = url.partition("://")[0].lower()
        targets.append(NotifyTarget(url, from_env, kind))
    return targets


def summary(content: DigestContent, base_url: str | None) -> str:
    """A digest in a few lines: counts, the first headlines, a link."""
    lines: list[str] = []
    new = [item for items in content.new_by_outlet.values() for item in items]
    for item in new[:SUMMARY_ITEMS]:
        lines.append(f"New: {item.title or item.url} ({item.outlet})")
    if len(new) > SUMMARY_ITEMS:
        lines.append(f"... and {len(new) - SUMMARY_ITEMS} more new")
    for changed in content.changed[:SUMMARY_ITEMS]:
        lines.append(f"Changed: {changed.title or changed.url} ({changed.outlet}: {', '.join(changed.change.kinds)})")
    if len(content.changed) > SUMMARY_ITEMS:
        lines.append(f"... and {len(content.changed) - SUMMARY_ITEMS} more changed")
    for updated in content.updated[:SUMMARY_ITEMS]:
        lines.append(f"Updated to mention the story: {updated.title or updated.url} ({updated.outlet})")
    for removed in content.removed[:SUMMARY_ITEMS]:
        lines.append(f"Removed: {removed.title or removed.url} ({removed.outlet})")
    if not lines:
        lines.append("Nothing new that day.")
    if base_url:
        lines.append(f"{base_url}/digests/{content.day.isoformat()}")
    return "\n".join(lines)


class AppriseChannel:
    """Delivers a digest (or any short message) to one Apprise target."""

    transport = "apprise"

    def __init__(self, target: NotifyTarget, base_url: str | None) -> None:
        self.target = target
        self.base_url = base_url

    @property
    def name(self) -> str:
        return self.target.name

    def deliver(self, content: DigestContent, now: dt.datetime) -> SentMessage:
        message = SentMessage(subject(content), summary(content, self.base_url))
        self.send(message.subject, message.text)
        return message

    def send(self, title: str, body: str) -> None:
        """Hand the message to the target; DeliveryError with a reason that
        names the target without its URL when it did not confirm."""
        import apprise

        notifier = apprise.Apprise()
        if not notifier.add(self.target.url):
            raise DeliveryError(f"{self.target.label}: Apprise cannot use this URL")
        problems: list[str] = []

        def keep(entry: Any, _plugin: Any) -> None:
            if entry.level in ("WARNING", "ERROR", "CRITICAL"):
                problems.append(str(entry.message).replace(self.target.url, "<url>"))

        delivered = notifier.notify(
            body=body, title=title, body_format=apprise.NotifyFormat.TEXT,
            log_callback=keep, log_level=logging.WARNING,
        )
        if not delivered:
            reason = "; ".join(problems[-2:]) or "the target did not confirm"
            raise DeliveryError(f"{self.target.label}: {reason}"[:500])


def change_notice(changes: Sequence[ChangeRow], story: str, base_url: str | None) -> tuple[str, str]:
    """Title and body of the short message sent after a crawl that recorded
    changes to tracked articles."""
    articles = {change.article_id: change for change in reversed(changes)}  # the latest per article
    title = f"{story}: {len(articles)} article{'s' if len(articles) != 1 else ''} changed"
    lines = []
    for change in list(articles.values())[:SUMMARY_ITEMS]:
        kinds = ", ".join(change.change_kinds) or "edited"
        link = f" {base_url}/articles/{change.article_id}" if base_url else f" {change.url}"
        lines.append(f"{change.title or change.url} ({change.outlet_name}: {kinds}){link}")
    if len(articles) > SUMMARY_ITEMS:
        lines.append(f"... and {len(articles) - SUMMARY_ITEMS} more")
    return title, "\n".join(lines)


def channels(config: NotifyConfig, environ: dict[str, str], base_url: str | None) -> Iterator[AppriseChannel]:
    for target in notify_targets(config, environ):
        yield AppriseChannel(target, base_url)
