"""Projects as news names them, and who builds them: a sentence is composed from a builder,
a way of building and a project name, and the whole name must come back as one project
(no verb, 的 or company inside it) built by that builder. Names, builders and verbs are
crossed, so a rule fitted to one sentence does not pass."""

from __future__ import annotations

from functools import cache

import pytest
from stages import run_stages

from graph.entities import recognize as entities
from graph.records import EntityType, RelationType

NAMES = [
    "年产2万吨高端磁材及组件项目（三期）",
    "高端制剂国际化项目（一期）",
    "储能电池模组项目",
    "年产10GWh动力电池项目二期",
    "负极材料一体化基地项目",
]
# (sentence with {a} for the builder and {x} for the project, builder)
BUILDS = [
    ("{a}投资建设的{x}在园区开工。", "国轩高科"),
    ("{x}由{a}投资建设，总投资50亿元。", "欣旺达"),
    ("{x}由{a}承建。", "华东医药"),
    ("{a}在新站高新区布局{x}。", "国轩高科"),
    ("{a}的{x}于今年3月开工。", "杉杉股份"),
    ("{a}与合肥经济技术开发区签约，投资45亿元建设{x}。", "欣旺达"),
]


@cache
def _run(text: str) -> tuple[dict[str, EntityType], set[tuple[str, str]]]:
    mentions, _, facts, names, *_ = run_stages(text, entities.load_table(), "t")
    found = {m.text: m.type for m in mentions}
    built = {
        (head, tail)
        for fact in facts
        if fact.rel is RelationType.BUILT_BY
        for head in names.get(fact.head, ())
        for tail in names.get(fact.tail, ())
    }
    return found, built


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("template", "builder"), BUILDS)
def test_the_whole_name_is_the_project_and_its_builder_builds_it(template, builder, name):
    found, built = _run(template.format(a=builder, x=name))
    assert found.get(name) is EntityType.PROJECT, f"{name} not one project: {found}"
    assert (name, builder) in built, f"{name} not built by {builder}: {built}"


# Spans that are no project name: a verb, 的 or a legal company name inside, or a count.
NOT_NAMES = [
    ("比亚迪投资建设动力电池项目。", "比亚迪投资建设动力电池项目"),
    ("位于常州经开区的储能电池项目开工。", "的储能电池项目"),
    (
        "四川振华新材料有限公司年产5万吨正极材料项目开工。",
        "四川振华新材料有限公司年产5万吨正极材料项目",
    ),
    ("今年全区共签约12个项目。", "12个项目"),
    ("这是全市规模最大的储能电池项目。", "储能电池项目"),
    ("市领导调研光伏项目建设情况。", "光伏项目"),
    ("大力引进新能源产业领军型创业人才项目。", "新能源产业领军型创业人才项目"),
]


@pytest.mark.parametrize(("text", "span"), NOT_NAMES)
def test_no_project_swallows_a_verb_or_names_a_kind(text, span):
    found, _ = _run(text)
    assert found.get(span) is not EntityType.PROJECT
