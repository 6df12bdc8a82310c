"""`nekg query` and `nekg queries`: output formats read back by standard parsers, messages, exit codes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from conftest import ROOT
from rdflib.compare import isomorphic
from rdflib.query import Result as RdflibResult

from graph.cli import cli
from graph.query import named as query_named
from graph.query import terms as query_terms
from graph.query.results import display_width

FIXTURE = ROOT / "tests" / "data" / "query" / "changzhou.ttl"
SRX = "{http://www.w3.org/2005/sparql-results#}"
COMPANIES = ["companies-in", "--param", "place=常州", "--graph", str(FIXTURE)]
EXPECTED_COMPANIES = ["中创新航", "宁德时代", "蜂巢能源"]  # in the query's ORDER BY


def _invoke(args, stdin=None):
    return CliRunner().invoke(cli, ["query", *args], input=stdin)


def _ok(args, stdin=None) -> str:
    result = _invoke(args, stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def _error(args, stdin=None) -> str:
    result = _invoke(args, stdin)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0][len("Error: ") :]


def test_query_cli_table_aligns_by_display_width():
    out = _ok([*COMPANIES, "--labels"])
    lines = out.splitlines()
    # The bound parameter is a caption; --labels shows names, so the name columns go.
    assert lines[0] == "place = 常州市"
    assert lines[1].split() == ["company", "location"]
    assert [line.split()[0] for line in lines[3:]] == EXPECTED_COMPANIES
    # Every column starts at the same display column on every line.
    starts = []
    for line in [lines[1], *lines[3:]]:
        cells = line.split()
        positions, at = [], 0
        for value in cells:
            at = line.index(value, at)
            positions.append(display_width(line[:at]))
            at += len(value)
        starts.append(positions)
    assert all(s == starts[0] for s in starts), out
    assert lines[3].split()[:2] == ["中创新航", "金坛区"]  # --labels: names, not IRIs


def test_query_cli_table_shows_compact_iris_without_labels():
    lines = _ok(COMPANIES).splitlines()
    assert lines[0] == "place = id:place/320400"
    assert lines[3].split() == [
        "id:company/calb",
        "中创新航",
        "id:place/320413",
        "金坛区",
    ]


def test_query_cli_table_keeps_query_order_and_right_aligns_numbers():
    out = _ok(["entities-by-type", "-p", "type=Place", "-g", str(FIXTURE), "--labels"])
    rows = [line.split() for line in out.splitlines()[3:]]
    assert [r[0] for r in rows] == ["常州市", "江苏省", "深圳市", "溧阳市", "金坛区"]
    caption, header, rule, *lines = out.splitlines()
    assert caption == "type = nekg:Place"
    assert header.endswith("articles")
    assert [line[-1] for line in lines] == ["1", "0", "0", "1", "1"]
    assert {display_width(line) for line in lines} == {display_width(header)} == {len(rule)}


def test_query_cli_labels_show_article_titles():
    out = _ok(["articles-mentioning", "-p", "entity=中创新航", "-g", str(FIXTURE), "--labels"])
    # the title column repeats the article's label, so it is left out
    assert out.splitlines()[1].split() == ["article", "date", "mentions"]
    assert [line.split()[:2] for line in out.splitlines()[3:]] == [
        ["在新能源产业赛道上加速前行", "2023"],
        ["常州：领跑产业赛道，奋进万亿之城", "2022-02"],
    ]


def _rows_csv(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_query_cli_formats_parse_back_with_rdflib(fmt):
    """Each W3C format is read back by rdflib's result parser with the same values in the same order."""
    out = _ok([*COMPANIES, "--format", fmt])
    parsed = RdflibResult.parse(io.BytesIO(out.encode("utf-8")), format=fmt)
    assert [str(v) for v in parsed.vars] == [
        "place",
        "company",
        "label",
        "location",
        "locationLabel",
    ]
    assert [str(row[2]) for row in parsed] == EXPECTED_COMPANIES
    assert [str(row[1]) for row in parsed] == [
        query_terms.ID + c for c in ("company/calb", "company/catl", "company/svolt")
    ]
    if fmt != "csv":  # CSV has no place for language tags (SPARQL 1.1 CSV is lossy by design)
        assert {row[2].language for row in parsed} == {"zh"}


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])
def test_query_cli_formats_parse_back_with_pyoxigraph(fmt):
    out = _ok([*COMPANIES, "--format", fmt])
    parsed = ox.parse_query_results(
        out.encode("utf-8"), format=getattr(ox.QueryResultsFormat, fmt.upper())
    )
    store = ox.Store()
    store.load(path=FIXTURE, format=ox.RdfFormat.TURTLE)
    named = query_named.named_query("companies-in")
    direct = store.query(
        named.text,
        substitutions={ox.Variable("place"): ox.NamedNode(query_terms.ID + "place/320400")},
    )
    assert [tuple(s) for s in parsed] == [tuple(s) for s in direct]


