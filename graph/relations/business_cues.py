"""The cue words of business news (``graph/data/business_cues.tsv``) and the tests built on them.

Shared by the core rules (is a gap the sign of someone else leading, of parties acting
apart, of an agreement not made?) and the business rules (:mod:`graph.relations.business`),
with the helpers that turn their matches into facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from itertools import combinations

from graph.records import RelationType
from graph.relations import patterns as P
from graph.relations.view import Fact, View

R = RelationType

CUES_FILE = resources.files("graph") / "data" / "business_cues.tsv"


@cache
def cues() -> dict[str, tuple[str, ...]]:
    """The cue words by name, longest first, read once from ``business_cues.tsv``."""
    table: dict[str, tuple[str, ...]] = {}
    for line in CUES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, words = line.partition("\t")
        table[name.strip()] = tuple(
            sorted({w.strip() for w in words.split("|") if w.strip()}, key=len, reverse=True)
        )
    return table


def _alt(name: str) -> str:
    return "(?:" + "|".join(re.escape(w) for w in cues()[name]) + ")"


def _fact(head: str, rel: RelationType, tail: str, method: str, conf: float) -> Fact:

    return Fact(head, rel, tail, method, conf)


def _each(
    heads: Sequence[str], rel: RelationType, tails: Sequence[str], method: str, conf: float
) -> Iterator[Fact]:
    for head in heads:
        for tail in tails:
            if head != tail:
                yield _fact(head, rel, tail, method, conf)


def _pairs(parties: Iterable[str], method: str, conf: float) -> Iterator[Fact]:
    for a, b in combinations(sorted(set(parties)), 2):
        yield _fact(a, R.PARTNERS_WITH, b, method, conf)


def _cross(first: Sequence[str], second: Sequence[str], method: str, conf: float) -> Iterator[Fact]:
    for a in first:
        for b in second:
            if a != b:
                yield _fact(min(a, b), R.PARTNERS_WITH, max(a, b), method, conf)


# Plain text inside a clause, and the same with places and named documents allowed
# (A与B在深圳签署《战略合作框架协议》).
_TEXT = P.GAP_CHAR
_OPEN = f"(?:{P.GAP_CHAR}|{P.PLACE}|{P.POLICY})"


# A stock code or short note after a name: 中国平安（601318）旗下, 宁德时代(300750.SZ)全资子公司.
_CODE = "(?:[（(][^（()）]{1,14}[）)])?"


def _span(most: int, chars: str = _TEXT) -> str:
    return f"{chars}{{0,{most}}}?"


# Words that make the gap before a chain's leader noun say that someone else is the leader
# (A为新能源汽车龙头提供电池); 成为/作为 only say what A is.
_FOR_OTHER = re.compile("为|向|给|与|同|对|跟|帮|替|供|和")
_BEING = re.compile("成为|作为|视为|称为|列为|认定为|评为|誉为|^[均皆都也亦同仍已]?为")


def serves_other(gap: str) -> bool:
    """Does the text between a company and a leader noun make someone else the leader?"""
    return bool(_FOR_OTHER.search(_BEING.sub("", gap)))


@cache
def _aspire() -> re.Pattern[str]:
    return re.compile(_alt("aspire"))


def not_a_leader(gap: str) -> bool:
    """Does the text between a company and a leader noun say it serves one or only hopes to be one?"""
    return serves_other(gap) or bool(_aspire().search(gap))


@cache
def _not_done() -> re.Pattern[str]:
    return re.compile(_alt("not_done"))


@cache
def _unsigned() -> re.Pattern[str]:
    """The agreement is not signed yet: 协议尚未签署, 合作仍未正式达成."""
    return re.compile(f"{_alt('not_done')}(?:正式|完成|最终|如期)?{_alt('signing')}")


@cache
def _place_noun() -> re.Pattern[str]:
    return re.compile(f"{P.QUOTE}{_alt('place_noun')}")


# Parties other than places: 与金坛企业合作 names firms of 金坛, not 金坛 itself.
_NOT_PLACE = P.slot_class(P.EntityType.COMPANY, P.EntityType.PLATFORM, P.EntityType.ORGANIZATION)


def unsigned_after(clause: str, end: int) -> bool:
    """Does ``clause`` say from ``end`` on that the agreement is not signed yet (协议尚未签署)?"""
    return bool(_unsigned().search(clause, end))


# A place opening a firm's name the recognizer did not find: 与柳州市投资控股集团合资.
_FIRM_AFTER_PLACE = re.compile(
    f"{P.QUOTE}[^{P.CLAUSE_END}{P.ANY_SLOT[1:-1]}、与和及同跟]{{0,10}}?(?:集团|公司)"
)


def named_parties(view: View, text: str, clause: str, end: int) -> list[str]:
    """The parties named in ``text``, without the places that only modify the noun at ``end``
    (与金坛企业合作) or open the name of a firm not recognized (与柳州市投资控股集团合资)."""
    modified = _place_noun().match(clause, end) or _FIRM_AFTER_PLACE.match(clause, end)
    return view.ids(text, _NOT_PLACE if modified else P.PARTY)


def object_of_with(clause: str, start: int) -> bool:
    """Do the parties at ``start`` follow a with-word (我们与B、C合作): objects, not one subject."""
    return start > 0 and clause[start - 1] in "与和同跟"


@cache
def _own_subject() -> re.Pattern[str]:
    return re.compile(_alt("own_subject"))


@cache
def _event() -> re.Pattern[str]:
    return re.compile(_alt("event"))


# An enumeration of parties that each act on their own or take part in something larger.
_SEPARATELY = re.compile("等|分别|各自|均|都|参与|参加|各")
# After the second party: it heads a longer list (A与B等企业…).
_LISTED = re.compile('^[”’"]?等|参与|参加|均|都|各自')
# A signing that settles an investment (签约落户, 集中签约项目) is with the host, not between the signers.
_SETTLING = re.compile("(?:仪式上)?(?:落户|入驻|落地|开工|项目)")


def apart(gap: str) -> bool:
    """Does the text after an enumeration of parties say each acts on its own (等, 分别, 均)?"""
    return bool(_SEPARATELY.search(gap))


@cache
def _planned() -> re.Pattern[str]:
    return re.compile(_alt("plan"))


def planned(gap: str) -> bool:
    """Does the text between the parties and what they build make it a plan (拟共建)?"""
    return bool(_planned().search(gap))


def undone(text: str) -> bool:
    """Does ``text`` say an agreement or cooperation stopped, failed or is only sought?"""
    return bool(_not_done().search(text))


def _several(text: str) -> bool:
    """Does a clause say every named party signed with every other (三方协议, 多方合作)?"""
    return bool(re.search("[三四五多]方", text))
