"""The Sora-leak replica: three outlets and an off-site host, with relevant
articles, hard negatives, unrelated ones, an aggregator copy, an article
older than ``since``, robots-disallowed and off-site links, hostile sources,
and a second state in which some pages change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import zlib
from pathlib import Path
from typing import Any

from tests.replica import (
    ArticleSpec,
    Host,
    ReplicaSite,
    Reply,
    article_html,
    gzip_bytes,
    news_sitemap,
    rfc822,
    rss,
    section_page,
    sitemap_index,
    urlset,
)
from tests.support.config import write_toml

LEAK = [
    "A group of artists who had early access to OpenAI's Sora video generator leaked access to the tool on Tuesday.",
    "The group, calling itself PR Puppets, published a project on Hugging Face that let anyone generate videos.",
    "The artists said they were being used for unpaid labor and art washing by a company valued at billions.",
    "OpenAI shut down the early access a few hours later, a spokesperson said.",
]
UPDATE = "Update, November 27th: OpenAI said that Sora is still in a research preview and that participation is voluntary."
FOLLOWUP = [
    "OpenAI has paused access to Sora for all artists after the leak by the PR Puppets group.",
    "The company said hundreds of artists have shaped the development of the video tool.",
    "Critics say the leak shows the tension between AI companies and the creative community.",
]
BACKFILL = [
    "Days after the Sora leak, artists are still debating whether protest was the right response.",
    "Several members of the PR Puppets collective spoke about the unpaid labor they say OpenAI expected.",
    "OpenAI has not said when the artist program will resume.",
]
HARD_NEGATIVE_LAUNCH = [
    "OpenAI launched Sora, its video generation model, to ChatGPT Plus and Pro subscribers on Monday.",
    "The tool can create clips of up to twenty seconds from a text prompt, the company said.",
    "It will not be available in Europe or the UK at first.",
]
HARD_NEGATIVE_HF = [
    "Hugging Face released a new open model for code generation this week.",
    "The company says the model beats larger rivals on several benchmarks.",
    "Developers can download the weights today under a permissive license.",
]
UNRELATED = [
    "Apple released a software update for its phones that fixes a bug in the camera app.",
    "The update is rolling out to all users over the coming days.",
    "Owners of older models will get it later, the company said.",
]
# Published in March 2024, long before the story, and never updated: it
# matches the query all the same (admission "before_since").
MARCH = [
    "OpenAI gave a first group of artists access to Sora, its video model, in a programme it calls red teaming.",
    "Critics said leaks of unreleased AI tools happen often, and asked whether artists would be paid.",
    "The company said the artists' feedback would shape the tool.",
]
# Published in February 2024, updated on November 27th to cover the leak
# (admission "updated_since").
UPDATED_OLD = [
    "OpenAI has introduced Sora, a model that makes video clips of up to a minute from a text prompt.",
    "The company is giving access to a small number of visual artists, designers and filmmakers.",
    "Update, November 27th: artists in the programme leaked access to Sora on Hugging Face, calling themselves PR Puppets.",
]
RESPONSE = [
    "Artists outside the programme responded to the Sora leak with a letter of their own.",
    "They said the PR Puppets had made a point that many creative workers share.",
]
OLD = [
    "OpenAI showed early Sora clips to a small group of artists and filmmakers.",
    "Some of them later said they felt the leak of information was inevitable.",
    "This story was published before the November leak.",
]


@dataclasses.dataclass
class StorySite:
    site: ReplicaSite
    verge: Host
    tc: Host
    msn: Host
    msnapi: Host  # MSN's content API: MSN's article pages are script-built shells
    offsite: Host
    state: int = 1

    # -- URLs the tests assert on ----------------------------------------
    @property
    def relevant_urls(self) -> set[str]:
        v, t, m = self.verge, self.tc, self.msn
        return {
            v.url("/2024/11/26/sora-leak-artists-pr-puppets"),
            v.url("/2024/11/27/openai-pauses-sora-after-leak"),
            v.url("/2024/11/29/sora-leak-artists-debate"),  # only in the archive sitemap (backfill)
            v.url("/2024/11/28/sora-leak-mixed-encoding"),
            v.url("/2024/02/15/openai-introduces-sora"),  # an old page updated to mention the story
            v.url("/2024/11/28/sora-leak-artists-respond"),  # only linked from inside a relevant article
            t.url("/2024/11/26/artists-leak-access-to-openais-sora"),
            t.url("/2024/11/27/sora-leak-what-we-know"),
            t.url("/2024/11/28/sora-leak-whitespace-only"),
            m.url("/en-us/news/technology/artists-leak-sora/ar-AA1uv1"),  # aggregator copy of the Verge
            m.url("/en-us/news/technology/sora-leak-explained/ar-AA1uR2mn"),  # MSN's own, an ID-suffixed link
        }

    @property
    def negative_urls(self) -> set[str]:
        v, t = self.verge, self.tc
        return {
            v.url("/2024/12/09/openai-launches-sora-video-generator"),
            v.url("/2024/12/02/apple-camera-update-rolls-out"),
            t.url("/2024/12/03/hugging-face-new-code-model"),
            t.url("/2024/12/04/phone-update-fixes-camera-bug"),
            v.url("/2024/03/14/sora-artists-first-look"),  # matches, but published long before the story
        }

    @property
    def forbidden_paths(self) -> dict[str, set[str]]:
        """Paths never to be requested, per host key."""
        return {
            "verge": {"/private/sora-leak-secret-memo", "/2024/10/01/sora-early-artists-program", "/sitemaps/2024-10.xml",
                      "/2024/11/30/sora-leak-two-hops-away"},  # a related link of a related page: one hop only
            "tc": set(),
            "offsite": {"/2024/11/26/sora-leak-offsite-story"},
        }

    def config_data(self, database_url: str, **crawl: object) -> dict[str, Any]:
        v, t, m = self.verge, self.tc, self.msn
        return {
            "story": {
                "name": "Sora leak (PR Puppets)",
                "query": 'sora AND (leak* OR "PR Puppets" OR "Hugging Face" OR protest*)',
                "since": dt.date(2024, 11, 26),
                "seeds": [t.url("/2024/11/27/sora-leak-what-we-know?utm_source=twitter")],
            },
            "database": {"url": database_url},
            "crawl": {
                "user_agent": "storywatch-test/0.1 (+mailto:test@example.org)",
                "allow_private_addresses": True,
                "per_host_delay": 0,
                "timeout": 5,
                "retries": 1,
                "extract_workers": 2,
                # The warm-up is 4 s of CPU a crawl; test_first_crawl_stores_exactly_the_story turns it on.
                "preload_extractor": False,
                **crawl,
            },
            "outlets": [
                {"key": "verge", "name": "The Verge (replica)", "home": v.url("/"), "feeds": [v.url("/rss.xml")],
                 "sitemaps": [v.url("/news-sitemap.xml")], "sections": [v.url("/ai")]},
                {"key": "tc", "name": "TechCrunch (replica)", "home": t.url("/"),
                 "feeds": [t.url("/feed/"), t.url("/broken-feed.xml")],
                 "sitemaps": [t.url("/news-sitemap.xml"), t.url("/broken-sitemap.xml")],
                 "sections": [t.url("/category/ai/")]},
                {"key": "msn", "name": "MSN (replica)", "home": m.url("/"),
                 "sections": [m.url("/en-us/news/technology")],
                 "fetch": "msn", "api_base": self.msnapi.url("/content/view/v2/Detail")},
            ],
            "schedule": {"timezone": "Europe/London", "digest_at": "07:00"},
            "digest": {"to": ["reader@example.org"], "sender": "storywatch@example.org", "outbox": "outbox"},
        }

    # -- content -----------------------------------------------------------
    def build(self) -> None:
        self._verge()
        self._tc()
        self._msn()
        self.offsite.route("/2024/11/26/sora-leak-offsite-story", article_html(
            ArticleSpec("/2024/11/26/sora-leak-offsite-story", "Off-site Sora leak story", LEAK, "2024-11-26T10:00:00Z"),
            self.offsite.base))

    def _article(self, host: Host, spec: ArticleSpec) -> None:
        def reply(_info: object) -> Reply:
            return Reply(200, article_html(self._stateful(spec), host.base))

        host.route(spec.path, reply)

    def _stateful(self, spec: ArticleSpec) -> ArticleSpec:
        """The second state: an update paragraph and a new headline, a whitespace-only edit."""
        if self.state < 2:
            return spec
        if spec.path == "/2024/11/26/sora-leak-artists-pr-puppets":
            return dataclasses.replace(
                spec,
                title="OpenAI's Sora was leaked by artists protesting unpaid labor",
                paragraphs=[*spec.paragraphs, UPDATE],
            )
        if spec.path == "/2024/11/28/sora-leak-whitespace-only":
            return dataclasses.replace(spec, paragraphs=[p.replace(" ", "  ") + " " for p in spec.paragraphs])
        return spec

    def _verge(self) -> None:
        v = self.verge
        site = "The Verge"
        articles = [
            ArticleSpec("/2024/11/26/sora-leak-artists-pr-puppets", "Artists leak OpenAI's Sora video tool in protest",
                        LEAK, "2024-11-26T15:00:00Z", ["Kylie Robison", "Jay Peters"], site_name=site,
                        description="A group calling itself PR Puppets leaked access to Sora.",
                        related=[("/2024/03/14/sora-artists-first-look", "Sora's first artists"),
                                 ("/2024/11/28/sora-leak-artists-respond", "Artists respond"),
                                 ("/tag/sora/", "More on Sora")]),
            ArticleSpec("/2024/03/14/sora-artists-first-look", "Sora's first artists speak", MARCH,
                        "2024-03-14T10:00:00Z", site_name=site),
            ArticleSpec("/2024/02/15/openai-introduces-sora", "OpenAI introduces Sora", UPDATED_OLD,
                        "2024-02-15T18:00:00Z", site_name=site, modified="2024-11-27T10:00:00Z"),
            ArticleSpec("/2024/11/28/sora-leak-artists-respond", "Artists respond to the Sora leak", RESPONSE,
                        "2024-11-28T10:00:00Z", site_name=site,
                        related=[("/2024/11/30/sora-leak-two-hops-away", "Two hops away")]),
            ArticleSpec("/2024/11/30/sora-leak-two-hops-away", "The Sora leak, two hops away", RESPONSE,
                        "2024-11-30T10:00:00Z", site_name=site),
            ArticleSpec("/2024/11/27/openai-pauses-sora-after-leak", "OpenAI pauses Sora access after artist leak",
                        FOLLOWUP, "2024-11-27T09:00:00Z", ["Kylie Robison"], site_name=site),
            ArticleSpec("/2024/11/29/sora-leak-artists-debate", "The Sora leak divides artists",
                        BACKFILL, "2024-11-29T09:00:00Z", ["Mia Sato"], site_name=site),
            ArticleSpec("/2024/12/09/openai-launches-sora-video-generator", "OpenAI launches Sora to the public",
                        HARD_NEGATIVE_LAUNCH, "2024-12-09T18:00:00Z", site_name=site),
            ArticleSpec("/2024/12/02/apple-camera-update-rolls-out", "Apple fixes a camera bug",
                        UNRELATED, "2024-12-02T18:00:00Z", site_name=site),
            ArticleSpec("/2024/10/01/sora-early-artists-program", "OpenAI's artist program for Sora",
                        OLD, "2024-10-01T10:00:00Z", site_name=site),
            ArticleSpec("/private/sora-leak-secret-memo", "Secret memo on the Sora leak", LEAK, "2024-11-26T10:00:00Z",
                        site_name=site),
        ]
        for spec in articles:
            self._article(v, spec)
        # A page declared as UTF-8 with Latin-1 bytes inside (mixed encoding).
        mixed = ArticleSpec("/2024/11/28/sora-leak-mixed-encoding", "Sora leak: the artists’ statement",
                            [*LEAK[:2], "Café owners and artists alike reacted to the leak."], "2024-11-28T09:00:00Z",
                            site_name=site)
        mixed_body = article_html(mixed, v.base).replace("Café".encode(), "Caf\xe9".encode("latin-1"))
        v.route(mixed.path, Reply(200, mixed_body))
        # A redirect loop.
        v.route("/2024/11/30/sora-leak-loop-a", Reply(302, b"", {"Location": "/2024/11/30/sora-leak-loop-b"}))
        v.route("/2024/11/30/sora-leak-loop-b", Reply(302, b"", {"Location": "/2024/11/30/sora-leak-loop-a"}))

        v.route("/robots.txt", f"User-agent: *\nDisallow: /private/\n\nSitemap: {v.url('/sitemap_index.xml')}\n".encode(),
                "text/plain")
        v.route("/rss.xml", rss([
            (v.url("/2024/11/26/sora-leak-artists-pr-puppets"), "Artists leak Sora", rfc822("2024-11-26T15:00:00+00:00")),
            (v.url("/2024/12/09/openai-launches-sora-video-generator"), "Sora launches", rfc822("2024-12-09T18:00:00+00:00")),
            (v.url("/2024/10/01/sora-early-artists-program"), "Artist program", rfc822("2024-10-01T10:00:00+00:00")),
            (v.url("/2024/11/30/sora-leak-loop-a"), "Loop", rfc822("2024-11-30T10:00:00+00:00")),
        ]), "application/rss+xml")
        v.route("/news-sitemap.xml", news_sitemap([
            (v.url("/2024/11/27/openai-pauses-sora-after-leak"), "2024-11-27T09:00:00Z", "OpenAI pauses Sora"),
            (v.url("/2024/12/02/apple-camera-update-rolls-out"), "2024-12-02T18:00:00Z", "Apple fixes a camera bug"),
            (v.url("/2024/11/28/sora-leak-mixed-encoding"), "2024-11-28T09:00:00Z", "Mixed encoding"),
        ]), "application/xml")
        v.route("/sitemap_index.xml", sitemap_index([
            (v.url("/sitemaps/2024-10.xml"), "2024-10-31T23:00:00Z"),
            (v.url("/sitemaps/2024-11.xml.gz"), None),
        ]), "application/xml")
        v.route("/sitemaps/2024-10.xml", urlset([(v.url("/2024/10/01/sora-early-artists-program"), "2024-10-01")]),
                "application/xml")
        v.route("/sitemaps/2024-11.xml.gz", gzip_bytes(urlset([
            (v.url("/2024/11/26/sora-leak-artists-pr-puppets"), "2024-11-26"),
            (v.url("/2024/11/29/sora-leak-artists-debate"), "2024-11-29"),
        ])), "application/x-gzip")
        v.route("/", section_page([]), )
        v.route("/ai", section_page([
            ("/2024/11/26/sora-leak-artists-pr-puppets", "Artists leak Sora"),
            ("/2024/12/09/openai-launches-sora-video-generator", "Sora launches"),
            ("/2024/03/14/sora-artists-first-look", "Sora's first artists"),
            ("/2024/02/15/openai-introduces-sora", "OpenAI introduces Sora"),
            ("/private/sora-leak-secret-memo", "Secret memo"),
            (self.offsite.url("/2024/11/26/sora-leak-offsite-story"), "Elsewhere"),
            ("/tag/openai/", "OpenAI"),
        ]))

    def _tc(self) -> None:
        t = self.tc
        site = "TechCrunch"
        articles = [
            ArticleSpec("/2024/11/26/artists-leak-access-to-openais-sora", "Artists appear to have leaked access to OpenAI's Sora",
                        LEAK, "2024-11-26T12:00:00Z", ["Kyle Wiggers"], site_name=site),
            ArticleSpec("/2024/11/27/sora-leak-what-we-know", "The Sora leak: what we know", FOLLOWUP,
                        "2024-11-27T12:00:00Z", ["Kyle Wiggers"], site_name=site),
            ArticleSpec("/2024/11/28/sora-leak-whitespace-only", "Sora leak: the artists' letter in full", BACKFILL,
                        "2024-11-28T12:00:00Z", ["Kyle Wiggers"], site_name=site),
            ArticleSpec("/2024/12/03/hugging-face-new-code-model", "Hugging Face releases a code model", HARD_NEGATIVE_HF,
                        "2024-12-03T12:00:00Z", site_name=site),
            # Unrelated, but its related-stories line names the story in
            # the query's words (and within its lead): it links to coverage.
            ArticleSpec("/2024/12/04/phone-update-fixes-camera-bug", "A phone update fixes a camera bug", UNRELATED,
                        "2024-12-04T12:00:00Z", site_name=site,
                        related=[("/2024/11/26/artists-leak-access-to-openais-sora",
                                  "PR Puppets artists leak OpenAI's Sora on Hugging Face")]),
        ]
        for spec in articles:
            self._article(t, spec)
        t.route("/robots.txt", b"User-agent: *\nDisallow: /wp-admin/\n", "text/plain")
        t.route("/feed/", rss([
            (t.url("/2024/11/26/artists-leak-access-to-openais-sora?utm_source=rss&utm_medium=feed"), "Artists leak Sora",
             rfc822("2024-11-26T12:00:00+00:00")),
            (t.url("/2024/12/03/hugging-face-new-code-model"), "Hugging Face", rfc822("2024-12-03T12:00:00+00:00")),
            (t.url("/2024/12/04/phone-update-fixes-camera-bug#comments"), "Phone", rfc822("2024-12-04T12:00:00+00:00")),
        ]), "application/rss+xml")
        t.route("/broken-feed.xml", b"<rss><channel><item><title>Broken &bogus; <link>nowhere", "application/rss+xml")
        t.route("/news-sitemap.xml", news_sitemap([
            (t.url("/2024/11/28/sora-leak-whitespace-only"), "2024-11-28T12:00:00Z", "Letter"),
        ]), "application/xml")
        t.route("/broken-sitemap.xml", b"<?xml version='1.0'?><html><body>not a sitemap</body></html>", "application/xml")
        t.route("/", section_page([]))
        t.route("/category/ai/", section_page([
            ("/2024/11/27/sora-leak-what-we-know", "What we know"),
            ("/2024/12/04/phone-update-fixes-camera-bug", "Phone"),
        ]))

    def _msn(self) -> None:
        """MSN as it is: article pages are application shells without the
        text; the text is in the content API's JSON on another host."""
        m, api = self.msn, self.msnapi
        copy = msn_content(
            "Artists leak OpenAI's Sora video tool in protest", LEAK, "2024-11-26T16:00:00Z",
            ["Kylie Robison", "Jay Peters"], provider="The Verge",
            source=self.verge.url("/2024/11/26/sora-leak-artists-pr-puppets"),
        )
        own = msn_content("The Sora leak, explained", BACKFILL, "2024-11-29T08:00:00Z", ["MSN staff"], provider="MSN")
        for path, content in (("/en-us/news/technology/artists-leak-sora/ar-AA1uv1", copy),
                              ("/en-us/news/technology/sora-leak-explained/ar-AA1uR2mn", own)):
            m.route(path, MSN_SHELL)
            api.route(f"/content/view/v2/Detail/en-us/{path.rsplit('/ar-', 1)[1]}", content, "application/json")
        m.route("/robots.txt", b"User-agent: *\nDisallow: /*/health/search/filter\n", "text/plain")
        m.route("/", section_page([]))
        m.route("/en-us/news/technology", section_page([
            ("/en-us/news/technology/artists-leak-sora/ar-AA1uv1", "Artists leak Sora"),
            ("/en-us/news/technology/sora-leak-explained/ar-AA1uR2mn", "The Sora leak, explained"),
            ("/en-us/video/news/sora-clip/vi-AA1uZZzz", "Watch"),
            ("/en-us/news/technology?page=2", "More"),
            ("/en-us/weather/forecast", "Weather"),
        ]))