def test_query_cli_csv_follows_w3c(tmp_path):
    _ok([*COMPANIES, "-o", str(tmp_path / "rows.csv")])
    out = (tmp_path / "rows.csv").read_bytes().decode("utf-8")
    assert out.split("\r\n")[0] == "place,company,label,location,locationLabel"
    assert out.count("\r\n") == 4
    rows = _rows_csv(out)
    assert rows[1] == [
        query_terms.ID + "place/320400",
        query_terms.ID + "company/calb",
        "中创新航",
        query_terms.ID + "place/320413",
        "金坛区",
    ]


def test_query_cli_tsv_keeps_terms():
    lines = _ok([*COMPANIES, "--format", "tsv"]).splitlines()
    assert lines[0] == "?place\t?company\t?label\t?location\t?locationLabel"
    assert lines[1].split("\t")[2] == '"中创新航"@zh'


def test_query_cli_json_follows_w3c():
    document = json.loads(_ok([*COMPANIES, "--format", "json"]))
    assert document["head"]["vars"][:2] == ["place", "company"]
    first = document["results"]["bindings"][0]
    assert first["company"] == {"type": "uri", "value": query_terms.ID + "company/calb"}
    assert first["label"] == {"type": "literal", "value": "中创新航", "xml:lang": "zh"}
    counts = json.loads(_ok(["chain-leaders", "-g", str(FIXTURE), "--format", "json"]))["results"][
        "bindings"
    ]
    assert counts[0]["articles"] == {
        "type": "literal",
        "value": "1",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_query_cli_xml_follows_w3c():
    root = ET.fromstring(_ok([*COMPANIES, "--format", "xml"]).encode("utf-8"))
    assert root.tag == f"{SRX}sparql"
    assert [v.get("name") for v in root.iter(f"{SRX}variable")][:3] == ["place", "company", "label"]
    labels = [
        b.find(f"{SRX}literal") for b in root.iter(f"{SRX}binding") if b.get("name") == "label"
    ]
    assert [lit.text for lit in labels] == EXPECTED_COMPANIES
    assert labels[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"


def test_query_cli_unbound_values_are_left_out():
    text = "SELECT ?p ?code WHERE { ?p a nekg:Platform OPTIONAL { ?p nekg:adminCode ?code } }"
    document = json.loads(_ok([text, "-g", str(FIXTURE), "--format", "json"]))
    assert document["results"]["bindings"] == [
        {"p": {"type": "uri", "value": query_terms.ID + "platform/lianghu"}}
    ]
    assert _rows_csv(_ok([text, "-g", str(FIXTURE), "--format", "csv"]))[1] == [
        query_terms.ID + "platform/lianghu",
        "",
    ]


@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # rdflib's JSON-LD parser
@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), (None, "turtle")],
)
def test_query_cli_construct_parses_back_as_the_same_graph(fmt, rdflib_format):
    text = "CONSTRUCT { ?c nekg:locatedIn ?p . ?c skos:prefLabel ?l } WHERE { ?c nekg:locatedIn ?p ; skos:prefLabel ?l }"
    out = _ok([text, "-g", str(FIXTURE), *(["--format", fmt] if fmt else [])])
    ours = rdflib.Graph().parse(data=out, format=rdflib_format)
    store = ox.Store()
    store.load(path=FIXTURE, format=ox.RdfFormat.TURTLE)
    direct = ox.serialize(
        store.query(text, prefixes=query_terms.PREFIXES), format=ox.RdfFormat.N_TRIPLES
    )
    expected = rdflib.Graph().parse(data=direct.decode("utf-8"), format="nt")
    assert len(ours) == 12  # six things located somewhere, and their names
    assert isomorphic(ours, expected)


