"""Rule provenance: every mention and fact names its registered rule id, in the records, the
RDF, the `about` query and `nekg eval --by-rule`."""

from __future__ import annotations

import ast
import csv
import inspect
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS
from rdflib import RDF, Literal

from graph import pipeline
from graph.cli import cli
from graph.entities import recognizers
from graph.entities.aliases import AliasTable
from graph.entities.candidates import RECOGNIZER_ORDER
from graph.entities.recognize import recognize
from graph.entities.recognizers import suffixes
from graph.eval import by_rule as eval_rules
from graph.eval.gold import load_gold
from graph.eval.match import evaluate
from graph.rdf import build as rdf
from graph.rdf import write as rdf_write
from graph.rdf.vocab import NEKG
from graph.records import EntityType as T
from graph.rules_registry import (
    _LONGEST_SUFFIX,
    ENTITY_RULES,
    METHOD_RULES,
    RECOGNIZERS,
    RELATION_RULES,
    entity_rule,
    relation_rules,
)
from graph.text.normalize import split_sentences

EVAL = ROOT / "tests" / "data" / "eval"
WORKED_ARGS = ["eval", str(EVAL / "gold"), "--graph", str(EVAL / "graph.ttl"), "--by-rule"]
SEED_GOLD = ROOT / "tests" / "data" / "seeds"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def seeds():
    return pipeline.run([SEEDS])


@pytest.fixture(scope="module")
def seed_graph_file(seeds, tmp_path_factory):
    path = tmp_path_factory.mktemp("seeds") / "graph.ttl"
    path.write_text(rdf_write.to_turtle(rdf.to_graph(seeds)), encoding="utf-8")
    return path


# --- the registry ------------------------------------------------------------------------

REGISTERED = [(i, ENTITY_RULES[i]) for i in sorted(ENTITY_RULES)] + [
    (i, RELATION_RULES[i]) for i in sorted(RELATION_RULES)
]


@pytest.mark.parametrize(("rule", "description"), REGISTERED)
def test_every_registered_id_is_kebab_case_with_a_one_line_description(rule, description):
    assert _ID.match(rule), rule
    assert description.strip()
    assert "\n" not in description
    assert len(description) <= 100


def test_entity_and_relation_ids_are_distinct():
    assert not set(ENTITY_RULES) & set(RELATION_RULES)


_ORDER = [name for name, _ in RECOGNIZER_ORDER]


@pytest.mark.parametrize("recognizer", sorted(RECOGNIZERS))
def test_every_registered_recognizer_runs_once_under_its_own_name(recognizer):
    assert _ORDER.count(recognizer) == 1, f"{recognizer}: add it to RECOGNIZER_ORDER once"
    assert dict(RECOGNIZER_ORDER)[recognizer] is getattr(recognizers, recognizer)


@pytest.mark.parametrize("name", _ORDER)
def test_every_step_of_the_order_is_a_rule_or_a_table_method(name):
    assert name in RECOGNIZERS or name in METHOD_RULES, f"{name}: register it"


_TAKE_A_CONTEXT = sorted(
    name
    for name in recognizers.__all__
    if inspect.isfunction(getattr(recognizers, name))
    and list(inspect.signature(getattr(recognizers, name)).parameters) == ["ctx"]
)


@pytest.mark.parametrize("recognizer", _TAKE_A_CONTEXT)
def test_every_recognizer_of_the_package_is_registered(recognizer):
    """A recognizer (a function of a Context) that is not registered would run nowhere."""
    assert recognizer in RECOGNIZERS


def test_the_order_has_every_recognizer_of_the_package():
    assert len(_TAKE_A_CONTEXT) == len(RECOGNIZERS) >= 20


# Where each relation helper takes the method (the rule id) among its positional arguments.
_METHOD_ARG = {"Fact": 3, "_fact": 3, "_facts": 3, "_each": 3, "_pairs": 1, "_cross": 2}
RELATION_MODULES = sorted(
    p.relative_to(ROOT / "graph").as_posix()
    for p in (ROOT / "graph" / "relations").glob("*.py")
    if p.name not in ("__init__.py", "patterns.py")
)


