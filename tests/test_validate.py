from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import SEEDS
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from graph import pipeline
from graph.cli import cli
from graph.rdf import build as rdf
from graph.rdf import validate
from graph.rdf import write as rdf_write
from graph.rdf.vocab import ID, NEKG

CALB, CATL, PLACE, CHAIN = (
    ID["company/calb"],
    ID["company/catl"],
    ID["place/320413"],
    ID["chain/power-battery"],
)


def _statement(graph, subject, predicate, obj):
    return next(
        s
        for s in graph.subjects(RDF.subject, subject)
        if (s, RDF.predicate, predicate) in graph and (s, RDF.object, obj) in graph
    )


@pytest.fixture(scope="module")
def seed_graph():
    return rdf.to_graph(pipeline.run([SEEDS]))


def test_validate_seed_graph_conforms(seed_graph):
    report = validate.validate(seed_graph)
    assert report.conforms, "\n".join(validate.format_problem(p) for p in report.problems)


def test_validate_hand_graph_conforms(hand_graph):
    report = validate.validate(hand_graph)
    assert report.problems == (), "\n".join(validate.format_problem(p) for p in report.problems)


def _leads_chain_from_a_place(g):
    g.add((PLACE, NEKG.leadsChain, CHAIN))


def _located_in_a_company(g):
    g.add((CATL, NEKG.locatedIn, CALB))


def _second_pref_label(g):
    g.add((CALB, SKOS.prefLabel, Literal("中航锂电", lang="zh")))


def _fact_without_evidence(g):
    g.add((CATL, NEKG.locatedIn, PLACE))


def _entity_without_class(g):
    g.remove((CHAIN, RDF.type, None))


def _drop(predicate):
    def mutate(g):
        node = _statement(g, CALB, NEKG.locatedIn, PLACE)
        g.remove((node, predicate, None))

    return mutate


def _set(predicate, value):
    def mutate(g):
        node = _statement(g, CALB, NEKG.locatedIn, PLACE)
        g.set((node, predicate, value))

    return mutate


def _statement_without_fact(g):
    g.remove((CALB, NEKG.locatedIn, PLACE))


def _mention_without_sentence(g):
    node = next(g.subjects(NEKG.mentionOf, CHAIN))
    g.remove((node, NEKG.evidence, None))


def _article_without_hash(g):
    g.remove((ID["article/a1"], NEKG.contentHash, None))


@pytest.mark.parametrize(
    ("mutate", "focus", "message"),
    [
        (_leads_chain_from_a_place, PLACE, "only a Company can lead"),
        (_leads_chain_from_a_place, PLACE, "fact has no evidence"),
        (_located_in_a_company, CATL, "must end at a Place or a Platform"),
        (_second_pref_label, CALB, "exactly one skos:prefLabel"),
        (_fact_without_evidence, CATL, "fact has no evidence"),
        (_entity_without_class, CHAIN, "entity of one nekg class"),
        (_drop(NEKG.start), None, "nekg:start"),
        (_drop(NEKG.evidence), None, "quote exactly one sentence"),
        (_drop(PROV.wasDerivedFrom), None, "source nekg:Article"),
        (_drop(NEKG.method), None, "method"),
        (_set(NEKG.confidence, Literal("1.5", datatype=XSD.decimal)), None, "from 0 to 1"),
        (_set(NEKG.start, Literal(99, datatype=XSD.integer)), None, "below nekg:end"),
        (_set(NEKG.role, Literal("董事长", lang="zh")), None, "only on evidence of a nekg:hasRole"),
        (_statement_without_fact, None, "not in the graph"),
        (_mention_without_sentence, None, "mention must quote exactly one sentence"),
        (_article_without_hash, ID["article/a1"], "contentHash"),
    ],
)
def test_validate_catches_a_broken_graph(hand_graph, mutate, focus, message):
    mutate(hand_graph)
    report = validate.validate(hand_graph)
    assert not report.conforms
    matching = [p for p in report.violations if message in p.message]
    assert matching, "\n".join(validate.format_problem(p) for p in report.problems)
    if focus is not None:
        assert str(focus) in {p.focus for p in matching}


def test_validate_bad_date_is_only_a_warning(hand_graph):
    hand_graph.set((ID["article/a1"], DCTERMS.date, Literal("2023年9月")))
    report = validate.validate(hand_graph)
    assert report.conforms
    assert [p.message for p in report.warnings] == [
        "article date is not in ISO 8601 form (2024, 2024-09 or 2024-09-26)"
    ]


