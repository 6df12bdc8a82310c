from __future__ import annotations

import json
import subprocess

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner
from conftest import require_tool
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV, RDF

from graph.cli import cli
from graph.errors import GraphError
from graph.outputs import export
from graph.outputs import network as export_network
from graph.rdf import write as rdf_write
from graph.rdf.vocab import ID, NEKG, SCHEMA


def _assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            "graphs differ\nonly expected:\n"
            + only_expected.serialize(format="nt")
            + "\nonly actual:\n"
            + only_actual.serialize(format="nt")
        )


@pytest.mark.parametrize(("fmt", "parser"), [("nt", "nt"), ("jsonld", "json-ld")])
def test_export_rdf_formats_round_trip(tmp_path, hand_ttl, hand_graph, fmt, parser):
    out = export.export(hand_ttl, fmt, tmp_path / f"graph.{fmt}")
    _assert_isomorphic(hand_graph, Graph().parse(out, format=parser))


def test_export_ntriples_are_sorted_lines(hand_graph):
    lines = export.to_ntriples(hand_graph).splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(hand_graph)


def test_export_jsonld_uses_the_nekg_prefixes(hand_graph):
    data = json.loads(export.to_jsonld(hand_graph))
    assert data["@context"]["nekg"] == str(NEKG)
    assert "nekg:locatedIn" in json.dumps(data, ensure_ascii=False)


@pytest.fixture
def trig_dataset(tmp_path, hand_ttl):
    out = export.export(hand_ttl, "trig", tmp_path / "graph.trig")
    dataset = Dataset()
    dataset.parse(out, format="trig")
    return out, dataset


def test_export_trig_union_is_the_graph(trig_dataset, hand_graph):
    _, dataset = trig_dataset
    union = Graph()
    for quad in dataset.quads((None, None, None, None)):
        union.add(quad[:3])
    _assert_isomorphic(hand_graph, union)


def test_export_trig_has_one_named_graph_per_article(trig_dataset, hand_extraction):
    _, dataset = trig_dataset
    names = {
        g.identifier for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier
    }
    assert names == {ID[f"article/{a.id}"] for a in hand_extraction.articles}


@pytest.mark.parametrize(
    ("article", "fact"),
    [
        ("a1", (ID["company/calb"], NEKG.locatedIn, ID["place/320413"])),
        ("a1", (ID["policy/532"], NEKG.issuedBy, ID["place/320413"])),
        ("a2", (ID["company/catl"], NEKG.leadsChain, ID["chain/power-battery"])),
    ],
)
def test_export_trig_article_graph_holds_its_facts_and_evidence(trig_dataset, article, fact):
    _, dataset = trig_dataset
    named = dataset.graph(ID[f"article/{article}"])
    assert fact in named
    assert fact not in dataset.default_graph
    for statement in named.subjects(RDF.type, RDF.Statement):
        assert named.value(statement, PROV.wasDerivedFrom) == ID[f"article/{article}"]
    assert (ID[f"article/{article}"], SCHEMA.mentions, None) in named


