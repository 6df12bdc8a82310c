"""Evaluation against hand-made gold sets whose every number is known (tests/data/eval/README.md)."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest
from click.testing import CliRunner
from conftest import ROOT

from graph.cli import cli
from graph.errors import NekgError
from graph.eval.cluener import evaluate_ner, load_cluener, parse_mapping
from graph.eval.gold import Gold, GoldEntity, GoldError, GoldRelation, load_gold
from graph.eval.match import evaluate
from graph.eval.readback import extraction_from_graph, load_graph
from graph.eval.report import display_width, format_report
from graph.eval.score import Report, Score, combine
from graph.records import (
    Article,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Mention,
    Relation,
    RelationType,
)
from graph.text.normalize import split_sentences

DATA = ROOT / "tests" / "data" / "eval"
GOLD, EMPTY, REL_ONLY = DATA / "gold", DATA / "empty", DATA / "relations_only"
GRAPH = DATA / "graph.ttl"
A1A2 = frozenset({"a1", "a2"})


@pytest.fixture(scope="module")
def tiny() -> Extraction:
    return extraction_from_graph(load_graph(GRAPH))


def _counts(report: Report, section: str, label: str) -> tuple[int, int, int]:
    part = report.section(section)
    assert part is not None, f"no section {section}"
    row = part.total if label == "micro" else part.row(label)
    assert row is not None, f"no row {label} in {section}: {[r.label for r in part.rows]}"
    return row.tp, row.fp, row.fn


# --- every number of the tiny set, known by hand -------------------------------

TINY_ROWS = [
    # gold, docs, section, label, (tp, fp, fn)
    # 中创新航 found through its alias, 蜂巢能源 found, 宁德时代 extracted as Organization, 比亚迪 not annotated.
    (GOLD, None, "entities", "Company", (2, 1, 1)),
    # 金坛区 matches the extracted place's altLabel; 常州市 (only in a3) is a false positive.
    (GOLD, None, "entities", "Place", (2, 1, 0)),
    (GOLD, None, "entities", "Platform", (0, 0, 1)),
    # 金坛区人民政府 found; the Organization 宁德时代 is a type mismatch.
    (GOLD, None, "entities", "Organization", (1, 1, 0)),
    (GOLD, None, "entities", "micro", (5, 3, 2)),
    (GOLD, None, "relations", "locatedIn", (1, 2, 2)),
    # Annotated svolt -> calb, stored calb -> svolt: symmetric, so found.
    (GOLD, None, "relations", "partnersWith", (1, 0, 0)),
    (GOLD, None, "relations", "micro", (2, 2, 2)),
    # Only the annotated articles: 常州市 (a3) no longer counts.
    (GOLD, A1A2, "entities", "Place", (2, 0, 0)),
    (GOLD, A1A2, "entities", "micro", (5, 2, 2)),
    (GOLD, A1A2, "relations", "micro", (2, 2, 2)),
    # Leave-one-article-out fold for a2.
    (GOLD, {"a2"}, "entities", "Company", (0, 0, 1)),
    (GOLD, {"a2"}, "entities", "Place", (1, 0, 0)),
    (GOLD, {"a2"}, "entities", "Organization", (0, 1, 0)),
    (GOLD, {"a2"}, "relations", "locatedIn", (0, 1, 1)),
    (GOLD, {"a2"}, "relations", "micro", (0, 1, 1)),
    # Empty gold: every extracted entity is a false positive.
    (EMPTY, None, "entities", "Company", (0, 3, 0)),
    (EMPTY, None, "entities", "Place", (0, 3, 0)),
    (EMPTY, None, "entities", "Organization", (0, 2, 0)),
    (EMPTY, None, "entities", "micro", (0, 8, 0)),
    # Names as heads and tails: 溧阳 is not a name of 溧阳市, so that fact is missed.
    (REL_ONLY, None, "relations", "locatedIn", (1, 2, 1)),
    (REL_ONLY, None, "relations", "partnersWith", (1, 0, 0)),
    (REL_ONLY, None, "relations", "micro", (2, 2, 1)),
]


@pytest.mark.parametrize(("gold", "docs", "section", "label", "expected"), TINY_ROWS)
def test_evaluate_tiny_set_counts(tiny, gold, docs, section, label, expected):
    report = evaluate(load_gold(gold), tiny, docs=docs)
    assert _counts(report, section, label) == expected


@pytest.mark.parametrize(
    ("gold", "docs", "section", "precision", "recall", "f1"),
    [
        (GOLD, None, "entities", Fraction(5, 8), Fraction(5, 7), Fraction(2, 3)),
        (GOLD, A1A2, "entities", Fraction(5, 7), Fraction(5, 7), Fraction(5, 7)),
        (GOLD, None, "relations", Fraction(1, 2), Fraction(1, 2), Fraction(1, 2)),
        (EMPTY, None, "entities", Fraction(0), Fraction(1), Fraction(0)),
        (REL_ONLY, None, "relations", Fraction(1, 2), Fraction(2, 3), Fraction(4, 7)),
    ],
)
def test_evaluate_tiny_set_micro_scores(tiny, gold, docs, section, precision, recall, f1):
    total = evaluate(load_gold(gold), tiny, docs=docs).section(section).total
    assert (total.precision, total.recall, total.f1) == pytest.approx(
        (float(precision), float(recall), float(f1))
    )


@pytest.mark.parametrize(
    ("gold", "present", "absent"),
    [
        (GOLD, ["entities", "relations"], []),
        (EMPTY, ["entities"], ["relations"]),
        (REL_ONLY, ["relations"], ["entities"]),
    ],
)
def test_evaluate_sections_follow_the_gold_files(tiny, gold, present, absent):
    report = evaluate(load_gold(gold), tiny)
    assert [s.name for s in report.sections] == present
    assert all(report.section(name) is None for name in absent)


@pytest.mark.parametrize(
    ("kind", "ref", "reason", "evidence"),
    [
        (
            "misses",
            "catl",
            "found as Organization organization/catl (type differs)",
            "宁德时代新能源科技股份有限公司在溧阳市建设生产基地。",
        ),
        (
            "misses",
            "lianghu",
            "no extracted Platform carries this name",
            "两湖创新区地处金坛区，由金坛区人民政府负责建设。",
        ),
        (
            "misses",
            "catl locatedIn liyang",
            "宁德时代 not found as Company",
            "宁德时代新能源科技股份有限公司在溧阳市建设生产基地。",
        ),
        (
            "misses",
            "lianghu locatedIn jintan",
            "两湖创新区 not found as Platform",
            "两湖创新区地处金坛区，由金坛区人民政府负责建设。",
        ),
        (
            "false_positives",
            "company/byd",
            "no gold entity carries this name",
            "比亚迪在金坛区投资建设电池基地。",
        ),
        (
            "false_positives",
            "organization/catl",
            "the gold has this name as Company (catl)",
            "宁德时代新能源科技股份有限公司在溧阳市建设生产基地。",
        ),
        (
            "false_positives",
            "company/byd locatedIn place/320413",
            "比亚迪: not an end of any gold relation",
            "比亚迪在金坛区投资建设电池基地。",
        ),
    ],
)
def test_evaluate_misses_and_false_positives_explain_themselves(tiny, kind, ref, reason, evidence):
    report = evaluate(load_gold(GOLD), tiny, docs=A1A2)
    items = {item.ref: item for item in getattr(report, kind)}
    assert ref in items, sorted(items)
    assert items[ref].reason == reason
    assert items[ref].evidence == evidence


@pytest.mark.parametrize(("gold", "expected"), [(GOLD, 8), (EMPTY, 8), (REL_ONLY, 3)])
def test_evaluate_lists_one_item_per_miss_and_false_positive(tiny, gold, expected):
    report = evaluate(load_gold(gold), tiny, docs=load_gold(gold).docs or None)
    counted = sum(s.total.fp + s.total.fn for s in report.sections)
    assert len(report.misses) + len(report.false_positives) == counted == expected


@pytest.mark.parametrize(
    ("gold", "note"),
    [
        (GOLD, "not scored, no such relation in the gold: 1 partOf"),
        (
            EMPTY,
            "relations not scored: the gold has no relations (predicted: 3 locatedIn, 1 partOf, 1 partnersWith)",
        ),
    ],
)
def test_evaluate_notes_what_is_not_scored(tiny, gold, note):
    assert note in evaluate(load_gold(gold), tiny).notes


def test_evaluate_combine_sums_leave_one_article_out_folds(tiny):
    gold = load_gold(GOLD)
    folds = [evaluate(gold, tiny, docs={doc}) for doc in sorted(gold.docs)]
    combined = combine(folds)
    assert [r.label for r in combined.entities.rows] == [
        "Company",
        "Place",
        "Platform",
        "Organization",
    ]
    for section in ("entities", "relations"):
        total = combined.section(section).total
        parts = [f.section(section).total for f in folds]
        assert (total.tp, total.fp, total.fn) == tuple(
            sum(getattr(p, k) for p in parts) for k in ("tp", "fp", "fn")
        )
    assert len(combined.misses) == sum(len(f.misses) for f in folds)


# --- pairing rules on small record sets ------------------------------------------


def _extraction(entities, relations=(), article="d") -> Extraction:
    records = [Entity(i, t, n, tuple(a)) for i, t, n, a in entities]
    mentions = [Mention(article, 0, k, k + 1, e.name, e.type, e.id) for k, e in enumerate(records)]
    facts = [
        Relation(h, r, t, (Evidence(article, f"{h} {r} {t}", 0, 9, "test"),))
        for h, r, t in relations
    ]
    return Extraction((Article(article, "x"),), (), tuple(mentions), tuple(records), tuple(facts))


C, P = EntityType.COMPANY, EntityType.PLACE


@pytest.mark.parametrize(
    ("gold", "extracted", "expected", "reason"),
    [
        # An entity extracted twice (never merged): one true, one false positive.
        (
            [("g", C, "中创新航", ())],
            [("e1", C, "中创新航", ()), ("e2", C, "中创新航科技", ("中创新航",))],
            (1, 1, 0),
            "duplicate: gold g is already matched by e1",
        ),
        # Two gold entities merged into one extracted entity: one found, one missed.
        (
            [("g1", C, "宁德时代", ()), ("g2", C, "CATL", ())],
            [("e", C, "宁德时代", ("CATL",))],
            (1, 0, 1),
            "carried by e, already paired with gold g1 (merged)",
        ),
        # Names compare after normalization: traditional script, full-width letters, quotes.
        ([("g", C, "寧德時代", ())], [("e", C, "宁德时代", ())], (1, 0, 0), ""),
        ([("g", C, "\uff23\uff21\uff34\uff2c", ())], [("e", C, "CATL", ())], (1, 0, 0), ""),
        ([("g", C, "“中创新航”", ())], [("e", C, "中创新航", ())], (1, 0, 0), ""),
        # The pairing is one to one and maximal, whatever the order.
        (
            [("g1", C, "甲", ("乙",)), ("g2", C, "乙", ())],
            [("e1", C, "乙", ()), ("e2", C, "甲", ())],
            (2, 0, 0),
            "",
        ),
        # A gold entity with nothing extracted.
        ([("g", P, "金坛区", ())], [], (0, 0, 1), "no extracted Place carries this name"),
    ],
)
def test_evaluate_pairs_entities_one_to_one(gold, extracted, expected, reason):
    gold_set = Gold(
        tuple(GoldEntity(i, t, n, a, ("d",)) for i, t, n, a in gold), scores_relations=False
    )
    report = evaluate(gold_set, _extraction(extracted))
    assert _counts(report, "entities", "micro") == expected
    reasons = [item.reason for item in report.misses + report.false_positives]
    assert reasons == ([reason] if reason else [])


def test_evaluate_scope_explains_entities_found_in_other_articles():
    gold = Gold((GoldEntity("g", C, "中创新航", (), ("d",)),), scores_relations=False)
    extraction = _extraction([("e", C, "中创新航", ())], article="other")
    report = evaluate(gold, extraction, docs={"d"})
    assert _counts(report, "entities", "micro") == (0, 0, 1)
    assert [m.reason for m in report.misses] == ["found as e but not mentioned in d"]
    assert "the gold names articles the extraction does not have: d" in report.notes


LOC, PARTNER, SUB = RelationType.LOCATED_IN, RelationType.PARTNERS_WITH, RelationType.SUBSIDIARY_OF


@pytest.mark.parametrize(
    ("gold", "predicted", "label", "expected", "reason"),
    [
        # Symmetric: either direction is the same fact.
        ((LOC, "b", "a"), [("ea", PARTNER, "eb")], "partnersWith", None, None),
        ((PARTNER, "b", "a"), [("ea", PARTNER, "eb")], "partnersWith", (1, 0, 0), ""),
        ((PARTNER, "a", "b"), [("ea", PARTNER, "eb")], "partnersWith", (1, 0, 0), ""),
        # Not symmetric: the reversed fact is a miss and a false positive.
        (
            (LOC, "a", "b"),
            [("eb", LOC, "ea")],
            "locatedIn",
            (0, 1, 1),
            "both found, linked only by locatedIn (reversed)",
        ),
        ((LOC, "a", "b"), [("ea", LOC, "eb")], "locatedIn", (1, 0, 0), ""),
        # A relation of a type the gold does not annotate is not scored.
        (
            (SUB, "a", "b"),
            [("ea", PARTNER, "eb")],
            "subsidiaryOf",
            (0, 0, 1),
            "both found, linked only by partnersWith",
        ),
    ],
)
def test_evaluate_relation_direction(gold, predicted, label, expected, reason):
    rel, head, tail = gold
    entities = (GoldEntity("a", C, "甲", (), ("d",)), GoldEntity("b", C, "乙", (), ("d",)))
    gold_set = Gold(entities, (GoldRelation(head, rel, tail, "d"),))
    extraction = _extraction([("ea", C, "甲", ()), ("eb", C, "乙", ())], predicted)
    report = evaluate(gold_set, extraction)
    row = report.relations.row(label)
    if expected is None:
        assert row is None
        return
    assert (row.tp, row.fp, row.fn) == expected
    assert [m.reason for m in report.misses] == ([reason] if reason else [])


# --- reading the gold -----------------------------------------------------------

GOOD_ENTITY = '{"id": "a", "type": "Company", "name": "甲", "docs": ["d"]}'


@pytest.mark.parametrize(
    ("entities", "relations", "expected"),
    [
        ("{oops", None, "entities.jsonl:1: is not valid JSON"),
        ("[1, 2]", None, "entities.jsonl:1: needs a JSON object"),
        ('{"id": "a", "type": "Company", "docs": ["d"]}', None, "entities.jsonl:1: missing 'name'"),
        (
            '{"id": "a", "type": "Firm", "name": "甲", "docs": ["d"]}',
            None,
            "entities.jsonl:1: unknown type 'Firm' (one of: Company,",
        ),
        (
            '{"id": "a", "type": "Company", "name": "甲", "docs": "d"}',
            None,
            "entities.jsonl:1: 'docs' must be a list of strings",
        ),
        (
            '{"id": "a", "type": "Company", "name": "甲", "docs": []}',
            None,
            "entities.jsonl:1: missing 'docs'",
        ),
        (
            '{"id": "a", "type": "Company", "name": "甲", "alias": ["乙"], "docs": ["d"]}',
            None,
            "entities.jsonl:1: unknown field 'alias'",
        ),
        (
            '{"id": "a", "type": "Company", "name": "甲", "aliases": [""], "docs": ["d"]}',
            None,
            "'aliases' must be a list of non-empty strings",
        ),
        (
            f"{GOOD_ENTITY}\n\n{GOOD_ENTITY}",
            None,
            "entities.jsonl:3: id 'a' is already used on line 1",
        ),
        (
            GOOD_ENTITY,
            '{"head": "a", "rel": "locatedIn", "tail": "zz", "doc": "d"}',
            "relations.jsonl:1: tail 'zz' is not an id in entities.jsonl",
        ),
        (
            GOOD_ENTITY,
            '{"head": "a", "rel": "near", "tail": "a", "doc": "d"}',
            "relations.jsonl:1: unknown relation 'near' (one of: locatedIn,",
        ),
        (
            GOOD_ENTITY,
            '{"head": "a", "rel": "partOf", "tail": "a", "doc": "d"}',
            "relations.jsonl:1: head and tail are both 'a'",
        ),
        (
            GOOD_ENTITY,
            '{"head": "a", "rel": "partOf", "tail": "a"}',
            "relations.jsonl:1: missing 'doc'",
        ),
        (None, None, "has neither entities.jsonl nor relations.jsonl"),
    ],
)
def test_evaluate_bad_gold_lines_name_file_and_line(tmp_path, entities, relations, expected):
    for name, text in (("entities.jsonl", entities), ("relations.jsonl", relations)):
        if text is not None:
            (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    with pytest.raises(GoldError) as caught:
        load_gold(tmp_path)
    assert isinstance(caught.value, NekgError)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    ("folder", "entities", "relations", "scores"),
    [(GOLD, 7, 4, (True, True)), (EMPTY, 0, 0, (True, True)), (REL_ONLY, 6, 3, (False, True))],
)
def test_evaluate_load_gold_reads_the_examples(folder, entities, relations, scores):
    gold = load_gold(folder)
    assert (len(gold.entities), len(gold.relations)) == (entities, relations)
    assert (gold.scores_entities, gold.scores_relations) == scores


def test_evaluate_gold_without_relations_scores_entities_only(tmp_path, tiny):
    (tmp_path / "entities.jsonl").write_bytes((GOLD / "entities.jsonl").read_bytes())
    report = evaluate(load_gold(tmp_path), tiny, docs=A1A2)
    assert [s.name for s in report.sections] == ["entities"]
    assert _counts(report, "entities", "micro") == (5, 2, 2)


# --- reading a written graph back -------------------------------------------------


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("articles", 3),
        ("entities", 8),
        ("relations", 5),
        ("mentions", 11),
    ],
)
def test_evaluate_extraction_from_graph_counts(tiny, what, expected):
    assert len(getattr(tiny, what)) == expected


def test_evaluate_extraction_from_graph_keeps_names_codes_and_evidence(tiny):
    entities = {e.id: e for e in tiny.entities}
    assert entities["place/320413"].name == "常州市金坛区"
    assert entities["place/320413"].aliases == ("金坛区",)
    assert ("adcode", "320413") in entities["place/320413"].external
    assert entities["organization/catl"].type is EntityType.ORGANIZATION
    partner = next(r for r in tiny.relations if r.rel is PARTNER)
    assert (partner.head, partner.tail) == ("company/calb", "company/svolt")
    assert partner.evidence[0].sentence == "蜂巢能源与中创新航科技股份有限公司签署战略合作协议。"
    assert partner.evidence[0].confidence == pytest.approx(0.8)


@pytest.mark.parametrize("article", ["a1", "a2", "a3"])
def test_evaluate_extraction_from_graph_offsets_point_into_the_article(tiny, article):
    text = (DATA / "articles" / f"{article}.txt").read_text(encoding="utf-8")
    sentences = {s.index: s for s in tiny.sentences if s.article_id == article}
    mentions = [m for m in tiny.mentions if m.article_id == article]
    assert mentions
    for m in mentions:
        assert text[m.start : m.end] == m.text
        sentence = sentences[m.sentence]
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start <= m.start < m.end <= sentence.end


@pytest.mark.parametrize("store", ["Oxigraph", "default"])
def test_evaluate_extraction_round_trips_through_the_rdf_stage(tiny, store):
    from graph.rdf import build as rdf

    assert extraction_from_graph(rdf.to_graph(tiny, store=store)) == tiny


def test_evaluate_bad_graph_file_is_a_graph_error(tmp_path):
    bad = tmp_path / "g.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(NekgError, match=r"g\.ttl: cannot be read as turtle"):
        load_graph(bad)
    with pytest.raises(NekgError, match="no such graph file"):
        load_graph(tmp_path / "none.ttl")


# --- scores and printing ----------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, 0, 0), (1.0, 1.0, 1.0)),
        ((0, 3, 0), (0.0, 1.0, 0.0)),
        ((0, 0, 3), (1.0, 0.0, 0.0)),
        ((3, 1, 0), (0.75, 1.0, 6 / 7)),
        ((1, 1, 1), (0.5, 0.5, 0.5)),
    ],
)
def test_evaluate_score_conventions(counts, expected):
    s = Score("x", *counts)
    assert (s.precision, s.recall, s.f1) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "width"), [("abc", 3), ("金坛区", 6), ("CATL 宁德", 9), ("（）", 4), ("", 0)]
)
def test_evaluate_display_width(text, width):
    assert display_width(text) == width


def test_evaluate_table_columns_align_by_display_width(tiny):
    text = format_report(evaluate(load_gold(EMPTY), tiny))
    block = text.split("entities: false positives (8)\n", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in block.splitlines() if not line.startswith("      ")]
    assert len(rows) == 8
    # The doc column (a1/a2/a3) starts at the same display column on every row.
    starts = {display_width(line[: re.search(r" a\d ", line).start()]) for line in rows}
    assert len(starts) == 1, block
    header, *table = text.split("\n\n", 1)[0].splitlines()
    assert (
        len(
            {
                display_width(line)
                for line in [header, *(row for row in table if row.startswith("  "))]
            }
        )
        == 1
    )


def test_evaluate_limit_caps_listed_items(tiny):
    text = format_report(evaluate(load_gold(EMPTY), tiny), limit=2)
    assert "… and 6 more (--limit 0 lists all)" in text


# --- NER on CLUENER spans -----------------------------------------------------------

LEXICON = {"中创新航": C, "金坛": P, "比亚迪": C, "常州市": P}


def _lexicon_recognizer(sentences, lexicon=LEXICON):
    """Every occurrence of a lexicon word in the normalized sentences, with original offsets."""
    found = []
    for sentence in sentences:
        for word, kind in lexicon.items():
            at = sentence.text.find(word)
            while at >= 0:
                start, end = sentence.span(at, at + len(word))
                found.append(Mention(sentence.article_id, sentence.index, start, end, word, kind))
                at = sentence.text.find(word, at + 1)
    return found


@pytest.mark.parametrize(
    ("section", "label", "expected"),
    [
        ("spans", "Company", (2, 0, 0)),
        # 常州市政府 (government) found only as the Place 常州市.
        ("spans", "Organization", (0, 0, 1)),
        # 金坛 instead of 金坛区: a boundary miss; 常州市 is a false positive.
        ("spans", "Place", (0, 2, 1)),
        ("spans", "micro", (2, 2, 2)),
        ("spans (overlap)", "Place", (1, 1, 0)),
        ("spans (overlap)", "Organization", (0, 0, 1)),
        ("spans (overlap)", "micro", (3, 1, 1)),
    ],
)
def test_evaluate_ner_counts(section, label, expected):
    mapping = parse_mapping(["company=Company", "government=Organization", "address=Place"])
    report = evaluate_ner(DATA / "cluener.jsonl", mapping=mapping, recognizer=_lexicon_recognizer)
    assert _counts(report, section, label) == expected


def test_evaluate_ner_explains_boundary_and_type_errors():
    report = evaluate_ner(DATA / "cluener.jsonl", recognizer=_lexicon_recognizer)
    reasons = {(i.text, i.reason) for i in report.misses + report.false_positives}
    assert ("金坛区", "found '金坛' as Place [5:7]") in reasons
    assert ("常州市政府", "found '常州市' as Place [0:3]") in reasons
    assert ("常州市", "gold has '常州市政府' as Organization [0:5]") in reasons
    assert "gold spans of unmapped labels not scored: 1 name, 1 position" in report.notes
    assert report.below(0.6) == [report.section("spans")]


def test_evaluate_ner_with_the_pipeline_recognizer_counts_every_gold_span():
    report = evaluate_ner(DATA / "cluener.jsonl")
    total = report.section("spans").total
    assert total.tp + total.fn == 4


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '{"text": "中创新航", "label": {"company": {"中创新航": [[0, 2]]}}}',
            "x.jsonl:1: company/中创新航: text[0..2] is '中创新', not the mention",
        ),
        ('{"text": "中创新航"}', 'x.jsonl:1: needs a "label" object'),
        (
            '{"text": "中创新航", "label": {"company": {"中创新航": [0, 3]}}}',
            "position 0 is not [start, end]",
        ),
        ("nope", "x.jsonl:1: is not valid JSON"),
    ],
)
def test_evaluate_ner_bad_lines(tmp_path, line, expected):
    path = tmp_path / "x.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GoldError) as caught:
        load_cluener(path)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [(["company=Company"], {"company": "Company"}), (["address=place"], {"address": "Place"})],
)
def test_evaluate_parse_mapping(pairs, expected):
    assert parse_mapping(pairs) == expected


@pytest.mark.parametrize(
    ("pair", "expected"), [("company", "write LABEL=Type"), ("company=Firm", "unknown type 'Firm'")]
)
def test_evaluate_parse_mapping_rejects(pair, expected):
    with pytest.raises(NekgError, match=expected):
        parse_mapping([pair])


def test_evaluate_ner_compares_original_offsets(tmp_path):
    # The recognizer sees normalized text (ASCII letters); gold spans index the original.
    path = tmp_path / "wide.jsonl"
    text = "\uff23\uff21\uff34\uff2c在溧阳建厂。"
    path.write_text(
        json.dumps({"text": text, "label": {"company": {text[:4]: [[0, 3]]}}}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    report = evaluate_ner(
        path,
        mapping={"company": "Company"},
        recognizer=lambda s: _lexicon_recognizer(s, {"CATL": C}),
    )
    assert _counts(report, "spans", "Company") == (1, 0, 0)
    assert split_sentences("t", text)[0].text.startswith("CATL")


# --- the command line ----------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(cli, ["eval", *args])


@pytest.mark.parametrize(
    ("args", "code", "last_line"),
    [
        (
            (str(GOLD), "--graph", str(GRAPH)),
            0,
            "note: not scored, no such relation in the gold: 1 partOf",
        ),
        (
            (str(GOLD), "--graph", str(GRAPH), "--min-f1", "0.5"),
            0,
            "note: not scored, no such relation in the gold: 1 partOf",
        ),
        (
            (str(GOLD), "--graph", str(GRAPH), "--min-f1", "0.6"),
            1,
            "Error: relations micro F1 0.500 is below --min-f1 0.6",
        ),
        (
            (str(GOLD), "--graph", str(GRAPH), "--min-f1", "0.9"),
            1,
            "Error: entities micro F1 0.714 is below --min-f1 0.9; relations micro F1 0.500 is below --min-f1 0.9",
        ),
        (
            (str(EMPTY), "--graph", str(GRAPH), "--min-f1", "0.1"),
            1,
            "Error: entities micro F1 0.000 is below --min-f1 0.1",
        ),
    ],
)
def test_evaluate_cli_exit_codes(args, code, last_line):
    result = _run(*args)
    assert result.exit_code == code, result.output
    assert result.output.strip().splitlines()[-1] == last_line
    assert "Traceback" not in result.output


def test_evaluate_cli_table_shows_rows_then_misses_then_false_positives():
    result = _run(str(GOLD), "--graph", str(GRAPH))
    lines = result.output.splitlines()
    assert lines[0].split() == ["tp", "fp", "fn", "precision", "recall", "f1"]
    assert lines[1] == "entities"
    assert lines[2].split() == ["Company", "2", "1", "1", "0.667", "0.667", "0.667"]
    assert "  micro          5   2   2      0.714   0.714  0.714" in lines
    assert result.output.index("entities: misses (2)") < result.output.index(
        "entities: false positives (2)"
    )
    assert "      「比亚迪在金坛区投资建设电池基地。」" in lines


def test_evaluate_cli_json_has_every_count():
    result = _run(str(GOLD), "--graph", str(GRAPH), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    sections = {s["name"]: s for s in data["sections"]}
    assert sections["entities"]["micro"] == {
        "label": "micro",
        "tp": 5,
        "fp": 2,
        "fn": 2,
        "precision": 0.7143,
        "recall": 0.7143,
        "f1": 0.7143,
    }
    assert [r["label"] for r in sections["relations"]["rows"]] == ["locatedIn", "partnersWith"]
    assert len(data["misses"]) == 4
    assert len(data["false_positives"]) == 4
    assert {"section", "label", "text", "ref", "doc", "evidence", "reason"} == set(
        data["misses"][0]
    )


def test_evaluate_cli_doc_option_scores_one_article():
    result = _run(str(GOLD), "--graph", str(GRAPH), "--doc", "a2", "--format", "json")
    sections = {s["name"]: s for s in json.loads(result.output)["sections"]}
    assert (
        sections["relations"]["micro"]["tp"],
        sections["relations"]["micro"]["fp"],
        sections["relations"]["micro"]["fn"],
    ) == (0, 1, 1)


def test_evaluate_cli_runs_the_pipeline_on_inputs():
    result = _run(str(GOLD), str(DATA / "articles"), "--format", "json")
    assert result.exit_code == 0, result.output
    sections = {s["name"]: s for s in json.loads(result.output)["sections"]}
    micro = sections["entities"]["micro"]
    assert micro["tp"] + micro["fn"] == 7


def test_evaluate_cli_cluener_alone():
    result = _run(
        "--cluener", str(DATA / "cluener.jsonl"), "--map", "company=Company", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["name"] for s in data["sections"]] == ["spans", "spans (overlap)"]
    assert [r["label"] for r in data["sections"][0]["rows"]] == ["Company"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((str(DATA / "nope"), "--graph", str(GRAPH)), "nope: is not a folder"),
        ((str(GOLD), "--graph", str(DATA / "none.ttl")), "none.ttl: no such graph file"),
        ((str(GOLD), "--graph", str(GOLD / "entities.jsonl")), "cannot be read as"),
        (("--cluener", str(DATA / "cluener.jsonl"), "--map", "company"), "write LABEL=Type"),
        (("--cluener", str(DATA / "none.jsonl")), "none.jsonl: no such file"),
    ],
)
def test_evaluate_cli_bad_input_is_one_line(args, expected):
    result = _run(*args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "give a GOLD folder or --cluener FILE"),
        ((str(GOLD), str(DATA / "articles"), "--graph", str(GRAPH)), "either --graph or INPUTS"),
        ((str(GOLD), "--map", "company=Company"), "--map applies to --cluener"),
    ],
)
def test_evaluate_cli_usage_errors(args, expected):
    result = _run(*args)
    assert result.exit_code == 2
    assert expected in result.output


CLUENER_DEV = ROOT.parent / "shared" / "data" / "cluener2020_dev_even.jsonl"


@pytest.mark.skipif(
    not CLUENER_DEV.is_file(), reason="the CLUENER dev sample is not on this machine"
)
def test_evaluate_ner_on_the_cluener_dev_sample():
    mapping = {"company": "Company", "government": "Organization", "address": "Place"}
    expected = sum(
        1 for _, _, spans in load_cluener(CLUENER_DEV) for label, *_ in spans if label in mapping
    )
    report = evaluate_ner(CLUENER_DEV, mapping=mapping)
    exact, overlap = report.section("spans").total, report.section("spans (overlap)").total
    assert exact.tp + exact.fn == overlap.tp + overlap.fn == expected
    assert overlap.recall >= exact.recall
    assert overlap.precision >= exact.precision
    assert len(report.misses) == exact.fn
    assert len(report.false_positives) == exact.fp