def test_validate_problem_shows_the_source_sentence(hand_graph):
    _located_in_a_company(hand_graph)
    node = URIRef(f"{ID}statement/x")
    for p, o in [
        (RDF.type, RDF.Statement),
        (RDF.type, PROV.Entity),
        (RDF.subject, CATL),
        (RDF.predicate, NEKG.locatedIn),
        (RDF.object, CALB),
        (PROV.wasDerivedFrom, ID["article/a2"]),
        (NEKG.evidence, Literal("宁德时代位于中创新航。", lang="zh")),
        (NEKG.start, Literal(3, datatype=XSD.integer)),
        (NEKG.end, Literal(14, datatype=XSD.integer)),
        (NEKG.method, Literal("rule")),
        (NEKG.confidence, Literal("0.5", datatype=XSD.decimal)),
    ]:
        hand_graph.add((node, p, o))
    report = validate.validate(hand_graph)
    (problem,) = report.violations
    text = validate.format_problem(problem)
    assert text.splitlines() == [
        "violation: id:company/catl nekg:locatedIn id:company/calb: nekg:locatedIn must end at a Place or a Platform",
        "    a2 [3:14] 宁德时代位于中创新航。",
    ]


def test_validate_shapes_run_in_pyshacl_unchanged(hand_graph):
    """The shapes file itself is standard SHACL-SPARQL: pySHACL runs it as written."""
    from pyshacl import validate as shacl

    _fact_without_evidence(hand_graph)
    conforms, results, _ = shacl(hand_graph, shacl_graph=validate.shapes(), inference="none")
    assert not conforms
    messages = {
        str(m) for m in results.objects(None, URIRef("http://www.w3.org/ns/shacl#resultMessage"))
    }
    ours = {p.message for p in validate.validate(hand_graph).violations}
    assert messages == ours


# --- command line ------------------------------------------------------------------------------------


def test_validate_cli_good_graph_exits_0(tmp_path, hand_graph):
    path = tmp_path / "graph.ttl"
    path.write_text(rdf_write.to_turtle(hand_graph), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violations" in result.output


def test_validate_cli_bad_graph_prints_sentence_and_exits_1(tmp_path, hand_graph):
    _located_in_a_company(hand_graph)
    hand_graph.add((_statement(hand_graph, CALB, NEKG.locatedIn, PLACE), RDF.subject, CATL))
    path = tmp_path / "graph.ttl"
    path.write_text(rdf_write.to_turtle(hand_graph), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "violation: id:company/catl nekg:locatedIn id:company/calb" in result.output
    assert "中创新航科技股份有限公司位于常州市金坛区。" in result.output
    assert "does not conform" in result.output.splitlines()[-1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such graph file; build it with `nekg build` first"),
        ("@prefix x <", "not valid Turtle"),
        # a folder is a build's output folder: its graph.ttl is what is missing
        ("folder", "graph.ttl/graph.ttl: no such graph file"),
    ],
)
def test_validate_cli_errors_are_one_line(tmp_path, content, message):
    path = tmp_path / "graph.ttl"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {path}")
    assert message in lines[0]


def test_validate_cli_defaults_to_out_graph(tmp_path, monkeypatch, hand_graph):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.ttl").write_text(rdf_write.to_turtle(hand_graph), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("out/graph.ttl conforms")


# --- nekg build refuses an invalid graph ---------------------------------------------------------------


@pytest.fixture
def broken_build(monkeypatch, hand_extraction):
    original, original_nodes = rdf.to_graph, rdf.MentionNodes

    def to_graph(extraction, **kwargs):
        graph = original(hand_extraction, **kwargs)
        _located_in_a_company(graph)
        return graph

    monkeypatch.setattr(pipeline.rdf, "to_graph", to_graph)
    # the mention nodes a build keeps as records come from the same extraction
    monkeypatch.setattr(
        pipeline.rdf, "MentionNodes", lambda extraction: original_nodes(hand_extraction)
    )


def test_validate_build_refuses_an_invalid_graph(tmp_path, broken_build):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: graph not written: 2 SHACL violations")
    assert "--no-validate" in last
    assert "must end at a Place or a Platform" in result.output
    assert not (out / "graph.ttl").exists()


@pytest.mark.parametrize("flag", ["--no-validate", "--force"])
def test_validate_build_writes_an_invalid_graph_when_told(tmp_path, broken_build, flag):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out), flag])
    assert result.exit_code == 0, result.output
    assert (out / "graph.ttl").exists()
    assert not validate.validate_file(out / "graph.ttl").conforms


def test_validate_build_shows_warnings_and_writes(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": "n1", "date": "2024年9月", "text": "中创新航位于金坛区。"}\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "a.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: id:article/n1 dcterms:date 2024年9月: article date is not in ISO 8601 form"
        in result.output
    )
    assert (out / "graph.ttl").exists()
