"""URLs: canonical forms, and which hosts and addresses a crawl may reach."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

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
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


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
