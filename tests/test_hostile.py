"""Hostile input, over loopback, through the real crawl: each case is skipped
or handled with a reason in the log and the run counts, and the crawl goes on."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.resolver import PublicOnlyResolver
from tests.conftest import Cli
from tests.helpers import db_state
from tests.hostile_site import SilentServer, build_hostile
from tests.replica import Host, ReplicaSite, loopback_available
from tests.support.config import minimal_config, write_toml

pytestmark = pytest.mark.slow


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[ReplicaSite, Host, Host, SilentServer, Cli, str]]:
    if not loopback_available("127.0.0.5"):
        pytest.skip("loopback addresses 127.0.0.5-9 are not usable here")
    site = ReplicaSite()
    offsite = site.add_host("offsite", "127.0.0.9")
    host, silent, release = build_hostile(site, offsite)
    url = f"sqlite:///{tmp_path / 'storywatch.db'}"
    config = tmp_path / "storywatch.toml"
    write_toml(config, minimal_config(
        url,
        [
            {"key": "hostile", "name": "Hostile", "home": host.url("/"), "feeds": [host.url("/bomb-feed.xml")],
             "sitemaps": [host.url("/sitemap.xml"), host.url("/bomb-sitemap.xml")]},
            {"key": "silent", "name": "Silent", "home": silent.url("/"), "feeds": [silent.url("/feed.xml")]},
        ],
        crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 3, "retries": 1,
               "max_page_bytes": 2_000_000, "max_feed_bytes": 2_000_000, "extract_workers": 1},
    ))
    cli = Cli(config, tmp_path)
    cli("db", "upgrade")
    yield site, host, offsite, silent, cli, url
    release.set()
    silent.close()
    site.close()


def test_hostile_outlet_is_survived(hostile) -> None:
    site, host, offsite, silent, cli, url = hostile
    result = cli("crawl", check=False, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    state = db_state(url)
    run = state["runs"][-1]
    details = run.details
    assert run.status == "partial" and details["failed_outlets"] == ["silent"]

    relevant = {u for u, a in state["articles"].items() if a.relevant}
    # The good page, the rate-limited one (after honouring Retry-After), both
    # canonical forms resolved on the same outlet, the wrongly declared encoding.
    assert host.url("/2024/11/26/sora-leak-survivor") in relevant
    assert host.url("/2024/11/26/sora-leak-rate-limited") in relevant
    assert host.url("/2024/11/26/sora-leak-canonical-target") in relevant
    assert host.url("/2024/11/26/sora-leak-protocol-target") in relevant
    assert host.url("/2024/11/26/sora-leak-wrong-encoding") in relevant
    seen = host.routes["/2024/11/26/sora-leak-rate-limited"].seen
    assert len(seen) == 2 and seen[1] - seen[0] >= 0.9

    errors, skipped = details["errors"], details["skipped"]
    assert errors.get("too_large", 0) >= 4, errors  # three compression bombs and a 30 MB page
    assert errors.get("timeout", 0) >= 2, errors  # the endless page and the silent host
    assert errors.get("http_500", 0) == 1 and errors.get("gave_up_http_500", 0) == 1
    assert skipped.get("offsite", 0) >= 2, skipped  # redirects off the outlets' hosts
    assert site.requested("offsite") == []
    try:  # positive control: a request to it is seen
        urllib.request.urlopen(offsite.url("/"), timeout=5).close()
    except urllib.error.HTTPError:
        pass  # an answer all the same

    assert site.requested("offsite") == ["/"]
    for bomb in ("gzip", "deflate", "br"):
        assert host.url(f"/2024/11/26/sora-leak-{bomb}-bomb") not in state["articles"]
    assert "too_large" in result.stderr and "timeout" in result.stderr


def test_resolver_refuses_private_addresses() -> None:
    for address in ("127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1"):
        with pytest.raises(Exception, match="non-public"):
            PublicOnlyResolver._refuse_private(address, "evil.example")
    assert PublicOnlyResolver._refuse_private("93.184.216.34", "example.com") == "93.184.216.34"


def test_secrets_are_never_printed(tmp_path: Path) -> None:
    config = tmp_path / "storywatch.toml"
    write_toml(config, minimal_config(
        "postgresql://ana:s3cret-pw@127.0.0.1:9/storywatch",
        [{"key": "a", "name": "A", "home": "https://a.example/"}],
        smtp={"host": "127.0.0.1", "port": 9, "username": "ana", "password_env": "SW_SMTP_PW"},
    ))
    config.chmod(0o644)
    cli = Cli(config, tmp_path)
    env = {"SW_SMTP_PW": "smtp-secret-pw"}
    for args in (("config", "check"), ("db", "upgrade"), ("status",), ("digest", "--date", "2024-11-26")):
        result = cli(*args, check=False, env=env, timeout=60)
        output = result.stdout + result.stderr
        assert "s3cret-pw" not in output and "smtp-secret-pw" not in output, args
    warning = cli("config", "check", check=False, env=env).stderr
    assert "STORYWATCH_DATABASE_URL" in warning  # a password in a world-readable file is warned about
