"""The word lists the recognizers read from ``graph/data/``, each loaded once."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from graph.entities.gazetteer import load_gazetteer

DATA = resources.files("graph") / "data"

_CJK = "\u3400-\u9fff"
_MEMO = 1 << 16  # answers kept for the pure look-ups on short strings that rules repeat
_PUNCT = re.compile(rf"[^0-9A-Za-z{_CJK}+＋]")


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def breakers() -> frozenset[str]:
    """Words that end a name when reading leftwards."""
    return frozenset(_lines("breakers.txt"))


@cache
def project_stops() -> frozenset[str]:
    """Words that end a project's name when reading leftwards from 项目."""
    return frozenset(_lines("project_stops.txt"))


@cache
def project_not_names() -> tuple[str, ...]:
    """Words that make a …项目 a programme or a deal, not a build (人才项目)."""
    return tuple(_lines("project_not_names.txt"))


@cache
def project_name_verbs() -> frozenset[str]:
    """Verbs that belong to a project's name (改造项目, 技改项目)."""
    return frozenset(_lines("project_name_verbs.txt"))


@cache
def generic_words() -> frozenset[str]:
    """Words that alone do not make a name."""
    return frozenset(_lines("generic.txt"))


@cache
def honours() -> frozenset[str]:
    """Titles and honours (瞪羚, 专精特新“小巨人”, 独角兽) that name no company."""
    return frozenset(_lines("honours.txt"))


@cache
def _terms() -> tuple[str, ...]:
    """Common terms that end like a company name (硬科技, 伺服电机), longest first."""
    return tuple(sorted(_lines("terms.txt"), key=len, reverse=True))


@cache
def trade_verbs() -> frozenset[str]:
    """Verbs that name a trade inside a legal company name (冶炼 in …集团冶炼有限责任公司)."""
    return frozenset(_lines("trade_verbs.txt"))


def _is_term(name: str) -> bool:
    """Is ``name`` a common term, maybe after one more character (投硬科技, 伺服电机)?"""
    return any(name.endswith(t) and len(name) - len(t) < 2 for t in _terms())


@cache
def suffixes() -> dict[tuple[str, str], tuple[str, ...]]:
    """(type, strength) -> suffixes, longest first."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in _lines("suffixes.tsv")[1:]:
        type_name, strength, items = line.split("\t")
        table[(type_name, strength)] = tuple(sorted(items.split("|"), key=len, reverse=True))
    return table


@cache
def roles() -> tuple[str, ...]:
    """Role titles, longest first."""
    return tuple(sorted(_lines("roles.txt"), key=len, reverse=True))


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single-character and two-character surnames."""
    lines = _lines("surnames.txt")
    single = frozenset(ch for ch in lines[0])
    double = frozenset(w for line in lines[1:] for w in line.split())
    return single, double


@cache
def industries() -> tuple[str, ...]:
    """The shipped industry vocabulary, longest first."""
    return tuple(sorted(_lines("industries.txt"), key=len, reverse=True))


@cache
def industry_stems() -> tuple[str, ...]:
    """Industries that count only when named as such (X产业, X领域), longest first."""
    return tuple(sorted(set(_lines("industry_stems.txt")), key=len, reverse=True))


@cache
def _common_words() -> frozenset[str]:
    """Generic words and industry terms: neither names anything by itself."""
    return generic_words() | frozenset(industries())


@cache
def bodies() -> tuple[str, ...]:
    """Well-known organizations under their usual short names, longest first."""
    return tuple(sorted(_lines("bodies.txt"), key=len, reverse=True))


@cache
def _suffix_pattern(type_name: str, strength: str) -> re.Pattern[str]:
    items = suffixes().get((type_name, strength), ())
    return re.compile("|".join(re.escape(s) for s in items)) if items else re.compile(r"(?!)")


@lru_cache(maxsize=_MEMO)
def _plain_place(name: str) -> bool:
    """A place name that needs no context: a country, a province or city, or a county in
    full (和政 alone, a county's short name, is more often an ordinary word)."""
    return any(d.level < 3 or d.name == name for d in load_gazetteer().find(name))
