"""The batching writer: jobs share transactions, a failing job fails alone,
and no failure stops the thread."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crawler.writer import BatchWriter
from storage.engine import make_engine, make_sessionmaker


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"))
    return engine


def _commits(engine: Engine) -> list[int]:
    count: list[int] = []
    event.listen(engine, "commit", lambda _connection: count.append(1))
    return count


def _insert(name: str | None) -> Callable[[Session], int]:
    def job(session: Session) -> int:
        session.execute(text("INSERT INTO item (name) VALUES (:name)"), {"name": name})
        return 1

    return job


def _names(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT name FROM item ORDER BY name"))]


def test_jobs_arriving_within_the_linger_share_one_transaction(engine: Engine) -> None:
    commits = _commits(engine)

    async def main() -> None:
        writer = BatchWriter(make_sessionmaker(engine), linger=0.5, more_coming=lambda: True)
        jobs = []
        for i in range(5):  # one every 20 ms, like pages of a first crawl
            jobs.append(asyncio.ensure_future(writer.submit(_insert(f"n{i}"))))
            await asyncio.sleep(0.02)
        assert await asyncio.gather(*jobs) == [1] * 5
        writer.close()

    asyncio.run(main())
    assert _names(engine) == [f"n{i}" for i in range(5)]
    assert len(commits) == 1


def test_nothing_more_coming_means_no_waiting(engine: Engine) -> None:
    """A recheck: no page is being extracted, so a write goes at once."""
    commits = _commits(engine)

    async def main() -> float:
        writer = BatchWriter(make_sessionmaker(engine), linger=5.0, more_coming=lambda: False)
        started = time.monotonic()
        for i in range(3):
            await writer.submit(_insert(f"m{i}"))
        elapsed = time.monotonic() - started
        writer.close()
        return elapsed

    assert asyncio.run(main()) < 2.0  # three writes, none waiting out the 5 s linger
    assert len(commits) == 3


def test_a_failing_job_fails_alone_and_the_rest_of_its_batch_is_written(engine: Engine) -> None:
    async def main() -> list[int | BaseException]:
        writer = BatchWriter(make_sessionmaker(engine), linger=0.5)
        jobs = [writer.submit(_insert(name)) for name in ("a", "b", "a", None, "c")]
        outcomes = await asyncio.gather(*jobs, return_exceptions=True)
        writer.close()
        return outcomes

    outcomes = asyncio.run(main())
    assert outcomes[:2] == [1, 1] and outcomes[4] == 1
    assert isinstance(outcomes[2], IntegrityError)  # duplicate name
    assert isinstance(outcomes[3], IntegrityError)  # NOT NULL
    assert _names(engine) == ["a", "b", "c"]


def test_a_bug_in_a_job_fails_that_job_and_the_writer_goes_on(engine: Engine) -> None:
    def broken(_session: Session) -> int:
        raise TypeError("a bug, not a database error")

    async def main() -> tuple[list[int | BaseException], int]:
        writer = BatchWriter(make_sessionmaker(engine), linger=0.05)
        # Bounded waits: a writer thread killed by the bug would never answer.
        first = await asyncio.wait_for(
            asyncio.gather(writer.submit(broken), writer.submit(_insert("x")), return_exceptions=True), 10
        )
        alone = await asyncio.wait_for(asyncio.gather(writer.submit(broken), return_exceptions=True), 10)
        later = await asyncio.wait_for(writer.submit(_insert("y")), 10)
        writer.close()
        return [*first, *alone], later

    outcomes, later = asyncio.run(main())
    assert isinstance(outcomes[0], TypeError) and outcomes[1] == 1 and isinstance(outcomes[2], TypeError)
    assert later == 1
    assert _names(engine) == ["x", "y"]


def test_close_writes_what_is_queued(engine: Engine) -> None:
    async def main() -> None:
        writer = BatchWriter(make_sessionmaker(engine), linger=10.0)
        jobs = [asyncio.ensure_future(writer.submit(_insert(f"q{i}"))) for i in range(3)]
        await asyncio.sleep(0.05)
        await asyncio.get_running_loop().run_in_executor(None, writer.close)  # not the 10 s linger
        assert await asyncio.gather(*jobs) == [1, 1, 1]

    asyncio.run(main())
    assert _names(engine) == ["q0", "q1", "q2"]
