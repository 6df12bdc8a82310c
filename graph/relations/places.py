"""The places among the entities: codes, levels and names, the article's home places and
bodies, and the place a name holds (中德（常州）创新产业园 → 常州)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from graph.entities.home import article_homes
from graph.entities.home import levels as home_levels
from graph.records import (
    Entity,
    EntityType,
    Home,
    Mention,
    Sentence,
)
from graph.relations import patterns as P
from graph.text.normalize import normalize_name

T = EntityType


_LOCATIVE_REST = re.compile(r"^(?:[东西南北中]部|地区|境内|市区|城区|全市|全区|本地|一带)")
# A local subsidiary's legal name: the parent's name, the place in brackets, the rest.


def _alternation(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names``, longest first at each position."""
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


# --- places: levels, codes, names --------------------------------------------------------


class _Places:
    """The places among the entities: their codes, levels and the names to find them by."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.code: dict[str, str] = {}
        self.by_code: dict[str, str] = {}
        self.names: list[tuple[str, str]] = []  # (normalized name, place id), longest first
        self.ends: dict[str, set[str]] = {}
        for e in entities:
            if e.type is not T.PLACE:
                continue
            code = next((v for k, v in e.external if k == "adcode" and v.isdigit()), "")
            if code:
                code = code.ljust(12, "0")[:12]
                self.code[e.id] = code
                self.by_code.setdefault(code, e.id)
            names = {normalize_name(n) for n in (e.name, *e.aliases)}
            self.ends[e.id] = {n[-1] for n in names if n}
            self.names.extend((n, e.id) for n in names if len(n) >= 2)
        self.names.sort(key=lambda item: -len(item[0]))
        self._place_of: dict[str, str] = {}
        for name, place in self.names:
            self._place_of.setdefault(name, place)
        self._pattern = _alternation(self._place_of)

    def levels(self, place: str) -> set[str]:
        """``province``, ``city`` and/or ``district`` (a county-level city is both of the last two)."""
        code = self.code.get(place)
        if code:
            # below the county a town; else as graph.entities.home reads a 6-digit code
            return home_levels(code) if code[6:] == "0" * 6 else {"town"}
        ends = self.ends.get(place, set())
        out = set()
        if "省" in ends:
            out.add("province")
        if "市" in ends:
            out.add("city")
        if ends & {"区", "县"}:
            out.add("district")
        return out

    def ancestors(self, place: str) -> list[str]:
        """Places among the entities whose code contains this place's code, nearest first."""
        code = self.code.get(place)
        if not code:
            return []
        out = []
        for keep in (9, 6, 4, 2):
            parent = code[:keep].ljust(12, "0")
            if parent != code and parent in self.by_code and self.by_code[parent] != place:
                out.append(self.by_code[parent])
        return out

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, place id) occurrences of place names in ``text``."""
        if self._pattern is None:
            return []
        return [
            (m.start(), m.end(), self._place_of[m.group()]) for m in self._pattern.finditer(text)
        ]


def _homes_of(
    sentences: Sequence[Sentence], mentions: Sequence[Mention], places: _Places
) -> dict[str, Home]:
    """The articles' homes from their sentences and their coded place mentions."""
    coded = [
        (m.article_id, places.code[m.entity_id][:6]) for m in mentions if m.entity_id in places.code
    ]
    return article_homes(sentences, coded)


def home_places(
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    by_id: dict[str, Entity],
    places: _Places | None = None,
    home_of: Home | None = None,
) -> dict[str, str]:
    """The entities an article speaks of as 我区 (``district``), 我市 (``city``), 我省 (``province``).

    ``home_of`` is the article's home (:mod:`graph.home`); without it, it is computed from
    the sentences and the coded places among the mentions. ``topic`` is the single place
    the article is about, used for sentences without a subject; ``author`` is that place
    when a byline says the article is its own account. Bare bodies (``body:市委``) and
    one-character short forms (``abbr:坛``) of the home places are added.
    """
    places = places or _Places(by_id.values())
    if home_of is None:
        home_of = next(iter(_homes_of(sentences, mentions, places).values()), None)
    home: dict[str, str] = {}
    if home_of is None:
        return home
    for key in ("district", "city", "province", "topic"):
        code = getattr(home_of, key)
        entity = places.by_code.get(code.ljust(12, "0")) if code else None
        if entity:
            home[key] = entity
    if home_of.author and "topic" in home:
        home["author"] = home["topic"]
    home.update(_home_bodies(home, by_id))
    home.update(_home_abbreviations(home, by_id))
    return home


