"""Figures: numbers with units and the period they refer to, attached to what they measure.

A figure is a quantity found in a normalized sentence (总投资超10亿元, 年产40GWh, 链上企业超百家,
位列第五), its value normalized to a base unit as a :class:`~decimal.Decimal`, the qualifier
written with it (超 -> ``over``), the entity it is about, what it measures and the period
it refers to. Units, qualifiers, measure cues and period words are data files in
``graph/data/figure_*``; see docs/figures.md.

>>> parse_number("1.5万亿")
Decimal('1500000000000')
>>> parse_number("五百") , parse_number("一二三四"), parse_number("1..5")
(Decimal('500'), None, None)
>>> [(q.value, q.unit, q.qualifier) for q in quantities("总投资超10亿元，年产40GWh")]
[(Decimal('1000000000'), 'CNY', 'over'), (Decimal('40000000000'), 'Wh', '')]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from graph.records import Article, EntityType, Evidence, Figure, Home, Mention, Sentence

DATA = Path(__file__).resolve().parent.parent / "data"

_DIGITS = {"零": 0, "\u3007": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "万亿"
# A run of digits and Chinese numerals: 1.5万亿, 三千, 1,000, 百. Parsed by parse_number.
_NUMBER = re.compile(rf"[0-9.,{_NUMERAL_CHARS}]+")
_ARABIC = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_MAX_RUN = 24
# Latin letters right after a number that name no known unit (20Ah, 300kt); one letter
# (5G, 3D) is a name, not a unit.
_LATIN_UNIT = re.compile(r"[A-Za-z]{2,8}(?![A-Za-z0-9])")
_MAX_VALUE = Decimal(10) ** 20
_CLAUSE_END = "，,；;。！？!?：:"


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


# --- numbers ------------------------------------------------------------------------------


def parse_number(text: str) -> Decimal | None:
    """The value of a numeral mixing Arabic and Chinese digits, or None if it does not parse.

    >>> parse_number("3亿5000万"), parse_number("十四万"), parse_number("亿")
    (Decimal('350000000'), Decimal('140000'), Decimal('100000000'))
    """
    if not text or len(text) > _MAX_RUN:
        return None
    total = section = Decimal(0)
    pending: Decimal | None = None
    i = 0
    while i < len(text):
        arabic = _ARABIC.match(text, i)
        if arabic:
            if pending is not None:
                return None
            try:
                pending = Decimal(arabic.group().replace(",", ""))
            except InvalidOperation:
                return None
            i = arabic.end()
            continue
        ch = text[i]
        if ch in _DIGITS:
            if pending is not None:
                return None
            pending = Decimal(_DIGITS[ch])
        elif ch in _SMALL:
            section += (pending if pending is not None else Decimal(1)) * _SMALL[ch]
            pending = None
        elif ch == "万":
            section = (section + (pending or 0)) or Decimal(1)
            section *= 10000
            pending = None
        elif ch == "亿":
            value = (total + section + (pending or 0)) or Decimal(1)
            total, section, pending = value * 100000000, Decimal(0), None
        else:
            return None
        i += 1
    value = total + section + (pending or 0)
    if value >= _MAX_VALUE:
        return None
    return Decimal(canonical(value))


def canonical(value: Decimal) -> str:
    """A decimal as a plain string without exponent or trailing zeros: 4E+10 -> 40000000000."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# --- quantities -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure as found in a sentence: ``text[begin:end]`` is the figure as written."""

    begin: int
    end: int
    value: Decimal | None
    unit: str
    unit_text: str
    qualifier: str
    kind: str


def _before_qualifier(text: str, begin: int) -> tuple[int, str]:
    for word, qualifier in qualifiers().get("before", ()):
        if text.endswith(word, 0, begin):
            return (begin - len(word) if qualifier else begin), qualifier
    return begin, ""


def _unit_at(text: str, i: int) -> Unit | None:
    for unit in units():
        if text.startswith(unit.written, i):
            after = text[i + len(unit.written) : i + len(unit.written) + 1]
            if after and after in unit.not_before:
                continue  # 百亿项目: 项 is part of a word here
            return unit
    return None


def _rank_context(text: str, begin: int) -> bool:
    clause = text[:begin].rsplit("，", 1)[-1]
    return any(cue in clause[-14:] for cue in _words("figure_rank_cues.txt"))


