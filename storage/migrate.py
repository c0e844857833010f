"""Apply the Alembic migrations that ship inside this package."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

from storage.engine import make_engine

# Objects created by migrations outside the models (views, FTS tables and the
# PostgreSQL search column) are not compared by autogenerate.
NOT_IN_MODELS = frozenset(
    {"article_latest", "article_change", "outlet_daily_coverage", "search", "ix_article_version_search"}
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return name not in NOT_IN_MODELS and not (name or "").startswith("article_version_fts")


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", "storage:migrations")
    return config


def _run(url: str, step: Callable[[AlembicConfig, str], None], revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    _run(url, command.upgrade, revision)


def downgrade(url: str, revision: str = "base") -> None:
    _run(url, command.downgrade, revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
