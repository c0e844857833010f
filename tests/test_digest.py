"""The daily digest with a real SMTP server on loopback: content, MIME,
the ledger (never twice, never skipped), the outbox default, and the HTML
rendered in headless Chromium."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from digest.days import due_days
from tests.conftest import Cli
from tests.smtp import SmtpServer, free_port
from tests.story_site import StorySite
from tests.support.digests import LONDON, service, today, tomorrow_morning, with_smtp


@pytest.mark.slow
def test_one_email_per_day_with_news_and_changes(two_days: Cli, story: StorySite) -> None:
    server = SmtpServer().start()
    try:
        with_smtp(two_days.config, server.port)
        outcomes = service(two_days.config).send_due(tomorrow_morning())
        assert [o.status for o in outcomes] == ["sent", "sent"]
        first, second = server.messages
    finally:
        server.stop()
    yesterday = today() - dt.timedelta(days=1)
    assert first["X-Storywatch-Day"] == yesterday.isoformat()
    assert first.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in first.iter_parts()] == ["text/plain", "text/html"]
    assert first["Message-ID"].startswith(f"<digest.{yesterday.isoformat()}.") and first["Date"]
    assert first["To"] == "reader@example.org" and first["From"] == "storywatch@example.org"
    plain = first.get_body(("plain",))
    assert plain is not None
    body = plain.get_content()
    for title in ("Artists leak OpenAI's Sora video tool in protest", "The Sora leak: what we know", "The Sora leak divides artists"):
        assert title in body
    for negative in ("OpenAI launches Sora to the public", "Hugging Face releases a code model", "Apple fixes a camera bug"):
        assert negative not in body
    assert "The Verge (replica)" in body and "TechCrunch (replica)" in body
    assert "Also republished by MSN (replica)" in body  # the copy under its original
    plain = second.get_body(("plain",))
    assert plain is not None
    change = plain.get_content()
    assert "Headline was: Artists leak OpenAI's Sora video tool in protest" in change
    assert "Headline now: OpenAI's Sora was leaked by artists protesting unpaid labor" in change
    assert "+ Update, November 27th: OpenAI said that Sora is still in a research preview" in change
    assert "whitespace" not in change.lower()


@pytest.mark.slow
def test_resend_does_nothing_and_force_sends_again(two_days: Cli) -> None:
    server = SmtpServer().start()
    try:
        with_smtp(two_days.config, server.port)
        digest = service(two_days.config)
        digest.send_due(tomorrow_morning())
        assert len(server.messages) == 2
        assert digest.send_due(tomorrow_morning()) == []
        day = (today() - dt.timedelta(days=1)).isoformat()
        again = two_days("digest", "--date", day)
        assert "already sent" in again.stdout and len(server.messages) == 2
        forced = two_days("digest", "--date", day, "--force")
        assert "sent" in forced.stdout and len(server.messages) == 3
        assert server.messages[2]["Message-ID"] == server.messages[0]["Message-ID"]
    finally:
        server.stop()


@pytest.mark.slow
def test_smtp_outage_delays_but_never_drops_or_doubles(two_days: Cli) -> None:
    port = free_port()
    with_smtp(two_days.config, port)
    digest = service(two_days.config)
    failed = digest.send_due(tomorrow_morning())
    assert [o.status for o in failed] == ["failed"] and "ConnectionRefused" in failed[0].detail
    server = SmtpServer(port).start()
    try:
        assert [o.status for o in digest.send_due(tomorrow_morning())] == ["sent", "sent"]
        assert digest.send_due(tomorrow_morning()) == []
        assert len(server.messages) == 2
        days = [m["X-Storywatch-Day"] for m in server.messages]
        assert len(set(days)) == 2
    finally:
        server.stop()


@pytest.mark.slow
def test_outbox_default_and_dry_run(two_days: Cli) -> None:
    day = (today() - dt.timedelta(days=1)).isoformat()
    preview = two_days("digest", "--date", day, "--dry-run").stdout
    assert "NEW COVERAGE" in preview
    assert not (two_days.cwd / "outbox").exists()
    sent = two_days("digest", "--date", day)
    assert "sent" in sent.stdout
    assert (two_days.cwd / "outbox" / f"storywatch-{day}.eml").exists()
    assert (two_days.cwd / "outbox" / f"storywatch-{day}.html").read_text().startswith("<!DOCTYPE html>")


def test_due_days_follow_the_ledger_not_the_clock() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(LONDON)
    first = dt.date(2024, 11, 26)
    at = dt.time(7)
    now = dt.datetime(2024, 11, 30, 7, 30, tzinfo=zone)
    assert due_days(first_crawl_day=first, now=now, digest_at=at, zone=zone, done=[]) == [
        dt.date(2024, 11, 26), dt.date(2024, 11, 27), dt.date(2024, 11, 28), dt.date(2024, 11, 29)]
    assert due_days(first_crawl_day=first, now=now, digest_at=at, zone=zone, done=[dt.date(2024, 11, 27)])[1] == dt.date(2024, 11, 28)
    before_time = dt.datetime(2024, 11, 30, 6, 59, tzinfo=zone)
    assert due_days(first_crawl_day=first, now=before_time, digest_at=at, zone=zone, done=[])[-1] == dt.date(2024, 11, 28)
    assert due_days(first_crawl_day=None, now=now, digest_at=at, zone=zone, done=[]) == []
    # The clock jumps back: nothing is doubled, the days wait.
    back = dt.datetime(2024, 11, 27, 8, tzinfo=zone)
    assert due_days(first_crawl_day=first, now=back, digest_at=at, zone=zone, done=[dt.date(2024, 11, 26)]) == []


def test_starttls_verifies_certificates(tmp_path: Path) -> None:
    """A server with a self-signed certificate is refused, not trusted silently."""
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from digest.send import DeliveryError, SmtpTransport
    from storywatch.config import SmtpConfig

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    server = SmtpServer(tls_context=context).start()
    try:
        transport = SmtpTransport(SmtpConfig(host="127.0.0.1", port=server.port, security="starttls",
                                             username="u", password_env="SW_TEST_PW"), environ={"SW_TEST_PW": "pw"})
        from email.message import EmailMessage

        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@b.c", "d@e.f", "x"
        message.set_content("x")
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            transport.deliver(message)
        assert server.messages == []
        missing = SmtpTransport(SmtpConfig(host="127.0.0.1", port=server.port, username="u", password_env="NOPE"), environ={})
        with pytest.raises(DeliveryError, match=r"\$NOPE"):
            missing.deliver(message)
    finally:
        server.stop()


@pytest.mark.slow
def test_html_part_renders_in_headless_chromium(two_days: Cli, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    digest = service(two_days.config)
    from digest.render import render

    _, html = render(digest.content(today()), digest.config.schedule.zone)
    _, first_html = render(digest.content(today() - dt.timedelta(days=1)), digest.config.schedule.zone)
    probe = """<script>
      const visible = el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
        return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0; };
      document.body.dataset.ins = [...document.querySelectorAll('ins')].filter(visible).length;
      document.body.dataset.del = [...document.querySelectorAll('del')].filter(visible).length;
      document.body.dataset.links = [...document.querySelectorAll('a[href^="http"]')].filter(visible).length;
      document.body.dataset.h2 = [...document.querySelectorAll('h2')].map(h => h.textContent).join('|');
      document.body.dataset.delStyle = getComputedStyle(document.querySelector('del') || document.body).textDecorationLine;
    </script></body>"""
    results = {}
    for name, page in (("change", html), ("news", first_html)):
        path = tmp_path / f"{name}.html"
        path.write_text(page.replace("</body>", probe))
        profile = tempfile.mkdtemp()
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--dump-dom", path.as_uri()],
            capture_output=True, text=True, timeout=60,
        ).stdout
        shutil.rmtree(profile, ignore_errors=True)
        results[name] = dom
    change, news = results["change"], results["news"]
    assert 'data-h2="Changed"' in change
    assert 'data-ins="2"' in change  # the new headline and the added sentence
    assert 'data-del="1"' in change and 'data-del-style="line-through"' in change
    assert 'data-h2="New coverage|Updated to mention the story"' in news  # an old page updated for the story
    links = int(news.split('data-links="')[1].split('"')[0])
    assert links >= 8
    assert "Artists leak OpenAI's Sora video tool in protest" in news