def test_query_cli_describe_gives_turtle():
    out = _ok(["DESCRIBE id:company\\/calb", "-g", str(FIXTURE)])
    graph = rdflib.Graph().parse(data=out, format="turtle")
    calb = rdflib.URIRef(query_terms.ID + "company/calb")
    assert (calb, rdflib.SKOS.prefLabel, rdflib.Literal("中创新航", lang="zh")) in graph


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("ASK { ?c nekg:locatedIn <https://w3id.org/nekg/id/place/320413> }", None, "true\n"),
        ("ASK { ?c nekg:locatedIn <https://w3id.org/nekg/id/place/999999> }", None, "false\n"),
        ("ASK { ?c a nekg:Company }", "json", '{"head": {}, "boolean": true}\n'),
    ],
)
def test_query_cli_ask_prints_true_or_false(text, fmt, expected):
    assert _ok([text, "-g", str(FIXTURE), *(["--format", fmt] if fmt else [])]) == expected


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_query_cli_ask_parses_back(fmt):
    out = _ok(["ASK { ?c a nekg:Company }", "-g", str(FIXTURE), "--format", fmt])
    assert RdflibResult.parse(io.BytesIO(out.encode("utf-8")), format=fmt).askAnswer is True


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("rows.csv", lambda text: _rows_csv(text)[1][2] == "中创新航"),
        ("rows.tsv", lambda text: text.startswith("?place\t")),
        ("rows.json", lambda text: json.loads(text)["head"]["vars"][0] == "place"),
        ("rows.srx", lambda text: ET.fromstring(text.encode()).tag == f"{SRX}sparql"),
        ("rows.txt", lambda text: text.startswith("place = id:place/320400\ncompany  ")),
    ],
)
def test_query_cli_output_file_format_from_extension(tmp_path, name, check):
    target = tmp_path / name
    result = _invoke([*COMPANIES, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target} (3 rows)" in result.output
    assert check(target.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left behind


def test_query_cli_explicit_format_wins_over_extension(tmp_path):
    target = tmp_path / "rows.txt"
    _ok([*COMPANIES, "-o", str(target), "--format", "json"])
    assert json.loads(target.read_text(encoding="utf-8"))["head"]["vars"][0] == "place"


@pytest.mark.parametrize("how", ["stdin", "file", "rq-argument"])
def test_query_cli_reads_query_from_stdin_and_files(tmp_path, how):
    text = "# Places in 常州.\n# @param city entity:Place  the city\nSELECT ?city ?p WHERE { ?p nekg:partOf ?city } ORDER BY ?p\n"
    path = tmp_path / "mine.rq"
    path.write_text(text, encoding="utf-8")
    args = {"stdin": ["-"], "file": ["-f", str(path)], "rq-argument": [str(path)]}[how]
    out = _ok(
        [*args, "-g", str(FIXTURE), "-p", "city=常州", "--format", "csv"],
        stdin=text if how == "stdin" else None,
    )
    assert [row[1] for row in _rows_csv(out)[1:]] == [
        query_terms.ID + "place/320413",
        query_terms.ID + "place/320481",
    ]


def test_query_cli_update_changes_the_file_only_with_flag(tmp_path):
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(FIXTURE.read_bytes())
    update = "DELETE WHERE { ?c nekg:partnersWith ?p }"
    assert _error([update, "-g", str(graph)]) == (
        "refusing to run a SPARQL update: queries are read-only; add --update to change the graph"
    )
    assert graph.read_bytes() == FIXTURE.read_bytes()
    assert _ok([update, "-g", str(graph), "--update"]) == f"updated {graph}: 213 -> 211 triples\n"
    assert _ok(["partners", "-g", str(graph)]).splitlines()[2:] == ["0 rows"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["SELECT ?s WHERE {\n ?s foo:bar ?o }", "-g", str(FIXTURE)],
            "unknown prefix 'foo:' at line 2, column 5; defined prefixes: dcterms, id, nekg, owl, prov, rdf, rdfs, schema, skos, xsd "
            "(declare others with PREFIX foo: <…>)",
        ),
        (
            ["companies-at", "-g", str(FIXTURE)],
            "no named query 'companies-at'; there are: "
            + ", ".join(sorted(query_named.named_queries()))
            + ". Run `nekg queries` to list them.",
        ),
        (
            ["companies-in", "-p", "city=常州", "-g", str(FIXTURE)],
            "companies-in has no parameter 'city'; its parameters: place",
        ),
        (
            ["companies-in", "-g", str(FIXTURE)],
            "companies-in needs --param place=… (the place, by name (常州) or IRI); its parameters: place",
        ),
        (
            ["about", "-p", "entity=常州", "-g", str(FIXTURE)],
            "--param entity: '常州' is ambiguous: id:org/jintan-gov (金坛区人民政府, Organization); "
            "id:place/320400 (常州市, Place); pass one IRI instead, e.g. --param entity=id:org/jintan-gov",
        ),
        (
            ["about", "-p", "entity=无锡", "-g", str(FIXTURE)],
            "--param entity: no entity is named '无锡' (skos:prefLabel, skos:altLabel or rdfs:label); "
            "run `nekg query entities-by-type` to see the names",
        ),
        (
            ["about", "-p", "常州", "-g", str(FIXTURE)],
            "--param '常州': write NAME=VALUE, e.g. --param place=常州",
        ),
        (
            ["INSERT DATA { <a:b> <a:c> <a:d> }", "-g", str(FIXTURE)],
            "refusing to run a SPARQL update: queries are read-only; add --update to change the graph",
        ),
        (
            ["chain-leaders", "-g", "nowhere/graph.ttl"],
            "nowhere/graph.ttl does not exist: run `nekg build` first, or pass --graph FILE or --endpoint URL",
        ),
        (
            ["chain-leaders", "-g", str(FIXTURE), "-e", "http://127.0.0.1:1/query"],
            "give either --graph FILE or --endpoint URL, not both",
        ),
        (
            ["chain-leaders", "-e", "ftp://example.org/sparql"],
            "--endpoint ftp://example.org/sparql: give an http:// or https:// URL of a SPARQL endpoint",
        ),
        (
            ["chain-leaders", "-g", str(FIXTURE), "--format", "turtle"],
            "SELECT gives a table: use --format table, csv, tsv, json or xml, not turtle",
        ),
        (
            ["CONSTRUCT WHERE { ?s a nekg:Place }", "-g", str(FIXTURE), "--format", "csv"],
            "CONSTRUCT gives a graph: use --format turtle, ntriples or jsonld, not csv",
        ),
        ([], "no query: give SPARQL text, -f FILE, - for stdin, or a name (run `nekg queries`)"),
        (["   ", "-g", str(FIXTURE)], "the query is empty"),
    ],
)
def test_query_cli_errors_are_one_line(args, message):
    assert _error(args) == message


