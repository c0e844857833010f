"""``storywatch serve``: a read-only web view of the story (Starlette).

Every route is GET; the database is opened read-only by the caller
(storage.engine.make_readonly_engine).  Endpoints are plain functions, so
Starlette runs their blocking database reads in its thread pool, off the
event loop.  Crawled text is escaped by the templates (autoescape) and by
lxml (the feed); crawled HTML is only ever served as text/plain in a
sandbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import zlib
from collections.abc import Callable
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crawler.textdecode import decode_html
from storage.models import CrawlRun
from storage.queries import changes_between
from storywatch.clock import utcnow
from storywatch.config import Config
from web import api, data
from web.atom import changes_feed
from web.diffview import word_diff
from web.timeline import layout

log = logging.getLogger(__name__)

CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Crawled bytes: no script, no plugin, no same-origin access, ever.
SANDBOX_CSP = "sandbox; default-src 'none'"
FEED_SIZE = 50
MAX_CHANGES = 1000


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response that
    did not set a stricter policy of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = {
                    b"content-security-policy": CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"x-frame-options": b"DENY",
                    b"cross-origin-opener-policy": b"same-origin",
                    b"cache-control": b"no-store",
                }
                headers.extend((name, value) for name, value in extra.items() if name not in names)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BadRequest(ValueError):
    """A query parameter the page cannot use; shown as a 400 with the reason."""


@dataclasses.dataclass(frozen=True, slots=True)
class WebSettings:
    story: str
    zone: ZoneInfo
    base_url: str | None  # [web] base_url: the address readers use
    may_be_stale: bool  # SQLite opened immutable (a read-only file system)


def _templates(zone: ZoneInfo) -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = lambda moment: moment.astimezone(zone).strftime("%d %b %Y %H:%M") if moment else "–"
    env.filters["day"] = lambda day: day.strftime("%a %d %b %Y") if day else "–"
    return env


def _int(request: Request, name: str, default: int, low: int = 1) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name}: not a whole number: {raw!r}") from None
    if value < low:
        raise BadRequest(f"{name}: must be at least {low}")
    return value


def _day(raw: str | None, name: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{name}: not a date (YYYY-MM-DD): {raw!r}") from None


def parse_since(raw: str | None, zone: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date (midnight in the configured time zone, a digest day's
    start) or date-time (UTC when it names no offset)."""
    if not raw:
        raise BadRequest("since: required (an ISO 8601 date or date-time)")
    try:
        if len(raw) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(), tzinfo=zone).astimezone(dt.UTC)
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"since: not an ISO 8601 date or date-time: {raw!r}") from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def article_filter(request: Request, outlet_keys: set[str] | None = None) -> data.ArticleFilter:
    params = request.query_params
    outlet = params.get("outlet") or None
    if outlet is not None and outlet_keys is not None and outlet not in outlet_keys:
        raise BadRequest(f"outlet: unknown outlet {outlet!r}")
    state = params.get("state") or None
    if state is not None and state not in data.STATES:
        raise BadRequest(f"state: one of {', '.join(data.STATES)}")
    sort = params.get("sort") or "-first_seen"
    if sort not in data.SORTS:
        raise BadRequest(f"sort: one of {', '.join(data.SORTS)}")
    search = (params.get("q") or "").strip() or None
    return data.ArticleFilter(outlet, _day(params.get("day"), "day"), state, search, sort, _int(request, "page", 1))


