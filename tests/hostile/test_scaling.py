"""Hostile sizes: runs of text without a sentence end, lists of thousands of names.

Nothing here is timed (scripts/bench_scaling.py measures growth); the tests check the
structure that keeps extraction linear: sentences are cut at a bound, at the best break
near it, with a warning and without losing a character; a list cut into pieces keeps the
type its head noun gives; resolution does not compare every pair of names.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from graph import pipeline
from graph.entities import recognize as entities
from graph.entities import resolve
from graph.entities.aliases import AliasTable
from graph.records import EntityType
from graph.text import normalize

EMPTY = AliasTable()

# Trade names: two characters that no gazetteer reads as a place, then a field.
_TRADE = "鑫瑞恒盛嘉鼎欣晟锦翔鸿彤璟琨铭煜昊珂琪珏"
_FIELDS = ("光电", "新材", "电子", "精工", "微电", "储能", "芯片", "智能", "动力", "能源")


def _names(n: int) -> list[str]:
    names = (a + b + f for a, b, f in itertools.product(_TRADE, _TRADE, _FIELDS) if a != b)
    found = list(itertools.islice(names, n))
    assert len(found) == n
    return found


def _split(text: str) -> tuple[list, list[str]]:
    warnings: list[str] = []
    return normalize.split_sentences("hostile", text, warnings.append), warnings


# (case, text, the characters a piece may end with but the last)
CUTS = [
    ("no punctuation at all", "金坛区推动新能源产业高质量发展" * 14_000, None),
    ("one suffix 50,000 times", "有限公司" * 50_000, None),
    ("clauses without a full stop", "，".join(["常州推进新能源产业集聚发展"] * 400), "，"),
    ("an endless list", "、".join(_names(800)) + "等企业。", "、"),
    ("words apart by spaces", " ".join(["energy storage 储能"] * 600), " "),
    ("function words only", "新能源的" * 2_000, "的"),
    ("unbalanced openers", "（“《新能源" * 2_000, None),
]


@pytest.mark.parametrize(("case", "text", "ends"), CUTS, ids=[c[0] for c in CUTS])
def test_scaling_long_runs_are_cut_at_the_bound_with_a_warning(case, text, ends):
    sentences, warnings = _split(text)
    bound = normalize.MAX_SENTENCE_CHARS
    assert len(sentences) >= len(text.rstrip("。")) // bound
    assert max(len(s.text) for s in sentences) <= bound
    assert len(warnings) == 1
    assert "'hostile'" in warnings[0]
    assert f"{bound:,}" in warnings[0]
    # Nothing is lost: the pieces, with what lay between them, give back the text.
    assert "".join(text[s.start : s.end] for s in sentences).replace(" ", "") == text.replace(
        " ", ""
    )
    for s in sentences:
        assert s.text == text[s.start : s.end].strip()
    if ends is not None:
        assert all(text[s.end - 1] in ends or text[s.end] in ends for s in sentences[:-1])


def test_scaling_a_latin_word_across_the_bound_is_kept_whole():
    text = "中" * 990 + "ABCDEFGHIJKLMNOPQRST" + "国" * 990
    sentences, _ = _split(text)
    assert any(s.text.startswith("ABCDEFGHIJKLMNOPQRST") for s in sentences)


@pytest.mark.parametrize(
    "text",
    [
        "常州推进新能源产业集聚发展" * 76 + "。",  # 989 characters: one sentence
        "金坛召开大会。他说：“要干！”随后散会。",
    ],
)
def test_scaling_sentences_under_the_bound_are_left_alone(text):
    sentences, warnings = _split(text)
    assert warnings == []
    assert "".join(s.text for s in sentences) == text


@pytest.mark.parametrize(
    ("case", "count", "template"),
    [
        ("2,000 short names", 2_000, "引进{}等一批企业。"),
        ("1,000 legal names", 1_000, "引进{}等企业。"),
    ],
)
def test_scaling_every_name_of_a_long_list_is_a_company(case, count, template):
    names = _names(count)
    legal = "legal" in case
    listed = [n + "有限公司" if legal else n for n in names]
    sentences, warnings = _split(template.format("、".join(listed)))
    assert len(sentences) > 1
    assert warnings
    mentions = entities.recognize(sentences, EMPTY)
    found = Counter((m.text, m.type) for m in mentions)
    assert {text for text, etype in found if etype is EntityType.COMPANY} == set(listed)
    assert all(n == 1 for n in found.values())
    _, resolved = entities.resolve(mentions, EMPTY)
    assert sum(e.type is EntityType.COMPANY for e in resolved) == count


def test_scaling_names_repeated_across_pieces_are_all_found():
    unit = "中创新航科技有限公司在金坛建设基地的"
    text = unit * 3_000  # 54,000 characters without punctuation
    sentences, warnings = _split(text)
    assert warnings
    assert max(len(s.text) for s in sentences) <= normalize.MAX_SENTENCE_CHARS
    mentions = entities.recognize(sentences, EMPTY)
    companies = [m for m in mentions if m.text == "中创新航科技有限公司"]
    assert len(companies) == 3_000
    assert all(m.type is EntityType.COMPANY for m in companies)


def test_scaling_resolution_does_not_compare_every_pair(monkeypatch):
    calls = Counter()
    original = resolve._without_place

    def counted(key: str) -> str:
        calls["n"] += 1
        return original(key)

    monkeypatch.setattr(resolve, "_without_place", counted)
    names = _names(400)
    text = "".join(f"{n}有限公司与常州{n}签约。" for n in names)
    mentions = entities.recognize(normalize.split_sentences("a", text), EMPTY)
    resolved_mentions, _ = entities.resolve(mentions, EMPTY)
    assert calls["n"] <= 4 * len(names)
    # 常州X joins X有限公司: the index finds the longer name a short one leads to.
    ids = {(m.text, m.type): m.entity_id for m in resolved_mentions}
    joined = [
        n
        for n in names
        if ids.get((f"常州{n}", EntityType.COMPANY), "short")
        == ids.get((f"{n}有限公司", EntityType.COMPANY), "long")
    ]
    assert len(joined) >= len(names) // 4


def test_scaling_the_build_passes_the_warning_on(tmp_path):
    source = tmp_path / "long.txt"
    source.write_text("标题\n" + "新能源产业集聚发展" * 400 + "\n", encoding="utf-8")
    heard: list[str] = []
    extraction = pipeline.run([source], warn=heard.append)
    assert any("long" in w and "1,000" in w for w in heard)
    assert max(len(s.text) for s in extraction.sentences) <= normalize.MAX_SENTENCE_CHARS
