"""A small article page for extraction tests, built from parts."""

from __future__ import annotations

import json

BODY = "".join(
    f"<p>Paragraph {i} of a news story about an AI video tool that leaked, with enough words to count as text.</p>"
    for i in range(8)
)


def page(head: str = "", body: str = BODY, ld: dict | None = None, title: str = "Headline | Site") -> bytes:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (f"<html lang='en'><head><title>{title}</title>{head}{script}</head>"
            f"<body><article><h2>x</h2>{body}</article></body></html>").encode()
