"""hasRole and issuedBy rules: a person's role at a unit, a policy and who issued it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from graph.records import EntityType, RelationType
from graph.relations import patterns as P
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- hasRole ------------------------------------------------------------------------------

_ROLE_AT_END = re.compile(f"(?P<roles>{P.ROLE_SEQ})[\\s:：]*$")
_HOLDER_AT_END = re.compile(
    f"(?P<holder>{P.HOLDER}){P.QUOTE}(?P<unit>[^{P.CLAUSE_END}、\\s{P.ANY_SLOT[1:-1]}]{{0,10}})$"
)
_UNIT = P.slot_class(EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLATFORM)
# 经开区党工委书记、管委会主任: a post at an unnamed body of the same holder, after 、.
_UNNAMED_UNIT = re.compile(
    f"、[^{P.CLAUSE_END}、\\s{P.ANY_SLOT[1:-1]}]{{0,4}}(?:会|委|局|办|部|组|处)$"
)
# A government post is not held at a party committee (市委副书记、市长: 市长 is not at 市委).
_GOVERNMENT_ROLE = re.compile("^(?:常务)?副?(?:市长|区长|县长|省长|镇长)$")
# Roles that name their body: 区委书记 of the district the article is about.
_HOME_ROLES = (
    ("区委", "district"),
    ("区长", "district"),
    ("副区长", "district"),
    ("市委", "city"),
    ("市长", "city"),
    ("副市长", "city"),
    ("县委", "district"),
    ("县长", "district"),
)


# 黄和院士领衔的…研究院: the person heads the unit; an honorific title may sit between.
_HEADS_UNIT = re.compile(
    f"(?P<p>{P.PERSON})(?:院士|教授|研究员|博士|专家)?(?:团队)?(?P<v>领衔|牵头|挂帅|带领)"
    f"(?:组建|创办|建设|成立)?的{P.QUOTE}(?P<u>{P.HOLDER})"
)


@cache
def _cues() -> dict[str, str]:
    """graph/data/role_cues.tsv as one alternation per kind."""
    text = (resources.files("graph") / "data" / "role_cues.tsv").read_text(encoding="utf-8")
    cues: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, words = line.partition("\t")
            alts = sorted({w for w in words.strip().split("|") if w}, key=len, reverse=True)
            cues[kind.strip()] = "(?:" + "|".join(map(re.escape, alts)) + ")"
    return cues


@cache
def _verb_title() -> re.Pattern[str]:
    """地处长江: 处 belongs to the verb before it, so no 处长 follows."""
    cues = _cues()
    return re.compile(f"{cues['verb_before']}$")


@cache
def _unit_end() -> re.Pattern[str]:
    return re.compile(f"{_cues()['unit_ends']}$")


@cache
def _anaphor_at_end() -> re.Pattern[str]:
    """，学院党委书记: a unit named again by its kind, opening its clause (or after 该/本)."""
    return re.compile(f"(?:^|[，,；;：:。])(?:该|本)?(?P<n>{_cues()['anaphors']})$")


def _antecedent(view: View, end: int, noun: str) -> str | None:
    """The unit of kind ``noun`` named last before template position ``end``."""
    found = None
    for index, slot in enumerate(view.slots):
        if slot.type not in (EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLATFORM):
            continue
        at = view.template.find(P.slot(slot.type, index))
        if at < 0 or at >= end:
            continue
        name = view.text[slot.start : slot.end]
        company = slot.type is EntityType.COMPANY and noun in ("公司", "集团", "企业")
        if company or name.endswith(noun):
            found = slot.entity_id
    return found


def _swallowed(prefix: str, roles: str) -> bool:
    """Is the title at the end of ``prefix`` the second half of a verb (地处长江南岸)?"""
    if not re.match(_cues()["verb_titles"], roles):
        return False
    return bool(_verb_title().search(prefix))


def has_role(view: View) -> Iterator[Fact]:
    """Office holders: <organization><role> <person>, chained with 、 for several posts.

    Also a person who heads a unit (张三院士领衔的X研究院), with the verb as the role.
    """
    template = view.template
    for m in _HEADS_UNIT.finditer(template):
        units = view.ids(m.group("u"), _UNIT)
        yield from _facts(view.ids(m.group("p")), R.HAS_ROLE, units, "heads", 0.8, m.group("v"))
    for index, slot in enumerate(view.slots):
        if slot.type is not EntityType.PERSON:
            continue
        pos = template.index(P.slot(EntityType.PERSON, index))
        prefix = template[:pos]
        first = True
        while True:
            m = _ROLE_AT_END.search(prefix)
            if not m:
                break
            roles = [r for r in re.split("[兼、及]", m.group("roles")) if r]
            if _swallowed(prefix[: m.start()], m.group("roles")):
                break  # 地处长江南岸: no title here
            prefix = prefix[: m.start()]
            h = _HOLDER_AT_END.search(prefix)
            if (
                h
                and h.group("unit")
                and P.slot_type(h.group("holder")[0]) is EntityType.COMPANY
                and not _unit_end().search(h.group("unit"))
            ):
                break  # 上汽通用五菱副总经理: the company is only the opening of a longer name
            if h and h.group("unit") and P.slot_type(h.group("holder")[0]) is EntityType.PLACE:
                # 香港分公司董事, 北京地区客户总监: an unnamed body in the place, not the place.
                break
            if h:
                holder = view.ids(h.group("holder"), P.HOLDER)
                body = view.slots[P.slot_index(h.group("holder")[0]) or 0]
                committee = view.text[body.start : body.end].endswith("委")
                for role in roles:
                    if committee and _GOVERNMENT_ROLE.match(role):
                        continue
                    yield from _facts([slot.entity_id], R.HAS_ROLE, holder, "title", 0.9, role)
                prefix = prefix[: h.start()]
            elif (u := _UNNAMED_UNIT.search(prefix)) and _ROLE_AT_END.search(prefix[: u.start()]):
                # X党工委书记、管委会主任: the posts before 、 are still X's.
                prefix = prefix[: u.start()]
                first = False
                continue
            elif (
                first
                and (a := _anaphor_at_end().search(prefix))
                and (unit := _antecedent(view, a.start("n"), a.group("n")))
            ):
                # 湖北某学院与…签约，学院党委书记B表示: the 学院 named before.
                for role in roles:
                    yield Fact(slot.entity_id, R.HAS_ROLE, unit, "title", 0.8, role)
                break
            elif first:
                for role in roles:
                    level = next((lv for cue, lv in _HOME_ROLES if role.startswith(cue)), None)
                    if level and view.home.get(level):
                        yield Fact(
                            slot.entity_id, R.HAS_ROLE, view.home[level], "title-home", 0.8, role
                        )
                break
            else:
                break
            first = False
            if not prefix.endswith("、"):
                break
            prefix = prefix[:-1]


# --- issuedBy ---------------------------------------------------------------------------------

_ISSUE = re.compile(
    f"(?P<s>{P.enum(P.ISSUER)}){P.gap(20)}{P.ISSUE_CUES}(?P<rest>[^{P.CLAUSE_END}]*)"
)
# Without an issuer only what governments do (出台, 印发) is the article's place's: anyone
# 发布s a ranking (会上发布了《…榜》 after 胡润研究院举行发布会).
_ISSUE_BARE = re.compile(f"^{P.gap(8)}(?:出台|印发|制定|颁布)(?:了)?(?P<rest>[^{P.CLAUSE_END}]*)")


def issued_by(view: View) -> Iterator[Fact]:
    """A place or body that issues, proposes or publishes a named policy."""
    has_issuer = bool(view.ids(view.template, P.ISSUER))
    home = view.home.get("topic")
    for _, clause, own in view.effective_clauses():
        m = _ISSUE.search(clause)
        if m:
            yield from _facts(
                view.ids(m.group("rest"), P.POLICY),
                R.ISSUED_BY,
                view.ids(m.group("s"), P.ISSUER),
                "issue",
                0.9,
            )
        elif home and not has_issuer:
            b = _ISSUE_BARE.match(own)
            if b:
                yield from _facts(
                    view.ids(b.group("rest"), P.POLICY), R.ISSUED_BY, [home], "issue-home", 0.7
                )