def _method_literals(path: Path) -> set[str]:
    """Rule ids a relation module hands to the fact helpers, or lists in (pattern, id, conf)
    tables, or loops over (``for name in ("held", …)`` with ``name`` passed as the method)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    loops: dict[int, tuple[str, list]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Tuple)
        ):
            values = [e.value for e in node.iter.elts if isinstance(e, ast.Constant)]
            for inner in ast.walk(node):
                loops[id(inner)] = (node.target.id, values)
    found: set[str] = set()
    for node in ast.walk(tree):
        name = getattr(node, "func", None)
        name = getattr(name, "id", getattr(name, "attr", ""))
        if (
            isinstance(node, ast.Call)
            and name in _METHOD_ARG
            and len(node.args) > _METHOD_ARG[name]
        ):
            arg = node.args[_METHOD_ARG[name]]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.Name) and loops.get(id(arg), ("",))[0] == arg.id:
                found.update(loops[id(arg)][1])
        if isinstance(node, ast.Tuple) and len(node.elts) in (2, 3):
            first, second, *rest = node.elts
            if (
                not isinstance(first, ast.Constant)
                and isinstance(second, ast.Constant)
                and isinstance(second.value, str)
                and all(isinstance(r, ast.Constant) and isinstance(r.value, float) for r in rest)
            ):
                found.add(second.value)
    return found


def test_every_relation_rule_id_in_the_code_is_registered_and_no_other():
    in_code = set().union(*(_method_literals(ROOT / "graph" / m) for m in RELATION_MODULES))
    assert in_code - set(RELATION_RULES) == set(), "register these in graph/rules_registry.py"
    # through-park is added when a fact is resolved through a park (relation_rules())
    assert set(RELATION_RULES) - in_code == {"through-park"}


def test_no_suffix_is_longer_than_the_lookup_reaches():
    assert max(len(s) for items in suffixes().values() for s in items) <= _LONGEST_SUFFIX


ENTITY_RULE_CASES = [
    # (recognizer template, method, type, name, id)
    ("suffix", "suffix", T.COMPANY, "江苏中创新航科技有限公司", "suffix-company"),
    ("suffix", "suffix", T.COMPANY, "常州华强电子", "suffix-company-weak"),
    ("suffix", "suffix", T.ORGANIZATION, "常州市发改委", "suffix-government"),
    ("suffix", "suffix", T.ORGANIZATION, "常州市光伏行业协会", "suffix-organization"),
    ("suffix", "suffix", T.PLATFORM, "金坛经济开发区", "suffix-platform"),
    ("suffix", "suffix", T.PLACE, "直溪镇", "suffix-place"),
    ("{method}-{type}", "title", T.POLICY, "《实施方案》", "title-policy"),
    ("{method}-{type}", "quote", T.PLATFORM, "常州氢湾", "quoted-platform"),
    ("{method}-project", "capacity", T.PROJECT, "年产5万吨项目", "capacity-project"),
    ("jieba-{type}", "jieba", T.PLACE, "天目湖镇", "jieba-place"),
    ("", "alias", T.COMPANY, "中创新航", "alias-table"),
    ("", "gazetteer", T.PLACE, "金坛", "gazetteer-place"),
    ("", "listed", T.COMPANY, "宁德时代", "gazetteer-company"),
    ("", "abbreviation", T.PLATFORM, "合肥高新区", "abbreviation-defined"),
]


@pytest.mark.parametrize(("template", "method", "etype", "name", "rule"), ENTITY_RULE_CASES)
def test_entity_rule_ids(template, method, etype, name, rule):
    assert entity_rule(template, method, etype, name) == rule
    assert rule in ENTITY_RULES


@pytest.mark.parametrize(
    ("method", "rules"),
    [
        ("located", ("located",)),
        ("settle-park", ("settle", "through-park")),
        ("adcode", ("adcode",)),
    ],
)
def test_relation_rule_ids_of_a_method(method, rules):
    assert relation_rules(method) == rules
    assert set(rules) <= set(RELATION_RULES)


# --- recognition -------------------------------------------------------------------------

RECOGNIZED = [
    # (sentence, surface, rule)
    ("常州大学位于江苏。", "常州大学", "gazetteer-organization"),
    ("宁德时代宣布在溧阳投资。", "宁德时代", "gazetteer-company"),
    ("常州市光伏行业协会成立。", "常州市光伏行业协会", "suffix-organization"),
    ("天目湖储能研究院揭牌。", "天目湖储能研究院", "suffix-platform"),
    ("常州大学位于江苏。", "江苏", "gazetteer-place"),
    ("区委书记陆秋明出席会议。", "陆秋明", "role-person"),
    ("市政府印发《关于加快新能源产业发展的实施方案》。", "市政府", "home-body"),
    (
        "市政府印发《关于加快新能源产业发展的实施方案》。",
        "《关于加快新能源产业发展的实施方案》",
        "title-policy",
    ),
    ("引进恒翔电子、正信光电等企业。", "恒翔电子", "suffix-company-weak"),
    ("引进恒翔电子、正信光电等企业。", "正信光电", "enumeration-item"),
    ("江苏中创新航科技有限公司在金坛区投资。", "江苏中创新航科技有限公司", "suffix-company"),
    ("常州市发改委召开会议。", "常州市发改委", "suffix-government"),
    ("“常州氢湾”建设提速。", "常州氢湾", "quoted-platform"),
    ("年产5万吨电池级硫酸镍项目开工。", "年产5万吨电池级硫酸镍项目", "capacity-project"),
]


@pytest.mark.parametrize(("sentence", "surface", "rule"), RECOGNIZED)
def test_recognizers_name_their_rule(sentence, surface, rule):
    found = {m.text: m.rule for m in recognize(split_sentences("a", sentence), AliasTable())}
    assert found.get(surface) == rule, found


def test_every_id_a_seeds_build_writes_is_registered(seeds):
    assert all(m.rule for m in seeds.mentions)
    entity_ids = {m.rule for m in seeds.mentions}
    fact_ids = {
        r for rel in seeds.relations for ev in rel.evidence for r in relation_rules(ev.method)
    }
    assert entity_ids - set(ENTITY_RULES) == set()
    assert fact_ids - set(RELATION_RULES) == set()
    assert {"alias-table", "home-body", "title-policy"} <= entity_ids
    assert {"gather", "title", "through-park"} <= fact_ids


# --- RDF ---------------------------------------------------------------------------------


def test_every_mention_and_statement_node_carries_its_rule(seeds):
    graph = rdf.to_graph(seeds)
    mentions = set(graph.subjects(RDF.type, NEKG.Mention))
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert mentions
    assert statements
    for node in mentions:
        assert len(list(graph.objects(node, NEKG.rule))) == 1, node
    for node in statements:
        method = str(graph.value(node, NEKG.method))
        rules = sorted(str(o) for o in graph.objects(node, NEKG.rule))
        assert rules == sorted(relation_rules(method)), node


def test_mention_rules_add_one_triple_per_mention_node_and_nothing_else(seeds):
    graph = rdf.to_graph(seeds)
    bare = replace(seeds, mentions=tuple(replace(m, rule="") for m in seeds.mentions))
    without = set(rdf.to_graph(bare))
    added = set(graph) - without
    assert without <= set(graph)
    assert {p for _, p, _ in added} == {NEKG.rule}
    assert {s for s, _, _ in added} == set(graph.subjects(None, NEKG.Mention))


def test_seed_graph_with_rules_conforms_to_the_shapes(seed_graph_file):
    result = CliRunner().invoke(cli, ["validate", str(seed_graph_file)])
    assert result.exit_code == 0, result.output


def test_a_mention_with_two_rules_breaks_the_shapes(seeds):
    from graph.rdf import validate

    graph = rdf.to_graph(seeds)
    node = next(graph.subjects(None, NEKG.Mention))
    graph.add((node, NEKG.rule, Literal("another-rule")))
    report = validate.validate(graph)
    assert not report.conforms


def test_about_shows_the_rule_of_each_fact_and_mention(seed_graph_file):
    seed_graph_file = str(seed_graph_file)
    result = CliRunner().invoke(
        cli,
        ["query", "about", "-p", "entity=中创新航", "--format", "csv", "--graph", seed_graph_file],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    facts = [r for r in rows if r["article"]]
    assert facts
    for row in facts:
        assert row["rule"], row
        assert set(row["rule"].split()) <= set(RELATION_RULES), row
    found_by = {r["rule"] for r in rows if r["relation"] == str(NEKG.rule)}
    assert "alias-table" in found_by


# --- eval --by-rule ----------------------------------------------------------------------

# The worked example of tests/data/eval/README.md, rule by rule.
WORKED = [
    # (rule, kind, right, wrong)
    ("alias-table", "entity", 2, 0),
    ("gazetteer-place", "entity", 2, 0),
    ("suffix-government", "entity", 1, 0),
    ("jieba-company", "entity", 0, 1),
    ("suffix-organization", "entity", 0, 1),
    ("headquarters", "fact", 1, 0),
    ("agreement", "fact", 1, 0),
    ("plant", "fact", 0, 2),
]


@pytest.fixture(scope="module")
def worked():
    result = CliRunner().invoke(
        cli,
        [*WORKED_ARGS, "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(("rule", "kind", "right", "wrong"), WORKED)
def test_by_rule_on_the_worked_example(worked, rule, kind, right, wrong):
    row = next(r for r in worked["rules"] if r["rule"] == rule and r["kind"] == kind)
    assert (row["right"], row["wrong"]) == (right, wrong)
    assert row["description"] == (ENTITY_RULES if kind == "entity" else RELATION_RULES)[rule]


def test_by_rule_worked_example_has_no_other_rows_and_counts_the_misses(worked):
    assert {(r["rule"], r["kind"]) for r in worked["rules"]} == {(r, k) for r, k, *_ in WORKED}
    assert worked["missed"] == {"entity": 2, "fact": 2}
    wrong = {(w["rule"], w["ref"]) for w in worked["wrong"]}
    assert ("plant", "company/byd locatedIn place/320413") in wrong


def test_by_rule_table_lists_rules_worst_first_and_the_misses():
    result = CliRunner().invoke(cli, WORKED_ARGS)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["rule", "kind", "right", "wrong", "precision", "description"]
    assert lines[1].split()[:4] in (
        ["jieba-company", "entity", "0", "1"],
        ["suffix-organization", "entity", "0", "1"],
    )
    assert any(line.startswith("(missed fact)") for line in lines)
    assert "wrong, by rule:" in lines


def test_by_rule_on_seeds_accounts_for_every_false_positive(seeds):
    gold = load_gold(SEED_GOLD)
    docs = gold.docs or None
    report = evaluate(gold, seeds, docs=docs)
    rules = eval_rules.score_rules(report, seeds, docs=docs)
    for section, kind in (("entities", "entity"), ("relations", "fact")):
        fps = {i.ref for i in report.false_positives if i.section == section}
        assert {w.ref for w in rules.wrong if w.kind == kind} == fps
        scored = report.section(section).total
        assert sum(r.right for r in rules.rows if r.kind == kind) >= scored.tp
        assert dict(rules.missed)[kind] == scored.fn
    assert all(r.description != "not registered in graph/rules_registry.py" for r in rules.rows)


def test_by_rule_reads_the_same_rules_back_from_a_written_graph(seeds, seed_graph_file):
    gold = load_gold(SEED_GOLD)
    docs = gold.docs or None
    direct = eval_rules.score_rules(evaluate(gold, seeds, docs=docs), seeds, docs=docs)
    result = CliRunner().invoke(
        cli,
        ["eval", str(SEED_GOLD), "--graph", str(seed_graph_file), "--by-rule", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    read = json.loads(result.output)["rules"]
    assert {(r["rule"], r["kind"], r["right"], r["wrong"]) for r in read} == {
        (r.rule, r.kind, r.right, r.wrong) for r in direct.rows
    }


@pytest.mark.parametrize(
    "args",
    [
        ["--by-rule", "--cluener", str(EVAL / "cluener.jsonl")],
        [str(EVAL / "gold"), "--by-rule", "--cluener", str(EVAL / "cluener.jsonl")],
    ],
)
def test_by_rule_needs_a_gold_folder_alone(args):
    result = CliRunner().invoke(cli, ["eval", *args])
    assert result.exit_code == 2
    assert "--by-rule scores a GOLD folder" in result.output
    assert "Traceback" not in result.output


# --- docs --------------------------------------------------------------------------------


def test_docs_rules_table_is_in_sync_with_the_registry():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule, _ in REGISTERED:
        assert f"| `{rule}` |" in text


def test_docs_rules_worked_example_matches_the_command():
    result = CliRunner().invoke(cli, WORKED_ARGS)
    table = result.output.split("\n\n")[0].split("\nnote:")[0].strip()
    assert table in Path(ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_every_figure_carries_its_measure_rule_and_its_subject_rule(seeds):
    from graph.rules_registry import FIGURE_RULES

    graph = rdf.to_graph(seeds)
    observations = set(graph.subjects(RDF.type, NEKG.Observation))
    assert observations
    by_node = {node: {str(o) for o in graph.objects(node, NEKG.rule)} for node in observations}
    for node, rules in by_node.items():
        assert str(graph.value(node, NEKG.method)) in rules, node
        assert rules <= set(FIGURE_RULES), node
        has_subject = graph.value(node, NEKG.figureOf) is not None
        assert any(r.startswith("figure-subject-") for r in rules) == has_subject, node


@pytest.mark.parametrize(
    ("rule", "conforms"),
    [
        ("figure-subject-clause", True),  # a second rule: the subject's
        ("located", False),  # a relation rule on a figure
    ],
)
def test_figure_rules_in_the_shapes(seeds, rule, conforms):
    from graph.rdf import validate

    graph = rdf.to_graph(seeds)
    node = min(graph.subjects(RDF.type, NEKG.Observation))
    graph.remove((node, NEKG.rule, None))
    graph.add((node, NEKG.rule, graph.value(node, NEKG.method)))
    graph.add((node, NEKG.rule, Literal(rule)))
    assert validate.validate(graph).conforms == conforms
