"""The word lists and tables of figures, read once from ``graph/data/figure_*``: units,
qualifiers, measure rules and period words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def _rows(name: str) -> tuple[list[str], ...]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return tuple(rows)


@cache
def _words(name: str) -> tuple[str, ...]:
    words = (r[0].strip() for r in _rows(name))
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Unit:
    written: str
    base: str
    factor: Decimal
    kind: str
    not_before: str = ""


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """A registered rule: ``id`` names it on the evidence; cues pick the measure."""

    id: str
    measure: str
    units: frozenset[str]
    cues: tuple[str, ...]
    side: str
    written: frozenset[str] = frozenset()  # units as written it is limited to (辆, 台 …)


@cache
def units() -> tuple[Unit, ...]:
    """The units of ``figure_units.tsv``, longest written form first."""
    found = [
        Unit(r[0], r[1], Decimal(r[2]), r[3], r[4] if len(r) > 4 else "")
        for r in _rows("figure_units.tsv")
    ]
    return tuple(sorted(found, key=lambda u: -len(u.written)))


@cache
def qualifiers() -> dict[str, tuple[tuple[str, str], ...]]:
    """``{position: ((word, qualifier), ...)}``, longest word first; ``-`` means none."""
    by: dict[str, list[tuple[str, str]]] = {}
    for word, qualifier, position in _rows("figure_qualifiers.tsv"):
        by.setdefault(position, []).append((word, "" if qualifier == "-" else qualifier))
    return {p: tuple(sorted(v, key=lambda wq: -len(wq[0]))) for p, v in by.items()}


@cache
def measure_rules() -> tuple[MeasureRule, ...]:
    """The measure rules of ``figure_measures.tsv``, in file order."""
    return tuple(
        MeasureRule(
            r[0],
            r[1],
            frozenset(r[2].split(",")),
            tuple(r[3].split(",")),
            r[4],
            frozenset(r[5].split(",")) if len(r) > 5 and r[5] else frozenset(),
        )
        for r in _rows("figure_measures.tsv")
    )


@cache
def _period_parts() -> tuple[tuple[str, str, str], ...]:
    rows = [(r[0], r[1], r[2]) for r in _rows("figure_periods.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))
