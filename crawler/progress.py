"""Progress on a terminal: one status line, rewritten every second."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet.task import LoopingCall

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ProgressExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop = LoopingCall(self.show)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        self.loop.start(1.0, now=False)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()

    def show(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        value = stats.get_value
        line = (
            f"requests {value('downloader/request_count', 0)}  pages {value('storywatch/fetched', 0)}  "
            f"304 {value('storywatch/not_modified', 0)}  relevant {value('storywatch/relevant', 0)}  "
            f"new {value('storywatch/new_articles', 0)}  versions {value('storywatch/new_versions', 0)}"
        )
        sys.stderr.write("\r\033[K" + line)
        sys.stderr.flush()
