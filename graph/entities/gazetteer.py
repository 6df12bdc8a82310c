"""China's administrative divisions with their codes and parents, plus countries and regions.

The division table (``graph/data/adcodes.tsv``) lists provinces, prefectures and
counties with their 6-digit codes; a unit's parent follows from its code
(``320413`` 金坛区 → ``320400`` 常州市 → ``320000`` 江苏省). Each unit is found
under its full name and under its short form (溧阳市 → 溧阳), unless the short
form is an ordinary word (``graph/data/place_stop.txt``).

Below the county, townships and streets (``graph/data/gazetteer/towns.tsv``, 9-digit
codes: 直溪镇 ``320413103`` → 金坛区) are found under their full names only; the
recognizer accepts one only when its county or city is named in the same article.
``graph/data/gazetteer/`` also holds listed companies (:func:`load_listings`) and
universities (:func:`load_universities`); ``scripts/build_gazetteers.py`` makes these
tables from public lists (see NOTICE).

>>> gaz = load_gazetteer()
>>> [d.code for d in gaz.find("溧阳")], gaz.parent("320413").name
(['320481'], '常州市')
>>> gaz.parent(gaz.find("直溪镇")[0].code).name
'金坛区'
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

DATA = resources.files("graph") / "data"

# Suffixes that make a short form when stripped, longest first.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# Ethnic groups in the names of autonomous units (延边朝鲜族自治州 → 延边).
_ETHNIC = re.compile(
    r"(汉|蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|"
    r"柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|"
    r"塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各)族$|维吾尔$"
)


@dataclass(frozen=True, slots=True)
class Division:
    """One place: an administrative unit (with a code) or a country/region (without)."""

    name: str
    code: str = ""
    level: int = 0  # 1 province, 2 prefecture, 3 county, 4 township; 0 for countries, regions
    aliases: tuple[str, ...] = ()


def short_form(name: str) -> str:
    """The name without its administrative suffix, or ``""`` when too short.

    >>> short_form("溧阳市"), short_form("延边朝鲜族自治州"), short_form("城区")
    ('溧阳', '延边', '')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") or suffix == "自治区":
                while (m := _ETHNIC.search(stem)) and len(stem) - len(m.group()) >= 2:
                    stem = stem[: m.start()]
            return stem if len(stem) >= 2 else ""
    return ""


def _level(code: str) -> int:
    if len(code) > 6:
        return 4
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


@dataclass
class Gazetteer:
    """Places by code and by every name they are found under."""

    by_code: dict[str, Division] = field(default_factory=dict)
    names: dict[str, list[Division]] = field(default_factory=lambda: defaultdict(list))
    short_names: set[str] = field(default_factory=set)
    town_names: set[str] = field(default_factory=set)  # names only townships have

    def add(self, division: Division, *, short: bool = True) -> None:
        if division.code:
            self.by_code[division.code] = division
        for name in (division.name, *division.aliases):
            if division not in self.names[name]:
                self.names[name].append(division)
        if short and division.code:
            stem = short_form(division.name)
            if stem and stem not in _stop_words() and division not in self.names[stem]:
                self.names[stem].append(division)
                self.short_names.add(stem)

    def find(self, name: str) -> list[Division]:
        """Every place known under ``name``, highest level first."""
        return sorted(self.names.get(name, ()), key=lambda d: (d.level or 9, d.code))

    def parent(self, code: str) -> Division | None:
        """The unit one level up from ``code`` (town → county → prefecture → province)."""
        if code.endswith("0000") and len(code) == 6:
            return None
        if len(code) > 6:
            candidates = [code[:6], code[:4] + "00", code[:2] + "0000"]
        elif not code.endswith("00"):
            candidates = [code[:4] + "00", code[:2] + "0000"]
        else:
            candidates = [code[:2] + "0000"]
        for parent in candidates:
            if parent in self.by_code and parent != code:
                return self.by_code[parent]
        return None

    def ancestors(self, code: str) -> list[str]:
        """Codes of every unit above ``code``, nearest first."""
        found = []
        while (up := self.parent(code)) is not None:
            found.append(up.code)
            code = up.code
        return found


# Township-level names the recognizer matches (zones and farms of the same table are left out:
# 开发区 and 园区 are platforms, and their names are found by the platform rules).
_TOWN_ENDS = ("镇", "乡", "街道", "苏木")
# County-level units of the newer table that are zones, not places (石家庄高新技术产业开发区).
_ZONE = re.compile(
    r"(?:开发区|园区|新区|示范区|管理区|新城|基地|实验区|试验区|合作区|保税区|港区|机场|场)$"
)


def _rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    rows = [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    return rows[1:]  # the header


@cache
def _stop_words() -> frozenset[str]:
    text = (DATA / "place_stop.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic tables: with spaCy
    loaded, the collections that tens of thousands of new objects trigger cost more than
    the building itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once)."""
    with no_gc():
        return _load_gazetteer()


def _load_gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    for code, name in _rows("adcodes.tsv"):
        gaz.add(Division(name.strip(), code.strip(), _level(code.strip())))
    for code, name in _rows("gazetteer/counties.tsv"):
        unit = Division(name, code, _level(code))
        if _ZONE.search(name):
            gaz.by_code[code] = unit  # a parent for its towns, not a place name to match
        else:
            gaz.add(unit)
    others = set(gaz.names)
    for code, name in _rows("gazetteer/towns.tsv"):
        if name.endswith(_TOWN_ENDS):  # codes are unique: no need for add()'s duplicate check
            town = gaz.by_code[code] = Division(name, code, 4)
            gaz.names[name].append(town)
            gaz.town_names.add(name)
    for row in _rows("places_extra.tsv"):
        aliases = tuple(a for a in (row[1].split("|") if len(row) > 1 else ()) if a)
        gaz.add(Division(row[0].strip(), aliases=aliases), short=False)
        others.update((row[0].strip(), *aliases))
    gaz.town_names -= others
    return gaz


@dataclass(frozen=True, slots=True)
class Listing:
    """A listed company: stock code (``300750.SZ``), short and full name, place code."""

    code: str
    short: str
    full: str
    place: str = ""


@dataclass(frozen=True, slots=True)
class University:
    """A higher-education institution: Ministry of Education code, name, city code."""

    code: str
    name: str
    city: str = ""


@cache
def load_listings() -> dict[str, tuple[Listing, ...]]:
    """Listed companies by every name they are found under (short and full; the table holds
    them normalized, as :func:`graph.text.normalize.normalize_name` gives them).

    >>> [x.code for x in load_listings()["宁德时代新能源科技股份有限公司"]]
    ['300750.SZ']
    """
    found: dict[str, list[Listing]] = defaultdict(list)
    with no_gc():
        for row in _rows("gazetteer/companies.tsv"):
            listing = Listing(*row) if len(row) == 4 else Listing(*[*row, "", "", ""][:4])
            for name in {listing.short, listing.full} - {""}:
                found[name].append(listing)
        return {name: tuple(items) for name, items in found.items()}


@cache
def load_universities() -> dict[str, University]:
    """Universities and colleges by name.

    >>> load_universities()["常州大学"].city
    '320400'
    """
    with no_gc():
        rows = [r + [""] * (3 - len(r)) for r in _rows("gazetteer/universities.tsv")]
        return {name: University(code, name, city) for code, name, city in rows}
