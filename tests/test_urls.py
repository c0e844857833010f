"""URL canonical forms and the host allow list."""

from __future__ import annotations

import pytest

from crawler.urls import HostPolicy, canonicalize_url, is_public_address


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://WWW.Example.com:443/a/b?utm_source=x&id=3#frag", "https://www.example.com/a/b?id=3"),
        ("http://example.com:80//a//b", "http://example.com/a/b"),
        ("https://example.com/a?fbclid=1&gclid=2&ref=tw", "https://example.com/a"),
        ("https://example.com/a?page=2", "https://example.com/a?page=2"),
        ("mailto:a@b.c", None),
        ("javascript:void(0)", None),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("http://bad:port/", None),
    ],
)
def test_canonicalize(raw: str, canonical: str | None) -> None:
    assert canonicalize_url(raw) == canonical


def test_relative_and_protocol_relative_links() -> None:
    assert canonicalize_url("/x/y", "https://a.com/z/") == "https://a.com/x/y"
    assert canonicalize_url("//b.com/p", "https://a.com/") == "https://b.com/p"


def test_host_policy() -> None:
    policy = HostPolicy.for_urls(["https://www.theverge.com/", "https://feeds.washingtonpost.com/rss"])
    assert policy.refusal("https://www.theverge.com/2024/x") is None
    assert policy.refusal("https://theverge.com/x") is None  # the outlet's own domain
    assert policy.refusal("https://cdn.theverge.com/x") is None
    assert policy.refusal("https://evil-theverge.com/x") == "offsite"
    assert policy.refusal("https://theverge.com.evil.org/x") == "offsite"
    assert policy.refusal("ftp://www.theverge.com/x") == "bad_scheme"
    loopback = HostPolicy.for_urls(["http://127.0.0.2:8000/"])
    assert loopback.refusal("http://127.0.0.2:9/x") == "private_address"
    assert HostPolicy(loopback.hosts, allow_private=True).refusal("http://127.0.0.2:9/x") is None
    assert HostPolicy(loopback.hosts, allow_private=True).refusal("http://127.0.0.3/x") == "offsite"


@pytest.mark.parametrize(
    ("address", "public"),
    [("8.8.8.8", True), ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("169.254.169.254", False),
     ("::1", False), ("::ffff:127.0.0.1", False), ("fd00::1", False), ("0.0.0.0", False), ("2606:4700::1", True)],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public
