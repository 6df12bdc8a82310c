"""The shortcuts taken for speed in recognition and relation extraction give what the plain
definitions give: the matching view of a sentence, a template's clauses, the entity ids of the
slots in a piece of template, and the edges ``bounded`` trims."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.entities.boundaries import bounded
from graph.entities.matchers import _SKIP, _view
from graph.entities.recognizers import Candidate, tokenize
from graph.records import EntityType
from graph.relations import patterns as P
from graph.relations.view import View

# Spaces, quotes and title marks (left out of the view), clause ends, slot-range and
# private-use characters, CJK and ASCII.
ALPHABET = " “”‘’\"'《》，,；;：:。！？!?、\ue000\ue105\ue7ff\ue800\uf8ff金坛区常州宁德时代aZ09"


def _plain_view(text: str) -> tuple[str, list[int]]:
    keep = [i for i, ch in enumerate(text) if ch not in _SKIP]
    return "".join(text[i] for i in keep), keep


def _plain_clauses(template: str) -> list[tuple[int, int]]:
    clauses, start = [], 0
    for i, ch in enumerate(template + "。"):
        if ch in P.CLAUSE_END:
            if i > start:
                clauses.append((start, i))
            start = i + 1
    return clauses


@pytest.mark.parametrize(
    "text",
    [
        "",
        "金坛区位于常州西部。",
        "“龙城芯谷”项目落户金坛",
        "《常州市新能源产业发展规划》 发布",
        "UL Solutions与IDG签约",
        "   ",
    ],
)
def test_view_matches_its_definition(text):
    assert _view(text) == _plain_view(text)


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_view_matches_its_definition_on_any_text(text):
    assert _view(text) == _plain_view(text)


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_clauses_match_a_scan_char_by_char(text):
    view = View.build(text, [])
    assert view.clauses == _plain_clauses(view.template)


def _slots(kinds: list[EntityType]) -> View:
    text = "".join("甲乙丙丁戊己庚辛"[i] + "，" for i in range(len(kinds)))
    spans = [(2 * i, 2 * i + 1, f"e{i % 3}", kind) for i, kind in enumerate(kinds)]
    return View.build(text, spans)


def _plain_ids(view: View, text: str, kinds: str) -> list[str]:
    import re

    out: list[str] = []
    for ch in text:
        index = P.slot_index(ch)
        wanted = index is not None and re.match(kinds, ch) and index < len(view.slots)
        if wanted and view.slots[index].entity_id not in out:
            out.append(view.slots[index].entity_id)
    return out


@pytest.mark.parametrize(
    ("kinds", "wanted"),
    [
        ([EntityType.COMPANY, EntityType.PLACE, EntityType.COMPANY], P.COMPANY),
        ([EntityType.COMPANY, EntityType.PLACE, EntityType.COMPANY], P.PLACE),
        ([EntityType.PLACE, EntityType.PLATFORM, EntityType.PROJECT, EntityType.PLACE], P.ANY_SLOT),
        ([EntityType.PERSON], P.CHAIN),
        ([], P.ANY_SLOT),
    ],
)
def test_ids_match_a_look_at_every_character(kinds, wanted):
    view = _slots(kinds)
    for text in (view.template, view.template + "\ue7ff\ue800\uf8ff", "没有实体"):
        assert view.ids(text, wanted) == _plain_ids(view, text, wanted)


@pytest.mark.parametrize(
    ("text", "begin", "end", "etype", "expected"),
    [
        ("继去年上汽集团在此布局", 0, 7, EntityType.COMPANY, "上汽集团"),  # a start word cut off
        ("整个集团", 0, 4, EntityType.COMPANY, None),  # nothing but a bare suffix is left
        ("周斌及李林出席", 0, 3, EntityType.PERSON, "周斌"),  # a trailing word cuts a person
        ("常州天合光能有限公司", 0, 10, EntityType.COMPANY, "常州天合光能有限公司"),  # kept
    ],
)
def test_bounded_trims_edges(text, begin, end, etype, expected):
    c = bounded(text, tokenize(text), Candidate(begin, end, etype, "suffix", 0.8))
    assert (text[c.begin : c.end] if c else None) == expected