def test_export_trig_passes_rapper_and_pyoxigraph(trig_dataset, hand_graph, hand_extraction):
    out, dataset = trig_dataset
    rapper = require_tool("rapper")
    check = subprocess.run([rapper, "-c", "-i", "trig", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    store = pyoxigraph.Store()
    store.load(path=str(out), format=pyoxigraph.RdfFormat.TRIG)
    assert len(store) == len(list(dataset.quads((None, None, None, None))))
    assert len(list(store.named_graphs())) == len(hand_extraction.articles)


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_networks_have_labels_and_types(tmp_path, hand_ttl, hand_extraction, fmt, reader):
    out = export.export(hand_ttl, fmt, tmp_path / f"graph.{fmt}")
    net = reader(out)
    nodes = {data["label"]: data for _, data in net.nodes(data=True)}
    assert set(nodes) == {e.name for e in hand_extraction.entities}
    assert nodes["金坛区"]["type"] == "Place"
    assert nodes["金坛区"]["adminCode"] == "320413"
    assert nodes["中创新航"]["aliases"] == "中创新航科技股份有限公司、中航锂电"
    edges = sorted(
        (net.nodes[u]["label"], data.get("relation"), net.nodes[v]["label"])
        for u, v, data in net.edges(data=True)
    )
    assert ("中创新航", "locatedIn", "金坛区") in edges
    assert ("宁德时代", "leadsChain", "动力电池") in edges
    assert len(edges) == len(hand_extraction.relations)


def test_export_network_edge_counts_evidence_and_role(hand_graph):
    net = export_network.to_network(hand_graph, plain=True)
    roles = [d for _, _, d in net.edges(data=True) if d["relation"] == "hasRole"]
    assert roles == [
        {
            "label": "hasRole",
            "relation": "hasRole",
            "symmetric": False,
            "evidence": 1,
            "confidence": 0.7,
            "articles": "a2",
            "role": "董事长",
        }
    ]


@pytest.mark.parametrize("fmt", sorted(export.FORMATS))
def test_export_is_deterministic(tmp_path, hand_ttl, fmt):
    first = export.export(hand_ttl, fmt, tmp_path / f"1.{fmt}").read_bytes()
    second = export.export(hand_ttl, fmt, tmp_path / f"2.{fmt}").read_bytes()
    assert first == second


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("g.nt", "nt"),
        ("g.trig", "trig"),
        ("g.jsonld", "jsonld"),
        ("g.json", "jsonld"),
        ("G.GEXF", "gexf"),
    ],
)
def test_export_format_for_file_name(name, fmt):
    from pathlib import Path

    assert export.format_for(Path(name)) == fmt


# --- command line ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["--format", "nt", "-o", "{tmp}/x.nt"], "x.nt"),
        (["-o", "{tmp}/x.gexf"], "x.gexf"),
        (["-f", "trig"], "graph.trig"),
    ],
)
def test_export_cli_writes_the_file(tmp_path, hand_ttl, args, written):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(cli, ["export", "--graph", str(hand_ttl), *args])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / written}\n"
    assert (tmp_path / written).stat().st_size > 0


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["-f", "nt", "-o", "x.nt"], "no such graph file"),
        ("<a> <b> .", ["-f", "nt", "-o", "x.nt"], "not valid Turtle"),
        ("ok", ["-o", "x.xlsx"], "cannot tell the export format"),
        ("ok", [], "give --format or an -o FILE"),
    ],
)
def test_export_cli_errors_are_one_line(tmp_path, hand_graph, setup, args, message):
    graph = tmp_path / "graph.ttl"
    if setup == "ok":
        graph.write_text(rdf_write.to_turtle(hand_graph), encoding="utf-8")
    elif setup is not None:
        graph.write_text(setup, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--graph",
            str(graph),
            *[str(tmp_path / a) if a.startswith("x.") else a for a in args],
        ],
    )
    assert result.exit_code != 0
    lines = [
        line
        for line in result.output.splitlines()
        if line.strip() and not line.startswith(("Usage:", "Try "))
    ]
    assert len(lines) == 1, result.output
    assert message in lines[0]


def test_export_unknown_format_is_a_graph_error(hand_ttl, tmp_path):
    with pytest.raises(GraphError, match="unknown export format 'xml'"):
        export.export(hand_ttl, "xml", tmp_path / "x.xml")


def test_export_named_graph_iri_is_the_article(trig_dataset):
    out, _ = trig_dataset
    text = out.read_text(encoding="utf-8")
    assert "@prefix article: <https://w3id.org/nekg/id/article/> ." in text
    assert "\narticle:a1 {\n" in text


def test_export_same_bytes_in_another_process(tmp_path, hand_ttl):
    """Exports do not depend on Python's hash seed (set and dict order)."""
    import os
    import sys

    from conftest import ROOT

    script = (
        "import sys; from pathlib import Path; from graph.outputs import export\n"
        "for fmt in export.FORMATS: export.export(Path(sys.argv[1]), fmt, Path(sys.argv[2]) / ('g.' + fmt))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script, str(hand_ttl), str(folder)],
            check=True,
            cwd=ROOT,
            env=env,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == len(export.FORMATS)
