"""The coverage timeline: one row per outlet, one column per day; a bar for
the articles first seen that day, a tick for the changes recorded.  Pure
layout in numbers; web/templates/timeline.svg.j2 draws it (escaped)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

LABEL_WIDTH = 150
CELL = 12  # px per day
ROW = 28  # px per outlet
BAR_MAX = 20  # px for the busiest day
AXIS = 24  # px under the rows for the day labels


@dataclasses.dataclass(frozen=True, slots=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    day: dt.date
    count: int
    kind: str  # "new" | "changed"
    outlet: str


@dataclasses.dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    rows: list[Label]  # outlet names
    ticks: list[Label]  # dates along the axis
    marks: list[Mark]
    gridlines: list[float]  # y of each row's baseline

    @property
    def empty(self) -> bool:
        return not self.marks


def layout(
    first_day: dt.date,
    last_day: dt.date,
    outlets: Sequence[tuple[str, str]],  # (key, name)
    new: Mapping[tuple[str, dt.date], int],
    changed: Mapping[tuple[str, dt.date], int],
) -> Timeline:
    days = (last_day - first_day).days + 1
    busiest = max([*new.values(), 1])
    marks: list[Mark] = []
    rows: list[Label] = []
    gridlines: list[float] = []
    for index, (key, name) in enumerate(outlets):
        baseline = (index + 1) * ROW - 4
        rows.append(Label(0, baseline - 4, name))
        gridlines.append(baseline)
        for offset in range(days):
            day = first_day + dt.timedelta(days=offset)
            x = LABEL_WIDTH + offset * CELL
            count = new.get((key, day), 0)
            if count:
                height = max(3.0, BAR_MAX * count / busiest)
                marks.append(Mark(x + 1, baseline - height, CELL - 2, height, day, count, "new", name))
            edits = changed.get((key, day), 0)
            if edits:
                marks.append(Mark(x + CELL / 2 - 2, baseline + 1, 4, 3, day, edits, "changed", name))
    ticks = []
    for offset in range(0, days, 7):
        day = last_day - dt.timedelta(days=offset)
        ticks.append(Label(LABEL_WIDTH + (days - 1 - offset) * CELL, len(outlets) * ROW + 14, day.strftime("%d %b")))
    return Timeline(LABEL_WIDTH + days * CELL + 24, len(outlets) * ROW + AXIS, rows, ticks, marks, gridlines)
