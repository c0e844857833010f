"""``storywatch query test``: what a candidate story query would take in and
drop, compared with what is stored now, on the stored texts (latest
versions, and the text kept for pages that were not admitted)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence

import typer
from sqlalchemy.orm import Session, sessionmaker

from crawler.admission import admit
from crawler.match import StoryQuery
from storage.models import Outlet
from storage.queries import stored_texts
from storywatch.report import print_table


@dataclasses.dataclass(frozen=True, slots=True)
class Difference:
    id: int
    outlet: str
    title: str | None
    url: str
    # The terms that decide: what the candidate matched (taken in), or what
    # the stored decision rested on (dropped).
    terms: tuple[str, ...]
    candidate_terms: tuple[str, ...]
    admission: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class QueryComparison:
    query: str
    checked: int
    relevant_now: int
    relevant_after: int
    taken_in: list[Difference]
    dropped: list[Difference]
    without_text: int  # fetched before texts were kept, never admitted

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def compare_query(
    sessions: sessionmaker[Session], query: StoryQuery, since: dt.date, outlet: str | None = None
) -> QueryComparison:
    taken_in: list[Difference] = []
    dropped: list[Difference] = []
    checked = relevant_now = relevant_after = without_text = 0
    with sessions() as session:
        outlets = {o.id: o.key for o in session.query(Outlet)}
        for article, stored in stored_texts(session, outlet):
            if stored is None:
                without_text += 1
                continue
            checked += 1
            after = admit(query, stored, since)
            relevant_now += int(article.relevant)
            relevant_after += int(after.relevant)
            if after.relevant == article.relevant:
                continue
            difference = Difference(
                id=article.id,
                outlet=outlets[article.outlet_id],
                title=stored.title or article.title,
                url=article.url,
                terms=after.terms if after.relevant else tuple(article.match_terms or ()),
                candidate_terms=after.terms,
                admission=after.admission,
            )
            (taken_in if after.relevant else dropped).append(difference)
    return QueryComparison(query.query, checked, relevant_now, relevant_after, taken_in, dropped, without_text)


def print_comparison(result: QueryComparison, output: str) -> None:
    if output == "json":
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{result.checked} stored articles: {result.relevant_now} relevant now, {result.relevant_after} with this query; "
        f"{len(result.taken_in)} taken in, {len(result.dropped)} dropped"
        + (f"; {result.without_text} without stored text (fetched before texts were kept)" if result.without_text else "")
    )
    for heading, rows, why in (
        ("taken in", result.taken_in, "matched"),
        ("dropped", result.dropped, "matched now"),
    ):
        if rows:
            typer.echo(f"\n{heading}:")
            print_table(("id", "outlet", "title", "url", why, "reason"), [_cells(d, heading) for d in rows],
                        wide=frozenset({"title", "url", why}))


def _cells(difference: Difference, heading: str) -> Sequence[str]:
    if heading == "dropped":
        reason = difference.admission or (
            "matches only " + ", ".join(difference.candidate_terms) if difference.candidate_terms else "no term matches"
        )
    else:
        reason = difference.admission or ""
    return (
        str(difference.id), difference.outlet, difference.title or "", difference.url,
        ", ".join(difference.terms), reason,
    )