_RANK = re.compile(rf"(第|前)([0-9]+|[{_NUMERAL_CHARS}]+)(位|名|强)?|首位")
_BARE_RANK = re.compile(r"(?<![0-9.第前])([0-9]+)(位|名)")


def _ranks(text: str) -> Iterator[Quantity]:
    stops = _words("figure_ordinal_stop.txt")
    for m in _RANK.finditer(text):
        if m.group() == "首位":
            if _rank_context(text, m.start()):
                yield Quantity(m.start(), m.end(), Decimal(1), "rank", "首位", "", "rank")
            continue
        value = parse_number(m.group(2))
        if value is None or value == 0 or value != value.to_integral_value():
            continue
        if not m.group(3):
            if any(text.startswith(s, m.end()) for s in stops):
                continue
            if not _rank_context(text, m.start()):
                continue
        elif m.group(3) == "名" and m.group(1) == "前" and not _rank_context(text, m.start()):
            continue
        qualifier = "top" if m.group(1) == "前" else ""
        yield Quantity(m.start(), m.end(), value, "rank", m.group(3) or "", qualifier, "rank")
    for m in _BARE_RANK.finditer(text):
        if m.group(2) == "位" and _rank_context(text, m.start()):
            yield Quantity(m.start(), m.end(), Decimal(m.group(1)), "rank", "位", "", "rank")


_RANGE_MARKS = "-—–~至到"
_MAGNITUDE = re.compile(r"[十百千万亿]+$")


def _range_lower(
    text: str, begin: int, upper: str, unit: Unit, found: Sequence[Quantity]
) -> Quantity | None:
    """The lower bound of a range whose upper bound ``upper`` (a number) starts at
    ``begin`` with ``unit`` (10-15亿元, 10至15万吨, 5000万-1亿元), or None. A lower bound
    without a magnitude takes the upper one's: 10-15亿 is 10亿 to 15亿."""
    if begin < 2 or text[begin - 1] not in _RANGE_MARKS:
        return None
    before = list(_NUMBER.finditer(text[: begin - 1]))
    if not before or before[-1].end() != begin - 1:
        return None
    low_start = before[-1].start()
    run = before[-1].group()
    if not run or run[0] in ".," or (low_start and text[low_start - 1] in "第前"):
        return None
    magnitude = _MAGNITUDE.search(upper)
    if magnitude and not _MAGNITUDE.search(run):
        run += magnitude.group()
    value = parse_number(run)
    upper_value = parse_number(upper)
    if value is None or upper_value is None or value >= upper_value:
        return None  # 2023-2025年 never gets here (年 is no unit); 15-10 is no range
    return Quantity(
        low_start,
        begin - 1,
        Decimal(canonical(value * unit.factor)),
        unit.base,
        unit.written,
        "at-least",
        unit.kind,
    )


def quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` (a normalized sentence), in order; dates are not figures.

    A number with no known unit is not a figure, except a money magnitude (1050亿, 突破千亿):
    Chinese news leaves 元 out there. A bare 一 before a counter is the article "a" (一家企业).

    >>> [(canonical(q.value), q.unit, q.qualifier) for q in quantities("链上企业超百家，位列第五")]
    [('100', 'count', 'over'), ('5', 'rank', '')]
    """
    found: list[Quantity] = []
    ranks = list(_ranks(text))
    taken = [(r.begin, r.end) for r in ranks]
    for m in _NUMBER.finditer(text):
        run = m.group().rstrip(".,")
        begin, end = m.start(), m.start() + len(run)
        while run and run[0] in ".,":
            run, begin = run[1:], begin + 1
        if not run or any(b <= begin < e for b, e in taken):
            continue
        if begin and text[begin - 1] in "第前":
            continue
        if run[-1] in "千百万" and len(run) > 1 and _unit_at(text, end - 1):
            run, end = run[:-1], end - 1  # 67.95亿千瓦时: 千 belongs to the unit
        value = parse_number(run)
        if value is None:
            continue
        i = end
        qualifier = ""
        for word, q in qualifiers().get("between", ()):
            if text.startswith(word, i) and _unit_at(text, i + len(word)):
                i, qualifier = i + len(word), q
                break
        unit = _unit_at(text, i)
        money_magnitude = "亿" in run
        if unit is None and not money_magnitude:
            latin = _LATIN_UNIT.match(text, i)
            if latin and not (begin and text[begin - 1].isascii() and text[begin - 1].isalpha()):
                # a unit nekg does not know (20Ah): kept as written, with no value
                start, qualifier = _before_qualifier(text, begin)
                found.append(Quantity(start, latin.end(), None, "", latin.group(), qualifier, ""))
            continue
        if unit is not None and unit.kind == "count":
            if value != value.to_integral_value():
                continue  # 0.52个工作日: a count is whole
            if run == "一" or text.startswith(unit.written * 2, i - len(unit.written) + 1):
                continue  # 一家企业 (a company), 一个个项目 (one project after another)
            if text.startswith(unit.written, i + len(unit.written)):
                continue
        start, before = _before_qualifier(text, begin)
        qualifier = qualifier or before
        if unit is None:
            level = text.startswith("级", i)
            has_digits = any(c.isdigit() for c in run)
            if not (level or has_digits or before or text.endswith("达", 0, begin)):
                continue  # 千亿产业, 百亿项目: a class of size, not a figure
            stop = i + 1 if level else i
            found.append(
                Quantity(
                    start, stop, value, "CNY", "", qualifier or ("level" if level else ""), "money"
                )
            )
            continue
        stop = i + len(unit.written)
        if unit.kind not in ("count", "percent") and text.startswith("级", stop):
            stop, qualifier = stop + 1, qualifier or "level"
        for word, q in qualifiers().get("after", ()):
            if text.startswith(word, stop):
                stop, qualifier = stop + len(word), qualifier or q
                break
        lower = _range_lower(text, begin, run, unit, found) if start == begin else None
        if lower is not None:  # 10-15亿元: at least 10亿元 and at most 15亿元
            found[:] = [f for f in found if f.end != lower.end]
            found.append(lower)
            qualifier = qualifier or "at-most"
        found.append(
            Quantity(
                start,
                stop,
                Decimal(canonical(value * unit.factor)),
                unit.base,
                unit.written,
                qualifier,
                unit.kind,
            )
        )
    found.extend(ranks)
    return sorted(found, key=lambda q: q.begin)


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


# --- attachment -----------------------------------------------------------------------------


# Which kinds of entity a measure may be about, nearest first; a measure not listed takes any.
SUBJECT_TYPES: dict[str, frozenset[EntityType]] = {
    "investment": frozenset(
        {EntityType.PROJECT, EntityType.COMPANY, EntityType.PLACE, EntityType.PLATFORM}
    ),
    "capacity": frozenset(
        {
            EntityType.PROJECT,
            EntityType.COMPANY,
            EntityType.PLACE,
            EntityType.PLATFORM,
            EntityType.INDUSTRY_CHAIN,
        }
    ),
    "firm-count": frozenset({EntityType.PLACE, EntityType.PLATFORM, EntityType.INDUSTRY_CHAIN}),
    "project-count": frozenset({EntityType.PLACE, EntityType.PLATFORM, EntityType.COMPANY}),
    # what is counted or sized is the chains themselves (2个千亿级产业集群), not their subject
    "count": frozenset(
        {EntityType.PLACE, EntityType.PLATFORM, EntityType.COMPANY, EntityType.PROJECT}
    ),
    "scale": frozenset(
        {EntityType.PLACE, EntityType.PLATFORM, EntityType.COMPANY, EntityType.PROJECT}
    ),
}
_COUNTED = frozenset({"count", "firm-count", "project-count", "scale"})
_LISTING = frozenset("、，,和及与等")
_NO_SUBJECT = frozenset({EntityType.PERSON, EntityType.POLICY, EntityType.ORGANIZATION})
# Measures a company has: a company or project in the clause governs before a place does.
_COMPANY_MEASURES = frozenset({"investment", "capacity", "revenue", "output-value", "tax"})
_COMPANY_KINDS = frozenset({EntityType.COMPANY, EntityType.PROJECT})
_CONFIDENCE = {
    "figure-subject-inside": 0.9,
    "figure-subject-modified": 0.9,
    "figure-subject-clause": 0.9,
    "figure-subject-anaphor": 0.8,
    "figure-subject-created": 0.8,
    "figure-subject-sentence": 0.8,
    "figure-subject-frame": 0.75,
    "figure-subject-previous": 0.7,
    "figure-subject-article": 0.7,
    "figure-subject-chain": 0.6,
}
# The method of a mention that stands for an anaphor (该公司, 全市), made by anaphor_mentions.
ANAPHOR = "figure-anaphor"
_AREA_KINDS = frozenset({EntityType.PLACE, EntityType.PLATFORM})
_TOPICS = _AREA_KINDS | _COMPANY_KINDS


def measure_of(text: str, q: Quantity) -> MeasureRule | None:
    """The rule whose cue stands nearest the figure in its clause (``None``: no cue)."""
    clause_start = max(text.rfind(c, 0, q.begin) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, q.end) for c in _CLAUSE_END) if i >= 0]
    clause_end = min(ends, default=len(text))
    best: tuple[int, int, MeasureRule] | None = None
    default: MeasureRule | None = None
    for order, rule in enumerate(measure_rules()):
        if q.unit not in rule.units or (rule.written and q.unit_text not in rule.written):
            continue
        if rule.side == "default":
            default = default or rule
            continue
        for cue in rule.cues:
            if rule.side == "self":
                distance = 0 if text[q.begin : q.end].endswith(cue) else -1
            elif rule.side == "before":
                at = text.rfind(cue, clause_start, q.begin)
                distance = q.begin - (at + len(cue)) if at >= 0 else -1
            else:
                at = text.find(cue, q.end - len(q.unit_text), clause_end)
                if rule.measure == "scale" and at != q.end - 1:
                    at = -1  # 千亿级: 级 closes the figure itself
                distance = at - q.end if at >= 0 else -1
                distance = max(distance, 0) if at >= 0 else -1
            if distance < 0:
                continue
            key = (distance, order)
            if best is None or key < best[:2]:
                best = (distance, order, rule)
    return best[2] if best else default


def _fallback(q: Quantity) -> tuple[str, str]:
    if q.unit == "count":
        return "figure-count", "count"
    if q.unit == "rank":
        return "figure-rank", "rank"
    return "figure-amount", "amount"


def _clause_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in _CLAUSE_END) + 1


def _adverbial(text: str, at: int) -> bool:
    """Whether ``text[at]`` stands in a modifier: a clause that opens with 以, 围绕, 由 …,
    up to the clause's first 的 (由A与B合资组建的C: A and B are modifiers, C is not)."""
    start = _clause_start(text, at)
    if not text.startswith(_words("figure_adverbials.txt"), start):
        return False
    de = text.find("的", start)
    ends = [i for i in (text.find(c, start) for c in _CLAUSE_END) if i >= 0]
    return de < 0 or de > min(ends, default=len(text)) or at < de


def _listed(m: Mention, origin: int, mentions: Sequence[Mention], sentence: Sentence) -> bool:
    """Whether ``m`` is one of the things a count lists (A、B等十余家): only other mentions
    and listing marks stand between it and the figure."""
    gap = set(range(m.end, origin))
    for other in mentions:
        gap -= set(range(other.start, other.end))
    by_offset = dict(zip(sentence.offsets, sentence.text, strict=False))
    return all(by_offset.get(i, "") in _LISTING or i not in by_offset for i in gap)


def _locative(text: str, index: int | None) -> bool:
    """Whether the mention at ``text[index]`` follows 在, 于 …: a place where, not a subject."""
    return index is not None and text.endswith(_words("figure_locatives.txt"), 0, index)


_MODIFIED_KINDS = (EntityType.PROJECT, EntityType.PLATFORM, EntityType.COMPANY)
_MODIFIER_REACH = 12  # how far after the figure its 的 may stand (总投资约108亿元的)


def _modified(
    text: str, q_begin: int, by_index: Mapping[int, int], mentions: Sequence[Mention]
) -> str:
    """The project, platform or company a figure modifies (总投资50亿元的X项目 → X项目,
    占地500亩的X产业园 → X产业园), or "": the first such mention after the figure's 的 in
    its clause, a project before the others."""
    ends = [i for i in (text.find(c, q_begin) for c in _CLAUSE_END) if i >= 0]
    stop = min(ends, default=len(text))
    de = text.find("的", q_begin, min(stop, q_begin + _MODIFIER_REACH))
    if de < 0:
        return ""
    after = []
    for m in mentions:
        i = by_index.get(m.start)
        if i is None or not m.entity_id or m.type == EntityType.INDUSTRY_CHAIN:
            continue
        if q_begin < i < de:
            return ""  # 总投资50亿元、宁德时代的…: the figure does not modify what follows
        if de < i < stop and m.type in _MODIFIED_KINDS:
            after.append((i, m))
    if not after:
        return ""
    after.sort(key=lambda im: (im[1].type != EntityType.PROJECT, im[0]))
    return after[0][1].entity_id


def by_offset_index(sentence: Sentence) -> dict[int, int]:
    """Original offset -> index in the sentence's normalized text."""
    return {o: i for i, o in enumerate(sentence.offsets)}


@cache
def _cue_words() -> tuple[str, ...]:
    words = {c for rule in measure_rules() for c in rule.cues if c != "-"}
    words |= {w for pairs in qualifiers().values() for w, _ in pairs}
    return tuple(sorted(words, key=len, reverse=True))


def _owner_named(text: str, by_index: Mapping[int, int], m: Mention, q_begin: int) -> bool:
    """Whether the name ``m`` holding a figure names its owner before it (比亚迪株洲基地年产…,
    not 年产20GWh动力电池项目, whose owner the clause names)."""
    first = by_index.get(m.start)
    if first is None:
        return False
    prefix = text[first:q_begin]
    changed = True
    while changed and prefix:
        changed = False
        for cue in _cue_words():
            if prefix.endswith(cue):
                prefix, changed = prefix[: -len(cue)], True
                break
    return len(prefix.strip("（）()，、 ")) >= 2


def _modifies(text: str, at: int, clause: Sequence[tuple[int, Mention]]) -> bool:
    """Whether the mention at ``text[at]`` stands before a 的 that another mention of its
    clause follows (河南科技大学与伊滨区管委会共建的洛阳…研究院): a modifier of that one."""
    later = [i for i, _ in clause if i > at]
    return any("的" in text[at:i] for i in later)


def _enumerated(text: str, by_index: Mapping[int, int], m: Mention) -> bool:
    """Whether ``m`` is an item of an enumeration (A、B等企业): an object, not a subject."""
    first = by_index.get(m.start)
    last = by_index.get(m.end - 1)
    if first is None or last is None:
        return False
    return text[last + 1 : last + 2] in ("、", "等") or text[first - 1 : first] == "、"


def _created_after(text: str, clause: int) -> int | None:
    """Where the last verb of founding (成立, 设立 …) in the clause at ``clause`` ends."""
    ends = [i for i in (text.find(c, clause) for c in _CLAUSE_END) if i >= 0]
    stop = min(ends, default=len(text))
    found = [
        i + len(w)
        for w in _words("figure_creations.txt")
        for i in [text.rfind(w, clause, stop)]
        if i >= 0
    ]
    return max(found, default=None)


def _frame(text: str, clause: int, by_index: Mapping[int, int], mentions: Sequence[Mention]) -> str:
    """The place or platform of the nearest clause before ``clause`` that only sets the
    scene (在石峰区田心街道，…两家龙头企业带动350余家配套企业集聚 → 田心街道), or ""."""
    best: tuple[int, int, str] | None = None
    for m in mentions:
        i = by_index.get(m.start)
        if i is None or i >= clause or m.type not in _AREA_KINDS:
            continue
        opens = _clause_start(text, i)
        if not text.startswith("在", opens) or (best and (opens, i) < best[:2]):
            continue
        best = (opens, i, m.entity_id)
    return best[2] if best else ""


@cache
def _anaphors() -> tuple[tuple[str, str, str], ...]:
    rows = [(r[0], r[1], r[2] if len(r) > 2 else "") for r in _rows("figure_anaphors.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


# A time that may open a clause before its subject (2022年全区…, 今年上半年全市…).
_LEADING_TIME = re.compile(
    r"(?:(?:19|20)[0-9]{2}年度?|今年|去年|明年|目前|如今|当前|上半年|下半年|前三季度|全年)+"
)


@dataclass
class _Context:
    """What an article has named so far, for the anaphors of its next sentences."""

    firms: tuple[Mention, ...] = ()  # companies and projects of the last sentence naming one
    area: Mention | None = None
    previous: Mention | None = None  # what the sentence before opened with, if anything

    def last(self, first: EntityType) -> Mention | None:
        """The last ``first`` (company or project) of ``firms``, else the last of the other."""
        other = EntityType.PROJECT if first == EntityType.COMPANY else EntityType.COMPANY
        for kind in (first, other):
            found = [m for m in self.firms if m.type == kind]
            if found:
                return found[-1]
        return self.firms[-1] if self.firms else None

    def update(self, sentence: Sentence, mentions: Sequence[Mention]) -> None:
        by_index = {o: i for i, o in enumerate(sentence.offsets)}
        firms = tuple(
            m
            for m in sorted(mentions, key=lambda m: m.start)
            if m.entity_id and m.method != ANAPHOR and m.type in _COMPANY_KINDS
        )
        self.firms = firms or self.firms
        self.previous = None
        for m in sorted(mentions, key=lambda m: m.start):
            i = by_index.get(m.start)
            if m.entity_id and m.method != ANAPHOR and i is not None and m.type in _TOPICS:
                if i == _clause_start(sentence.text, i) and not _adverbial(sentence.text, i):
                    self.previous = m
                break
        for m in sorted(mentions, key=lambda m: m.start):
            i = by_index.get(m.start)
            if m.entity_id and m.type in _AREA_KINDS and i is not None:
                if i == _clause_start(sentence.text, i) and not _adverbial(sentence.text, i):
                    self.area = m
                break


def _home_place(home: Home | None, level: str, entity_ids: Collection[str]) -> str:
    """The entity id of an article's own district or city (a district's city by its code)."""
    if home is None:
        return ""
    codes = [home.district] if level == "district" else [home.city]
    if level == "city" and home.district and not home.city:
        codes.append(home.district[:4] + "00")
    for code in codes:
        if code and f"place/{code}" in entity_ids:
            return f"place/{code}"
    return ""


def anaphor_mentions(
    sentence: Sentence,
    mentions: Sequence[Mention],
    context: _Context,
    home: Home | None = None,
    topic: str = "",
    entity_ids: Collection[str] = (),
) -> list[Mention]:
    """Mentions for the anaphors that open a clause of ``sentence`` (该公司, 全市, 区内 …,
    ``graph/data/figure_anaphors.tsv``), each with the entity it stands for in ``context``
    (what the article named before) or ``home``; method :data:`ANAPHOR`."""
    text = sentence.text
    taken = {o for m in mentions for o in range(m.start, m.end)}
    found: list[Mention] = []
    for opens in sorted({0, *(j + 1 for j, ch in enumerate(text) if ch in _CLAUSE_END)}):
        time = _LEADING_TIME.match(text, opens)
        i = time.end() if time else opens  # 2022年全区新增…: after a time, still opening
        for word, kind, not_before in _anaphors():
            if not text.startswith(word, i):
                continue
            after = text[i + len(word) : i + len(word) + 1]
            if (after and after in not_before) or sentence.offsets[i] in taken:
                break
            target = _referent(kind, context, home, topic, entity_ids)
            if target is not None:
                start = sentence.offsets[i]
                found.append(
                    Mention(
                        sentence.article_id,
                        sentence.index,
                        start,
                        sentence.offsets[i + len(word) - 1] + 1,
                        word,
                        target[1],
                        target[0],
                        method=ANAPHOR,
                    )
                )
            break
    return found


def _referent(
    kind: str, context: _Context, home: Home | None, topic: str, entity_ids: Collection[str]
) -> tuple[str, EntityType] | None:
    chosen: Mention | None = None
    if kind == "company":
        chosen = context.last(EntityType.COMPANY)
    elif kind == "project":
        chosen = context.last(EntityType.PROJECT)
    elif kind in ("area", "district"):
        district = _home_place(home, "district", entity_ids)
        if kind == "district" and district:
            return district, EntityType.PLACE
        if context.area is not None:
            return context.area.entity_id, context.area.type
        if district or topic:
            return district or topic, EntityType.PLACE
        return None
    elif kind == "city":
        city = _home_place(home, "city", entity_ids) or topic
        return (city, EntityType.PLACE) if city else None
    return (chosen.entity_id, chosen.type) if chosen else None


def subject_of(
    q_begin: int,
    measure: str,
    sentence: Sentence,
    mentions: Sequence[Mention],
    topic: str = "",
    previous: Mention | None = None,
) -> tuple[str, str]:
    """The entity id a figure at ``q_begin`` is about, and the rule that chose it.

    - ``figure-subject-inside``: the company or project whose name holds the figure
      (比亚迪株洲基地年产10GWh动力电池项目);
    - ``figure-subject-modified``: the project, platform or company the figure modifies
      (总投资50亿元的宁德时代溧阳基地项目);
    - ``figure-subject-clause``: the nearest mention before the figure in its clause; for a
      company's kind of measure (investment, capacity, revenue …) a company or project there
      first (金风科技大丰基地年产200台 → 金风科技); a place right after 在/于 only when
      nothing else is there; for a rank, only mentions before the ranking word (溧阳…位居常州
      首位 → 溧阳); for counts and size classes, not the members the count lists (甲、乙等
      十余家);
    - ``figure-subject-sentence``: else, walking back clause by clause, the first mention of
      the nearest clause that has one outside a modifier (以宁德时代为龙头, 由A组建的C …)
      and outside an enumeration (A、B等企业 are objects); in a clause that founds a company
      (A与B合资成立C), ``figure-subject-created``: the company founded;
    - ``figure-subject-anaphor``: where the mention chosen above is an anaphor (该公司, 全市,
      区内: see :func:`anaphor_mentions`), what it stands for;
    - ``figure-subject-frame``: else the place of a clause before that only sets the scene
      (在石峰区田心街道，…350余家配套企业集聚);
    - ``figure-subject-previous``: else, when the sentence names nothing it could be about
      before the figure, what the sentence before opened with (``previous``: 直溪镇将…。
      全年力争引进优质项目5个以上);
    - ``figure-subject-article``: else the place the article is about (``topic``);
    - ``figure-subject-chain``: else an industry chain in the clause. A chain is the last
      resort: in 锂电上下游企业86家 or 动力电池产能15吉瓦时 it names what is counted or made.

    A person or a policy is never a subject, nor a kind the measure cannot be about; an
    organization only of a plain count (a university's graduates), and never as the source
    of the news (记者从市工信局获悉, 据市统计局: modifiers).
    """
    allowed = SUBJECT_TYPES.get(measure)
    text = sentence.text
    at = sentence.offsets[q_begin] if q_begin < len(sentence.offsets) else sentence.end
    inside = [
        m for m in mentions if m.start <= at < m.end and m.entity_id and m.type in _COMPANY_KINDS
    ]
    inside = [m for m in inside if _owner_named(text, by_offset_index(sentence), m, q_begin)]
    if inside:  # 比亚迪株洲基地年产10GWh动力电池项目: the figure is part of the name
        return min(inside, key=lambda m: m.start).entity_id, "figure-subject-inside"
    modified = _modified(text, q_begin, by_offset_index(sentence), mentions)
    if modified:  # 总投资50亿元的宁德时代溧阳基地项目
        return modified, "figure-subject-modified"
    start = _clause_start(text, q_begin)
    stop = q_begin
    if measure == "rank":
        cues = _words("figure_rank_cues.txt")
        found = [i for i in (text.find(c, start, q_begin) for c in cues) if i >= 0]
        stop = min(found, default=q_begin)
    by_index = {o: i for i, o in enumerate(sentence.offsets)}
    origin_clause = sentence.offsets[start] if start < len(text) else sentence.end
    origin = sentence.offsets[stop] if stop < len(text) else sentence.end

    def fits(m: Mention) -> bool:
        if measure == "count" and m.type == EntityType.ORGANIZATION:
            return bool(m.entity_id)  # 宁德师范学院…每年输送人才500余人: what a body does
        ok_type = allowed is None or m.type in allowed
        return bool(m.entity_id) and m.type not in _NO_SUBJECT and ok_type

    in_clause = [m for m in mentions if fits(m) and origin_clause <= m.start and m.end <= origin]
    if measure in _COUNTED:
        in_clause = [m for m in in_clause if not _listed(m, origin, mentions, sentence)]
    chains = [m for m in in_clause if m.type == EntityType.INDUSTRY_CHAIN]
    rest = [m for m in in_clause if m.type != EntityType.INDUSTRY_CHAIN]
    if measure in _COMPANY_MEASURES:
        rest = [m for m in rest if m.type in _COMPANY_KINDS] or rest
    rest = [m for m in rest if not _locative(text, by_index.get(m.start))] or rest
    if rest:
        nearest = max(rest, key=lambda m: (m.end, -m.start))
        how = "figure-subject-anaphor" if nearest.method == ANAPHOR else "figure-subject-clause"
        return nearest.entity_id, how
    earlier = [
        (by_index[m.start], m)
        for m in mentions
        if m.end <= origin_clause
        and m.start in by_index
        and fits(m)
        and m.type != EntityType.INDUSTRY_CHAIN
        and not (measure in _COUNTED and _listed(m, origin, mentions, sentence))
        and not _adverbial(text, by_index[m.start])
        and not _enumerated(text, by_index, m)
    ]
    if earlier:
        last_clause = max(_clause_start(text, i) for i, _ in earlier)
        here = [(i, m) for i, m in earlier if _clause_start(text, i) == last_clause]
        # A与B共建的C: A and B modify C
        here = [(i, m) for i, m in here if not _modifies(text, i, here)] or here
        made = _created_after(text, last_clause)
        founded = [(i, m) for i, m in here if made is not None and i >= made]
        if founded:  # A与B合资成立C，…: C
            return min(founded, key=lambda im: (im[0], im[1].start))[1].entity_id, (
                "figure-subject-created"
            )
        chosen = min(here, key=lambda im: (im[0], im[1].start))[1]
        if chosen.method == ANAPHOR:
            return chosen.entity_id, "figure-subject-anaphor"
        return chosen.entity_id, "figure-subject-sentence"
    framed = _frame(text, start, by_index, [m for m in mentions if fits(m)])
    if framed:
        return framed, "figure-subject-frame"
    if (
        previous is not None
        and fits(previous)
        and not any(fits(m) and m.end <= origin for m in mentions)
    ):  # 直溪镇将…。全年力争引进项目5个以上: a sentence without a subject goes on
        return previous.entity_id, "figure-subject-previous"
    if topic:
        return topic, "figure-subject-article"
    if chains:
        nearest = max(chains, key=lambda m: (m.end, -m.start))
        return nearest.entity_id, "figure-subject-chain"
    return "", ""


def extract(
    articles: Iterable[Article],
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    homes: Mapping[str, Home] | None = None,
    entity_ids: Collection[str] = (),
) -> list[Figure]:
    """Every figure in ``sentences``, with its subject, measure, period and evidence.

    ``homes`` give each article's own place (see :mod:`graph.resolve`), the subject of
    last resort when it is one of ``entity_ids``.
    """
    dates = {a.id: a.date for a in articles}
    topics = {}
    for article_id, home in (homes or {}).items():
        code = home.topic or home.district or home.city
        if code and f"place/{code}" in entity_ids:
            topics[article_id] = f"place/{code}"
    by_sentence: dict[tuple[str, int], list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault((m.article_id, m.sentence), []).append(m)
    figures: list[Figure] = []
    carried: dict[str, list[Period]] = {}  # the last periods each article named
    contexts: dict[str, _Context] = {}  # what each article named so far
    for sentence in sentences:
        date = dates.get(sentence.article_id, "")
        context = contexts.setdefault(sentence.article_id, _Context())
        here = sorted(
            by_sentence.get((sentence.article_id, sentence.index), []), key=lambda m: m.start
        )
        topic = topics.get(sentence.article_id, "")
        home = (homes or {}).get(sentence.article_id)
        anaphors = anaphor_mentions(sentence, here, context, home, topic, entity_ids)
        previous = context.previous
        context.update(sentence, here)
        found = quantities(sentence.text)
        named = periods(sentence.text, date)
        if not named and sentence.text.startswith(_words("figure_continuations.txt")):
            named = carried.get(sentence.article_id, [])
        elif named:
            carried[sentence.article_id] = [_carried(named[-1])]
        if not found:
            continue
        here = sorted([*here, *anaphors], key=lambda m: m.start)
        for q in found:
            if any(p.begin <= q.begin < p.end and p.clause_start >= 0 for p in named):
                continue
            rule = measure_of(sentence.text, q)
            rule_id, measure = (rule.id, rule.measure) if rule else _fallback(q)
            subject, how = subject_of(q.begin, measure, sentence, here, topic, previous)
            period, period_text, resolution = period_for(q.begin, named, date)
            start, end = sentence.span(q.begin, q.end)
            confidence = _CONFIDENCE.get(how, 0.6)
            figures.append(
                Figure(
                    article_id=sentence.article_id,
                    sentence=sentence.index,
                    start=start,
                    end=end,
                    text=sentence.text[q.begin : q.end],
                    value=q.value,
                    unit=q.unit,
                    unit_text=q.unit_text,
                    qualifier=q.qualifier,
                    measure=measure,
                    subject=subject,
                    period=period,
                    period_text=period_text,
                    period_resolution=resolution,
                    evidence=Evidence(
                        sentence.article_id,
                        sentence.text,
                        sentence.start,
                        sentence.end,
                        rule_id,
                        confidence,
                    ),
                    subject_rule=how,
                )
            )
    return figures
