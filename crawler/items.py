"""What the spider hands to the pipeline: one fetch of one article URL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

PageKind = Literal["page", "not_modified", "gone", "error"]


@dataclasses.dataclass(slots=True)
class PageFetch:
    outlet_key: str
    kind: PageKind
    requested_url: str
    final_url: str
    fetched_at: dt.datetime
    via: str
    source: str | None = None
    status: int | None = None
    body: bytes = b""
    http_charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    article_id: int | None = None
    note: str | None = None
