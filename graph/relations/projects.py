"""Project rules: where a project is and who builds it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.records import EntityType, RelationType
from graph.relations import patterns as P
from graph.relations.industry import _NOT_OWN_MAKE
from graph.relations.located import _OTHER_UNIT, _PLACE_OR_PLATFORM, _finest
from graph.relations.partners import _BUILDER
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- projects --------------------------------------------------------------------------

_PROJECT_VERB = f"(?:总投资|投资|投建|签约|实施|推进|启动|{P.PLANT_CUES})"
# 在P投资的X项目, 在P签约了A、B项目: the projects are in P.
_PROJECT_IN = re.compile(
    f"在(?P<p>{P.WHERE})(?:内|境内)?{P.gap(4)}{_PROJECT_VERB}(?:了)?的?{P.gap(12)}"
    f"(?P<t>{P.enum(P.PROJECT)})"
)
# X项目落户P / 于P开工 / 选址P: the project is in P.
_PROJECT_AT = re.compile(
    f"(?P<t>{P.enum(P.PROJECT)}){P.gap(10)}(?:在|于|落户|落地|入驻|选址|位于|坐落于)(?:于|在)?"
    f"(?P<p>{P.WHERE})"
)
# A投资建设X项目, A在P新建的X项目: the company builds it (not 为A建设, 与A合作建设).
_BUILDS_PROJECT = re.compile(
    f"(?<![为给替帮向与和同])(?P<a>{P.enum(_BUILDER)}){P.gap(25)}(?:在{P.WHERE})?{P.gap(6)}"
    f"(?:投资建设|投资|投建|建设|新建|兴建|扩建|启动|实施){P.gap(2)}的?{P.gap(12)}"
    f"(?P<t>{P.enum(P.PROJECT)})"
)


# 双良硅材料（包头）有限公司的40GW单晶硅棒项目三期: a company's own project, right after it.
_OWNED_PROJECT = re.compile(
    f"(?<![为给替帮向与和同、及])(?P<a>{P.COMPANY}){P.QUOTE}的?{P.QUOTE}(?P<t>{P.PROJECT})"
)


def projects(view: View) -> Iterator[Fact]:
    """A project is in the place or park its clause names and built by its company.

    在P投资建设X项目 / X项目落户P / X项目于P开工 → X in P (a park is resolved to its
    place, and X is part of it); A投资建设X项目 → X built by A, unless the clause says A
    acts for another (为A, A的子公司).
    """
    for _, clause, _own in view.effective_clauses():
        for pattern in (_PROJECT_IN, _PROJECT_AT):
            for m in pattern.finditer(clause):
                places = view.ids(_finest(m.group("p")), _PLACE_OR_PLATFORM)
                heads = view.ids(m.group("t"), P.PROJECT)
                yield from _facts(heads, R.LOCATED_IN, places, "project-place", 0.85)
        for m in _BUILDS_PROJECT.finditer(clause):
            between = clause[m.end("a") : m.start("t")]
            if _OTHER_UNIT.search(between) or _NOT_OWN_MAKE.search(between):
                continue
            targets = view.ids(m.group("t"), P.PROJECT)
            builders = view.ids(m.group("a"), _BUILDER)
            yield from _facts(targets, R.BUILT_BY, builders, "project-builder", 0.8)
        for m in _OWNED_PROJECT.finditer(clause):
            if not re.match(f"{P.QUOTE}{P.COMPANY}", clause[m.end() :]):
                yield from _facts(
                    view.ids(m.group("t")), R.BUILT_BY, view.ids(m.group("a")), "owned-project", 0.8
                )


# A与P签约，投资45亿元建设X项目 / P与A、B签订投资协议，分别建设X和Y: what a company signs
# with a park or a government to build it builds, and the project is in that park or place.
_HOST = P.slot_class(EntityType.PLACE, EntityType.PLATFORM, EntityType.ORGANIZATION)
_SIGNED = "(?:签约|签订[^，,。；;]{0,12}协议|签署[^，,。；;]{0,12}协议)"
_SIGN_THEN_BUILD = (
    f"[，,](?:{P.gap(16)})?(?P<each>分别)?(?:{P.gap(14)})?"
    f"(?:投资建设|投资新建|建设|投建|新建|兴建|布局|实施)(?P<t>{P.enum(P.PROJECT)})"
)
_COMPANY_SIGNS = re.compile(
    f"(?<![为给替帮向与和同、])(?P<a>{P.enum(P.COMPANY)})(?:等企业)?与(?P<h>{P.enum(_HOST)})"
    f"{_SIGNED}{_SIGN_THEN_BUILD}"
)
_HOST_SIGNS = re.compile(
    f"(?:(?P<h>{P.enum(_HOST)})|(?:^|(?<=[，,。；;]))[^，,。；;{P.ANY_SLOT[1:-1]}]{{0,8}}?(?:区|园|管委会|政府))"
    f"与(?P<a>{P.enum(P.COMPANY)})(?:等企业)?{_SIGNED}{_SIGN_THEN_BUILD}"
)


def signed_builds(view: View) -> Iterator[Fact]:
    """What a company signs with a park or government to build, it builds, in that park.

    A与经开区签约，投资45亿元建设X项目 → X built by A, X in the park (a place or park
    host only: a government body is no location); with 分别 and as many companies as
    projects, each company builds its own (欣旺达、科达利…分别建设X和Y).
    """
    for pattern in (_COMPANY_SIGNS, _HOST_SIGNS):
        for m in pattern.finditer(view.template):
            builders = view.ids(m.group("a"), P.COMPANY)
            targets = view.ids(m.group("t"), P.PROJECT)
            if m.group("each") and len(builders) == len(targets) > 1:
                pairs = [([t], [b]) for t, b in zip(targets, builders, strict=True)]
            else:
                pairs = [(targets, builders)]
            for heads, tails in pairs:
                yield from _facts(heads, R.BUILT_BY, tails, "sign-build", 0.8)
            hosts = view.ids(m.group("h") or "", _PLACE_OR_PLATFORM)
            if len(hosts) == 1:
                yield from _facts(targets, R.LOCATED_IN, hosts, "sign-build", 0.8)


# 位于P的X项目: the project is in P; 在P，A有限公司年产…项目投产: a sentence opening with 在P
# places the projects of the clause after it.
_LIES_IN = re.compile(f"(?:位于|地处|坐落于)(?P<p>{P.WHERE})(?:内)?的(?P<t>{P.enum(P.PROJECT)})")
_OPENS_IN = re.compile(
    f"^[^，,。；;{P.ANY_SLOT[1:-1]}]{{0,10}}?在(?P<p>{P.WHERE})(?:内|境内)?[，,](?P<t>[^，,。；;]*)"
)


def placed_projects(view: View) -> Iterator[Fact]:
    """A project is in the place or park that modifies it or opens its sentence.

    位于P的X项目 → X in P; 在P，A年产…项目顺利投产 → X in P (the clause right after 在P，
    only, and only its projects).
    """
    for pattern in (_LIES_IN, _OPENS_IN):
        for m in pattern.finditer(view.template):
            places = view.ids(_finest(m.group("p")), _PLACE_OR_PLATFORM)
            heads = view.ids(m.group("t"), P.PROJECT)
            yield from _facts(heads, R.LOCATED_IN, places, "placed-project", 0.85)