def _home_bodies(home: dict[str, str], by_id: dict[str, Entity]) -> dict[str, str]:
    """The organizations bare 市委/市政府/区委… stand for: the home place's, when known.

    For home city 常州 and an Organization named 常州市人民政府 (or 常州市政府),
    ``body:市政府`` maps to it; ``body:区委`` to 金坛区委 / 中共常州市金坛区委 alike.
    """
    orgs: dict[str, str] = {}
    for e in by_id.values():
        if e.type is T.ORGANIZATION:
            for n in (e.name, *e.aliases):
                orgs.setdefault(normalize_name(n), e.id)
    out: dict[str, str] = {}
    for word, (level, unit, tails) in P.HOME_BODIES.items():
        place = by_id.get(home.get(level, ""))
        if place is None:
            continue
        cores = {re.sub("[省市区县]$", "", normalize_name(n)) for n in (place.name, *place.aliases)}
        wanted = {f"{core}{unit}{tail}" for core in cores for tail in tails}
        wanted |= {"中共" + w for w in wanted}
        found = next((orgs[w] for w in sorted(wanted) if w in orgs), None)
        if found is None and unit in ("区", "县"):
            # 中共常州市金坛区委: a district body named with its city first.
            found = next((i for n, i in orgs.items() if any(n.endswith(w) for w in wanted)), None)
        if found:
            out[f"body:{word}"] = found
    return out


def _home_abbreviations(home: dict[str, str], by_id: dict[str, Entity]) -> dict[str, str]:
    """One-character short forms of the article's places: 坛 for 金坛, 常 for 常州 (来常投资).

    A character shared by the district and the city of the article stands for neither.
    """
    out: dict[str, str] = {}
    shared: set[str] = set()
    for level in ("district", "city"):
        place = by_id.get(home.get(level, ""))
        if place is None:
            continue
        core = re.sub("[省市区县]$", "", normalize_name(place.name))
        for ch in core:
            key = f"abbr:{ch}"
            if key in out and out[key] != place.id:
                shared.add(key)
            out.setdefault(key, place.id)
    return {k: v for k, v in out.items() if k not in shared}


def _place_in_name(name: str, places: _Places, *, curated: bool = True) -> str | None:
    """The place a name locates its bearer in: a bracketed place, else the last coded place.

    中德（常州）创新产业园 → 常州; 中共常州市金坛区委 → 金坛; 溧阳长三角物理研究中心 → 溧阳;
    长三角青年创新创业港 → nothing (a region names a scope). A name that is only a place
    locates nothing.
    """
    hits = [
        h for h in places.find(name) if h[1] < len(name) and not _LOCATIVE_REST.match(name[h[1] :])
    ]
    for start, end, place in hits:
        if start > 0 and name[start - 1] in "（(" and name[end : end + 1] in ("）", ")"):
            return place
    # Only administrative divisions: a region in a name is its scope (长三角物理研究中心).
    coded = [h for h in hits if h[2] in places.code]
    if not curated:
        # A name a weak recognizer cut out of running text (历届金坛区委, 壮大金坛新能源) only
        # counts when it starts with the place, as legal names do.
        coded = [h for h in coded if h[0] == 0 or name[: h[0]] in ("中共", "中国")]
    return coded[-1][2] if coded else None


def _is_region(text: str, places: _Places) -> bool:
    """Is ``text`` (the bracket of a legal name) a place: a known place or a division name?"""
    return (
        bool(places.find(text))
        or re.sub("(省|市|自治区|特别行政区)$", "", text) in _division_names()
    )


@cache
def _division_names() -> frozenset[str]:
    """Province and prefecture names from the gazetteer, without their suffix (四川, 宜宾)."""
    path = Path(__file__).parent.with_name("data") / "adcodes.tsv"
    names: set[str] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            code, _, name = line.partition("\t")
            if code.isdigit() and code.endswith("00") and name:
                names.add(
                    re.sub(
                        "(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", name
                    )
                )
    return frozenset(names)
