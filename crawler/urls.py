"""URLs: canonical forms, article shapes, and which hosts and addresses a crawl may reach."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Iterable, Sequence
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "cmpid",
        "ncid",
        "ocid",
        "sr_share",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "smid",
        "smtyp",
        "taid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "tpcc",
        "itm_source",
        "itm_medium",
        "itm_campaign",
        "itm_content",
        "__twitter_impression",
        "cid",
        "wpisrc",
        "wpmk",
        "s_cid",
        "sh",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "amp",
        "outputtype",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "at_", "ga_")


def canonicalize_url(url: str, base: str | None = None) -> str | None:
    """A stable form of an http(s) URL: lower-case host, no default port, no
    fragment, no tracking parameters.  None for anything that is not http(s)."""
    if base:
        url = urljoin(base, url.strip())
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    # Parameters are kept as written ("?alt" stays "?alt", not "?alt="),
    # only tracking ones dropped.
    query = "&".join(
        segment
        for segment in parts.query.split("&")
        if segment and not _is_tracking(unquote_plus(segment.split("=", 1)[0]).lower())
    )
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    return urlunsplit((scheme, host, path, query, ""))


def _is_tracking(key: str) -> bool:
    return key in _TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return True  # a name, not an address: judged after resolution
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclasses.dataclass(frozen=True, slots=True)
class HostPolicy:
    """The hosts a crawl may request, and whether private addresses are allowed."""

    hosts: frozenset[str]
    allow_private: bool = False

    @classmethod
    def for_urls(cls, urls: Iterable[str], extra_hosts: Iterable[str] = (), allow_private: bool = False) -> HostPolicy:
        hosts = {host_of(u) for u in urls} | {h.lower() for h in extra_hosts}
        hosts.discard("")
        return cls(frozenset(hosts), allow_private)

    def host_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host in self.hosts:
            return True
        # Subdomains of an outlet's own domain (www.x.com -> x.com, feeds.x.com).
        for allowed in self.hosts:
            root = allowed.removeprefix("www.")
            if "." in root and not _is_ip(root) and (host == root or host.endswith("." + root)):
                return True
        return False

    def refusal(self, url: str) -> str | None:
        """Why this URL may not be requested, or None when it may."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return "bad_url"
        if parts.scheme not in ("http", "https"):
            return "bad_scheme"
        host = (parts.hostname or "").lower()
        if not self.host_allowed(host):
            return "offsite"
        if not self.allow_private and not is_public_address(host):
            return "private_address"
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def path_of(url: str) -> str:
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/"


# Article URL shapes common to news sites, recognised without per-outlet
# patterns (an outlet's ``article_patterns`` replace them).
DEFAULT_ARTICLE_PATTERNS = (
    r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?[^/]+",  # dated: /2024/11/26/slug
    r"/(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])/[^/]+",  # dated: /2024-11-26/slug
    r"/[^/]*[a-z0-9]+(?:-[a-z0-9]+){3,}(?:\.s?html?)?/?$",  # a long slug: /openai-sora-leak-artists
    r"/(?:ar|gm)-[A-Za-z0-9]{4,}/?$",  # slug + id, MSN: /<slug>/ar-AA1uR2mn
    r"/[a-z0-9]+(?:-[a-z0-9]+)+-\d{5,}(?:\.s?html?)?/?$",  # slug-1234567(.html)
    r"/a\d{4,}/(?:[^/]+/?)?$",  # /a12345/ or /a12345/slug/
    r"/\d{6,}/[a-z0-9]+(?:-[a-z0-9]+)+/?$",  # id then slug: /24306879/openai-sora-leak
    r"/[a-z0-9]+(?:-[a-z0-9]+)+/\d{5,}/?$",  # slug then id: /sora-leak/1234567
)
# Hubs, not articles: sections, tags, authors, video hubs, pagination, search.
_NOT_ARTICLE = re.compile(
    r"/(?:tags?|authors?|people|contributors?|category|categories|topics?|sections?|search|page|about|video|videos|"
    r"watch|podcasts?|newsletters?|live|events?|subscribe|account|login|sitemap)(?:/|$)"
    r"|/(?:vi|vid)-[A-Za-z0-9]{4,}/?$"  # MSN's video pages
    r"|[?&](?:page|paged|p|offset)=\d",
    re.I,
)


def is_article_url(url: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """Whether a URL has the shape of an article rather than a hub page."""
    path_and_query = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    path = path_and_query.split("?", 1)[0]
    if _NOT_ARTICLE.search(path_and_query):
        return False
    return any(p.search(path) for p in patterns)


def compile_patterns(patterns: Sequence[str] = ()) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in (patterns or DEFAULT_ARTICLE_PATTERNS)]