# What an MSN article URL answers: a script-built application shell.
MSN_SHELL = (b"<!DOCTYPE html><html><head><title>MSN</title><script src='/bundles/app.js'></script></head>"
             b"<body><div id='root'></div><noscript>Please enable JavaScript.</noscript></body></html>")


def msn_content(title: str, paragraphs: list[str], published: str, authors: list[str], *, provider: str,
                source: str | None = None, abstract: str | None = None) -> bytes:
    """An answer of MSN's content API, with the fields storywatch reads."""
    payload: dict[str, Any] = {
        "id": "AA" + str(zlib.crc32(title.encode())), "title": title, "abstract": abstract or paragraphs[0][:120],
        "body": "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs), "publishedDateTime": published,
        "authors": [{"name": a} for a in authors], "provider": {"id": "BB1", "name": provider}, "locale": "en-us",
        "type": "article",
    }
    if source is not None:
        payload["sourceHref"] = source
    return json.dumps(payload).encode()


def build_story_site() -> StorySite:
    site = ReplicaSite()
    story = StorySite(
        site=site,
        verge=site.add_host("verge", "127.0.0.2"),
        tc=site.add_host("tc", "127.0.0.3"),
        msn=site.add_host("msn", "127.0.0.4"),
        msnapi=site.add_host("msnapi", "127.0.0.6"),
        offsite=site.add_host("offsite", "127.0.0.9"),
    )
    story.build()
    return story


def write_config(story: StorySite, folder: Path, database_url: str, **crawl: object) -> Path:
    return write_toml(folder / "storywatch.toml", story.config_data(database_url, **crawl))
