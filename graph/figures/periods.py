"""The periods a sentence names (2023年, 今年1-9月, “十四五”) and the one a figure refers to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from graph.figures.attribution import _clause_start
from graph.figures.quantities import parse_number
from graph.figures.tables import _period_parts

# --- periods --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A period as written at ``text[begin:end]``, as an ISO 8601 year or interval."""

    begin: int
    end: int
    value: str
    written: str
    resolution: str
    clause_start: int = 0


_YEAR = re.compile(r"(到|至|截至)?((?:19|20)[0-9]{2})年")
_RELATIVE = {"今年": 0, "去年": -1, "前年": -2, "明年": 1, "本年": 0, "上年": -1}
_RELATIVE_RE = re.compile("|".join(_RELATIVE))
_FIVE_YEAR = re.compile(
    r"[“\"]?(十[一二三四五六七八九]|[一二三四五六七八九])五[”\"]?(期间|时期|末)?"
)


_SMALL_NUMBER = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
# 1至11月, 1-11月, 前7个月: months of a year from its start (or a given month)
_MONTH_RANGE = re.compile(rf"(?:({_SMALL_NUMBER})(?:至|到|-|—|–|~)|前)({_SMALL_NUMBER})(?:个)?月")
# 连续三年位居首位: the years up to the article's
_RUN_OF_YEARS = re.compile(rf"连续({_SMALL_NUMBER})年")
# 力争三年内产值突破…: a target a number of years after the article's date
_WITHIN_YEARS = re.compile(rf"力争(?:在|用)?({_SMALL_NUMBER})年(?:内|时间|左右)?")


def _month_range(match: re.Match[str]) -> tuple[int, int] | None:
    """(first, last) month of a match of _MONTH_RANGE, None when it is no range of months."""
    first = parse_number(match.group(1)) if match.group(1) else Decimal(1)
    last = parse_number(match.group(2))
    if match.group(1) is None and "个" not in match.group():
        return None  # 前11月 is not written; 前7个月 is
    if match.group(1) is not None and "个" in match.group():
        return None  # 3到5个月 is a duration
    if first is None or last is None or not 1 <= first < last <= 12:
        return None
    return int(first), int(last)


def _months(year: int, first: str, last: str) -> str:
    """``2023-01/2023-06``; the whole year (全年) is just ``2023``."""
    return str(year) if (first, last) == ("01", "12") else f"{year}-{first}/{year}-{last}"


def _year_part(text: str, end: int, year: int) -> tuple[int, str, str]:
    months = _MONTH_RANGE.match(text, end)
    span = _month_range(months) if months else None
    if months and span:
        return months.end(), _months(year, f"{span[0]:02d}", f"{span[1]:02d}"), months.group()
    for written, first, last in _period_parts():
        if text.startswith(written, end):
            return end + len(written), _months(year, first, last), written
    return end, str(year), ""


def periods(text: str, article_date: str) -> list[Period]:
    """The periods ``text`` names, relative ones resolved against ``article_date``.

    >>> [(p.value, p.resolution) for p in periods("今年上半年，“十四五”期间，到2025年", "2024-09-26")]
    [('2024-01/2024-06', 'relative to article date 2024-09-26'), ('2021/2025', 'five-year plan'), ('2025', 'target year')]
    """
    found = []
    for m in _YEAR.finditer(text):
        year = int(m.group(2))
        end, value, _ = _year_part(text, m.end(), year)
        resolution = "target year" if m.group(1) else "stated"
        found.append(Period(m.start(), end, value, text[m.start() : end], resolution))
    base = _article_year(article_date)
    for m in _RELATIVE_RE.finditer(text):
        if base is None:
            continue
        year = base + _RELATIVE[m.group()]
        end, value, _ = _year_part(text, m.end(), year)
        found.append(
            Period(
                m.start(),
                end,
                value,
                text[m.start() : end],
                f"relative to article date {article_date}",
            )
        )
    taken = [(p.begin, p.end) for p in found]
    parts = {written: (first, last) for written, first, last in _period_parts()}
    for m in _parts_pattern().finditer(text) if base is not None else ():
        written = m.group()
        first, last = parts[written]
        if any(b <= m.start() < e for b, e in taken):
            continue  # 2023年上半年, 今年前三季度: read with its year
        taken.append((m.start(), m.end()))
        found.append(
            Period(
                m.start(),
                m.end(),
                _months(base, first, last),
                written,
                f"relative to article date {article_date}",
            )
        )
    for m in _MONTH_RANGE.finditer(text) if base is not None else ():
        span = _month_range(m)
        if span is None or any(b <= m.start() < e for b, e in taken):
            continue
        month = _article_month(article_date)
        year = base - 1 if month and span[1] > month else base  # 1至11月 said in January
        taken.append((m.start(), m.end()))
        found.append(
            Period(
                m.start(),
                m.end(),
                _months(year, f"{span[0]:02d}", f"{span[1]:02d}"),
                m.group(),
                f"relative to article date {article_date}",
            )
        )
    for m in _RUN_OF_YEARS.finditer(text) if base is not None else ():
        n = parse_number(m.group(1))
        if n is None or not 2 <= n <= 50:
            continue
        found.append(
            Period(
                m.start(),
                m.end(),
                f"{base - int(n) + 1}/{base}",
                m.group(),
                f"{int(n)} years up to article date {article_date}",
            )
        )
    for m in _WITHIN_YEARS.finditer(text) if base is not None else ():
        n = parse_number(m.group(1))
        if n is None or not 1 <= n <= 30:
            continue
        found.append(
            Period(
                m.start(),
                m.end(),
                str(base + int(n)),
                m.group(),
                f"target {int(n)} years after article date {article_date}",
            )
        )
    for m in _FIVE_YEAR.finditer(text):
        if not (m.group(2) or m.group().startswith(("“", '"'))):
            continue
        n = parse_number(m.group(1))
        if n is None or n < 3:
            continue
        first = 1966 + 5 * (int(n) - 3)
        found.append(
            Period(m.start(), m.end(), f"{first}/{first + 4}", m.group(), "five-year plan")
        )
    found = [
        Period(p.begin, p.end, p.value, p.written, p.resolution, _clause_start(text, p.begin))
        for p in found
    ]
    return sorted(found, key=lambda p: p.begin)


def _carried(period: Period) -> Period:
    """A period from an earlier sentence: it stands before every figure of the next one."""
    return Period(-1, 0, period.value, period.written, period.resolution, -1)


@cache
def _parts_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(r[0]) for r in _period_parts()))


@cache
def _article_month(date: str) -> int:
    match = re.match(r"(?:19|20)[0-9]{2}-([0-9]{2})", date or "")
    return int(match.group(1)) if match else 0


@cache
def _article_year(date: str) -> int | None:
    match = re.match(r"((?:19|20)[0-9]{2})", date or "")
    return int(match.group(1)) if match else None


def period_for(begin: int, found: Sequence[Period], article_date: str) -> tuple[str, str, str]:
    """``(value, written, resolution)`` of the period a figure at ``begin`` refers to.

    The nearest period written before the figure in its sentence; else the first one after
    it in the same clause; else the article's year (``article date``), else nothing.
    """
    before = [p for p in found if p.end <= begin]
    after = [p for p in found if p.begin >= begin and p.clause_start <= begin]
    chosen = before[-1] if before else (after[0] if after else None)
    if chosen is not None:
        return chosen.value, chosen.written, chosen.resolution
    year = _article_year(article_date)
    if year is None:
        return "", "", ""
    return str(year), "", f"article date {article_date}"
