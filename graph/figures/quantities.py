"""Numbers and quantities: a number as written (1.5万亿, 三千) and the quantities of a sentence,
each with its unit, qualifier and span.

>>> parse_number("1.5万亿")
Decimal('1500000000000')
>>> canonical(Decimal("1.50"))
'1.5'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from graph.figures.tables import Unit, _words, qualifiers, units

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
    if text.endswith(_words("figure_not_qualifiers.txt"), 0, begin):
        return begin, ""  # 签约20亿元: 约 ends a verb here
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


def _size_class(text: str, run: str, stop: int) -> bool:
    """Whether a figure with its unit and a bound names a class of things (引进亿元以上项目56个,
    税收500万元以上企业6家), not a figure: 以上/以下, then a bare magnitude before any noun or
    a number before a noun of ``graph/data/figure_class_nouns.txt``."""
    if not text.startswith(("以上", "以下"), stop):
        return False
    if run.strip("十百千万亿"):
        return text.startswith(_words("figure_class_nouns.txt"), stop + 2)
    after = text[stop + 2 : stop + 3]
    return bool(after) and after not in "，,；;。！？!?：:、）)”"


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
        if _size_class(text, run, stop):
            continue  # 亿元以上项目: a class of size, not a figure
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
