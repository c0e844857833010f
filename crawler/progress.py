"""Progress on a terminal: a live table per outlet (fetched, extracting,
stored), redrawn twice a second by rich.  Log lines go through rich's
handler on the same console, so they print above the table instead of
being glued onto it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.logging import RichHandler
from rich.table import Table
from scrapy import signals
from twisted.internet.task import LoopingCall

from storywatch.logs import QuietLibraries

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

COLUMNS = ("fetched", "extracting", "stored", "relevant", "new_articles", "new_versions", "errors")
PREFIX = "storywatch/outlet/"


def progress_table(stats: dict[str, object]) -> Table:
    """The per-outlet counters in ``stats`` as a table (pure: tested on a dict)."""
    rows: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            outlet, _, field = key[len(PREFIX):].partition("/")
            rows.setdefault(outlet, {})[field] = value
    table = Table(box=None, pad_edge=False)
    table.add_column("outlet")
    for column in COLUMNS:
        table.add_column(column.replace("_", " "), justify="right")
    for outlet in sorted(rows):
        table.add_row(outlet, *(str(rows[outlet].get(column, 0)) for column in COLUMNS))
    return table


class ProgressExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop = LoopingCall(self.show)
        self.console = Console(stderr=True)
        self.live = Live(console=self.console, transient=True, auto_refresh=False)
        self._handlers: list[logging.Handler] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        root = logging.getLogger()
        self._handlers = list(root.handlers)
        for handler in self._handlers:
            root.removeHandler(handler)
        handler = RichHandler(console=self.console, show_path=False)
        handler.addFilter(QuietLibraries(root.getEffectiveLevel()))
        root.addHandler(handler)
        self.live.start()
        self.loop.start(0.5, now=True)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.live.stop()
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in self._handlers:
            root.addHandler(handler)

    def show(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        self.live.update(progress_table(stats.get_stats()), refresh=True)
