"""China's administrative divisions with their codes and parents, plus countries and regions.

The division table (``graph/data/adcodes.tsv``) lists provinces, prefectures and
counties with their 6-digit codes; a unit's parent follows from its code
(``320413`` 金坛区 → ``320400`` 常州市 → ``320000`` 江苏省). Each unit is found
under its full name and under its short form (溧阳市 → 溧阳), unless the short
form is an ordinary word (``graph/data/place_stop.txt``).

>>> gaz = load_gazetteer()
>>> [d.code for d in gaz.find("溧阳")], gaz.parent("320413").name
(['320481'], '常州市')
"""

from __future__ import annotations

import re
from collections import defaultdict
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
    level: int = 0  # 1 province, 2 prefecture, 3 county; 0 for countries and regions
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
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


@dataclass
class Gazetteer:
    """Places by code and by every name they are found under."""

    by_code: dict[str, Division] = field(default_factory=dict)
    names: dict[str, list[Division]] = field(default_factory=lambda: defaultdict(list))
    short_names: set[str] = field(default_factory=set)

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
        """The unit one level up from ``code`` (county → prefecture → province)."""
        if code.endswith("0000"):
            return None
        candidates = (
            [code[:4] + "00", code[:2] + "0000"] if not code.endswith("00") else [code[:2] + "0000"]
        )
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


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once)."""
    gaz = Gazetteer()
    for code, name in _rows("adcodes.tsv"):
        gaz.add(Division(name.strip(), code.strip(), _level(code.strip())))
    for row in _rows("places_extra.tsv"):
        aliases = tuple(a for a in (row[1].split("|") if len(row) > 1 else ()) if a)
        gaz.add(Division(row[0].strip(), aliases=aliases), short=False)
    return gaz
