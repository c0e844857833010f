"""Hostile payloads for tests, written here (not taken from elsewhere)."""

from __future__ import annotations


def billion_laughs(root: str) -> bytes:
    entities = "\n".join(
        f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" * 10 if i > 1 else "lol" * 10) + '">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>'.encode()