def create_app(sessions: sessionmaker[Session], settings: WebSettings) -> Starlette:
    env = _templates(settings.zone)
    css = resources.files("web").joinpath("templates/style.css").read_bytes()

    def root(request: Request) -> str:
        return settings.base_url or str(request.base_url).rstrip("/")

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("story", settings.story)
        context.setdefault("may_be_stale", settings.may_be_stale)
        return HTMLResponse(env.get_template(name).render(context), status_code=status)

    def problem(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(api.ErrorOut(error=message).model_dump(), status_code=status)
        return page("error.html.j2", status=status, status_code=status, message=message)

    def guarded(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
        """Bad parameters and searches are the reader's 400; a database that
        cannot answer is a 503 with its reason in the log."""

        def handle(request: Request) -> Response:
            try:
                return endpoint(request)
            except (BadRequest, data.BadSearch) as exc:
                return problem(request, 400, str(exc))
            except (OperationalError, ProgrammingError) as exc:
                if "fts5" in str(exc).lower() or "tsquery" in str(exc).lower():
                    return problem(request, 400, "the search could not be read: use words, \"phrases\" and prefix*")
                log.error("web view: database error on %s: %s", request.url.path, exc)
                return problem(request, 503, "the database did not answer; see the server's log")

        return handle

    def json_model(model: BaseModel, status: int = 200) -> JSONResponse:
        return JSONResponse(model.model_dump(mode="json"), status_code=status)

    # -- pages ------------------------------------------------------------------

    def index(request: Request) -> Response:
        today = utcnow().astimezone(settings.zone).date()
        with sessions() as session:
            view = data.overview(session, today)
        timeline = layout(view.first_day, view.last_day, [(o.key, o.name) for o in view.outlets],
                          view.new_per_day, view.changes_per_day)
        return page("index.html.j2", view=view, timeline=timeline, today=today)

    def articles(request: Request) -> Response:
        with sessions() as session:
            known = data.outlets(session)
            filt = article_filter(request, {o.key for o in known})
            listing = data.article_page(session, filt)
        return page("articles.html.j2", listing=listing, outlets=known, states=data.STATES, sorts=data.SORTS,
                    query=dict(request.query_params))

    def article(request: Request) -> Response:
        article_id = request.path_params["id"]
        with sessions() as session:
            detail = data.article_detail(session, article_id)
            if detail is None or (not detail.versions and not detail.relevant):
                return problem(request, 404, f"no article {article_id} in the story")
            numbers = [v.number for v in detail.versions]
            new = _int(request, "to", numbers[-1] if numbers else 1)
            old = _int(request, "from", new - 1 if new > 1 else new)
            if numbers and (old not in numbers or new not in numbers):
                raise BadRequest(f"from/to: versions run from 1 to {numbers[-1]}")
            texts = data.version_texts(session, article_id, sorted({old, new}))
        empty = data.VersionText("", frozenset())
        before, after = texts.get(old, empty), texts.get(new, empty)
        diff = word_diff(before.text, after.text, before.chrome, after.chrome) if texts else None
        return page("article.html.j2", article=detail, old=old, new=new, diff=diff, numbers=numbers,
                    text=after.text, chrome=after.chrome)

    def raw(request: Request) -> Response:
        article_id, number = request.path_params["id"], request.path_params["number"]
        with sessions() as session:
            stored = data.raw_html(session, article_id, number)
        if stored is None:
            return problem(request, 404, f"no version {number} of article {article_id}")
        compressed, charset = stored
        try:
            body = zlib.decompress(compressed)
        except zlib.error:
            return problem(request, 500, "the stored page is damaged")
        # As storywatch read it: by the charset its response declared, else
        # its <meta>; shown as UTF-8 (a windows-1252 page's bytes under a
        # UTF-8 label would show as other characters).
        return Response(decode_html(body, charset).encode(), media_type="text/plain; charset=utf-8",
                        headers={"Content-Security-Policy": SANDBOX_CSP, "Content-Disposition": "inline"})

    def digests(request: Request) -> Response:
        with sessions() as session:
            entries = data.digest_entries(session)
        by_day: dict[dt.date, list[data.DigestEntry]] = {}
        for entry in entries:
            by_day.setdefault(entry.day, []).append(entry)
        return page("digests.html.j2", by_day=by_day)

    def digest_day(request: Request) -> Response:
        day = _day(request.path_params["day"], "day")
        assert day is not None
        with sessions() as session:
            messages = data.digest_messages(session, day)
        if not messages:
            return problem(request, 404, f"no digest recorded for {day}")
        return page("digest.html.j2", day=day, messages=messages)

    def digest_html(request: Request) -> Response:
        day = _day(request.path_params["day"], "day")
        with sessions() as session:
            messages = [m for m in data.digest_messages(session, day) if m.html] if day else []
        if not messages:
            return problem(request, 404, "no HTML digest kept for that day")
        # Our own rendering, but shown sandboxed anyway: it quotes crawled text.
        return Response(messages[0].html, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": SANDBOX_CSP})

    def style(request: Request) -> Response:
        return Response(css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})

    # -- API and feed ------------------------------------------------------------

    def api_articles(request: Request) -> Response:
        with sessions() as session:
            keys = {o.key for o in data.outlets(session)}
            listing = data.article_page(session, article_filter(request, keys))
        return json_model(api.article_list_out(listing, root(request), data.PAGE_SIZE))

    def api_article(request: Request) -> Response:
        article_id = request.path_params["id"]
        with sessions() as session:
            detail = data.article_detail(session, article_id)
            if detail is None:
                return problem(request, 404, f"no article {article_id}")
            texts = data.version_texts(session, article_id, [v.number for v in detail.versions])
        return json_model(api.article_detail_out(detail, texts))

    def api_changes(request: Request) -> Response:
        since = parse_since(request.query_params.get("since"), settings.zone)
        limit = min(_int(request, "limit", MAX_CHANGES), MAX_CHANGES)
        with sessions() as session:
            changes = changes_between(session, since, limit=limit + 1)
        base = root(request)
        return json_model(api.ChangesOut(
            since=since, truncated=len(changes) > limit, changes=[api.change_out(c, base) for c in changes[:limit]]
        ))

    def api_schema(request: Request) -> Response:
        return JSONResponse({path: model.model_json_schema() for path, model in api.SCHEMAS.items()})

    def feed(request: Request) -> Response:
        with sessions() as session:
            changes = changes_between(session, dt.datetime(1970, 1, 1, tzinfo=dt.UTC), limit=FEED_SIZE)
        base = root(request)
        body = changes_feed(changes, story=settings.story, self_url=f"{base}/feeds/changes.atom", site_url=base,
                            now=utcnow())
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    def healthz(request: Request) -> Response:
        try:
            with sessions() as session:
                session.execute(text("SELECT 1"))
                last = session.scalar(select(CrawlRun.started_at).order_by(CrawlRun.started_at.desc()).limit(1))
        except OperationalError as exc:
            log.error("web view: health check: %s", exc)
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "last_crawl": last.isoformat() if last else None,
                             "may_be_stale": settings.may_be_stale})

    routes = [
        Route("/", guarded(index)),
        Route("/articles", guarded(articles)),
        Route("/articles/{id:int}", guarded(article)),
        Route("/articles/{id:int}/versions/{number:int}/raw", guarded(raw)),
        Route("/digests", guarded(digests)),
        Route("/digests/{day}", guarded(digest_day)),
        Route("/digests/{day}/html", guarded(digest_html)),
        Route("/static/style.css", style),
        Route("/api/articles", guarded(api_articles)),
        Route("/api/articles/{id:int}", guarded(api_article)),
        Route("/api/changes", guarded(api_changes)),
        Route("/api/schema.json", api_schema),
        Route("/feeds/changes.atom", guarded(feed)),
        Route("/healthz", healthz),
    ]
    app = Starlette(routes=routes)

    async def not_found(request: Request, exc: Exception) -> Response:
        return problem(request, 404, "no such page")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return problem(request, 405, "this view only reads: no method but GET")

    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_allowed)
    app.add_middleware(SecurityHeaders)
    return app


def settings_for(config: Config, may_be_stale: bool) -> WebSettings:
    return WebSettings(config.story.name, config.schedule.zone, config.web.base_url, may_be_stale)