@pytest.mark.parametrize(
    ("text", "start"),
    [
        (
            "SELECT ?s WHERE { ?s ?p ?o ",
            "SPARQL syntax error at line 1, column 28 near '{ ?s ?p ?o': expected one of",
        ),
        ("SELECT ?s\nWHERE {\n  ?s ?p ?o ?x }", "SPARQL syntax error at line 3, column"),
        (
            "SELECT ?s WHERE { ?s nekg:名 ?o } ORDER",
            "SPARQL syntax error at line 1, column 39",
        ),  # characters, not bytes
    ],
)
def test_query_cli_syntax_error_gives_line_and_column(text, start):
    assert _error([text, "-g", str(FIXTURE)]).startswith(start)


def test_query_cli_syntax_error_exit_code_and_stderr():
    result = _invoke(["SELECT * WHERE { ?s ?p }", "-g", str(FIXTURE)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: SPARQL syntax error at line 1, column")


def test_query_cli_default_graph_is_out_graph_ttl(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _error(["chain-leaders"]).startswith(
        "out/graph.ttl does not exist: run `nekg build` first"
    )
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.ttl").write_bytes(FIXTURE.read_bytes())
    assert "动力电池产业链" in _ok(["chain-leaders"])


def test_queries_lists_every_named_query_with_description():
    result = CliRunner().invoke(cli, ["queries"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == list(query_named.named_queries())
    companies = next(line for line in lines if line.startswith("companies-in "))
    assert companies.split(None, 2)[1:] == [
        "place",
        query_named.named_query("companies-in").description,
    ]
    assert next(line for line in lines if line.startswith("partners ")).split()[1] == "[entity]"


def test_queries_shows_one_query():
    result = CliRunner().invoke(cli, ["queries", "companies-in"])
    assert result.exit_code == 0
    assert result.output == query_named.named_query("companies-in").text
    missing = CliRunner().invoke(cli, ["queries", "nope"])
    assert missing.exit_code == 1
    assert "Run `nekg queries` to list them." in missing.output
