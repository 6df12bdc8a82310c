"""The query library: named queries, parameters, loading graphs, errors."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT

from graph.errors import GraphError, QueryError
from graph.query import engine as query
from graph.query import named as query_named
from graph.query import params as query_params
from graph.query import sources as query_sources
from graph.query import syntax as query_syntax
from graph.query import terms as query_terms
from graph.query.results import cell

FIXTURE = ROOT / "tests" / "data" / "query" / "changzhou.ttl"
ID = query_terms.ID


@pytest.fixture(scope="module")
def source() -> query_sources.LocalGraph:
    return query_sources.LocalGraph.load(FIXTURE)


def _cells(result: query_sources.Result) -> list[tuple[str, ...]]:
    return [tuple(cell(term, query_terms.PREFIXES) for term in row) for row in result.rows]


def _run_named(source, name, params):
    named = query_named.named_query(name)
    return query.run(source, named.text, params, declared=named.params, name=name)


NAMED_CASES = [
    (
        "entities-by-type",
        {"type": "Company"},
        [
            ("nekg:Company", "id:company/calb", "中创新航", "2"),
            ("nekg:Company", "id:company/catl", "宁德时代", "1"),
            ("nekg:Company", "id:company/byd", "比亚迪", "1"),
            ("nekg:Company", "id:company/svolt", "蜂巢能源", "1"),
        ],
    ),
    (
        "entities-by-type",
        {"type": "nekg:Place"},
        [
            ("nekg:Place", "id:place/320400", "常州市", "1"),
            ("nekg:Place", "id:place/320000", "江苏省", "0"),
            ("nekg:Place", "id:place/440300", "深圳市", "0"),
            ("nekg:Place", "id:place/320481", "溧阳市", "1"),
            ("nekg:Place", "id:place/320413", "金坛区", "1"),
        ],
    ),
    (
        # 中创新航 is in 金坛区, 宁德时代 in 溧阳市, 蜂巢能源 in a platform inside 金坛区; 比亚迪 is elsewhere.
        "companies-in",
        {"place": "常州"},
        [
            ("id:place/320400", "id:company/calb", "中创新航", "id:place/320413", "金坛区"),
            ("id:place/320400", "id:company/catl", "宁德时代", "id:place/320481", "溧阳市"),
            (
                "id:place/320400",
                "id:company/svolt",
                "蜂巢能源",
                "id:platform/lianghu",
                "两湖创新区",
            ),
        ],
    ),
    (
        "companies-in",
        {"place": "金坛区"},
        [
            ("id:place/320413", "id:company/calb", "中创新航", "id:place/320413", "金坛区"),
            (
                "id:place/320413",
                "id:company/svolt",
                "蜂巢能源",
                "id:platform/lianghu",
                "两湖创新区",
            ),
        ],
    ),
    (
        "companies-in",
        {"place": "深圳"},
        [("id:place/440300", "id:company/byd", "比亚迪", "id:place/440300", "深圳市")],
    ),
    (
        "chain-leaders",
        {},
        [
            ("id:chain/power-battery", "动力电池产业链", "id:company/calb", "中创新航", "1"),
            ("id:chain/power-battery", "动力电池产业链", "id:company/catl", "宁德时代", "1"),
        ],
    ),
    (
        "chain-leaders",
        {"chain": "动力电池"},
        [
            ("id:chain/power-battery", "动力电池产业链", "id:company/calb", "中创新航", "1"),
            ("id:chain/power-battery", "动力电池产业链", "id:company/catl", "宁德时代", "1"),
        ],
    ),
    (
        # Stored once per pair (byd -> calb, calb -> svolt), found from either side.
        "partners",
        {"entity": "中创新航"},
        [
            ("id:company/calb", "中创新航", "id:company/byd", "比亚迪", "1"),
            ("id:company/calb", "中创新航", "id:company/svolt", "蜂巢能源", "1"),
        ],
    ),
    (
        "partners",
        {"entity": "蜂巢能源"},
        [("id:company/svolt", "蜂巢能源", "id:company/calb", "中创新航", "1")],
    ),
    (
        "about",
        {"entity": "陆秋明"},
        [
            ("id:person/lu", "id:person/lu", "rdf:type", "nekg:Person", "", "", "", "", ""),
            ("id:person/lu", "id:person/lu", "rdfs:label", "陆秋明", "", "", "", "", ""),
            ("id:person/lu", "id:person/lu", "skos:prefLabel", "陆秋明", "", "", "", "", ""),
            (
                "id:person/lu",
                "id:person/lu",
                "nekg:hasRole",
                "id:org/jintan-gov",
                "陆秋明任金坛区人民政府区长。",
                "id:article/a1",
                "3",
                "17",
                "",  # the fixture was written before rule ids (nekg:rule)
            ),
        ],
    ),
    (
        "policies-by-place",
        {"place": "常州"},
        [
            ("id:place/320400", "id:policy/532", "532发展战略", "id:place/320400", "常州市"),
            (
                "id:place/320400",
                "id:policy/jintan-energy",
                "金坛新能源产业扶持办法",
                "id:org/jintan-gov",
                "金坛区人民政府",
            ),
        ],
    ),
    (
        "policies-by-place",
        {"place": "金坛"},
        [
            (
                "id:place/320413",
                "id:policy/jintan-energy",
                "金坛新能源产业扶持办法",
                "id:org/jintan-gov",
                "金坛区人民政府",
            )
        ],
    ),
    ("policies-by-place", {"place": "溧阳"}, []),
    (
        "articles-mentioning",
        {"entity": "中创新航"},
        [
            ("id:company/calb", "id:article/a1", "在新能源产业赛道上加速前行", "2023", "2"),
            (
                "id:company/calb",
                "id:article/a2",
                "常州：领跑产业赛道，奋进万亿之城",
                "2022-02",
                "1",
            ),
        ],
    ),
    (
        "articles-mentioning",
        {"entity": "id:place/320400"},
        [("id:place/320400", "id:article/a2", "常州：领跑产业赛道，奋进万亿之城", "2022-02", "0")],
    ),
    # This fixture holds no figures; tests/test_figures.py runs these on a graph that does.
    ("figures-of", {"entity": "中创新航"}, []),
    ("investments-in", {"place": "常州", "year": "2023"}, []),
    ("capacity-by-company", {"chain": "id:chain/power-battery"}, []),
]


@pytest.mark.parametrize(("name", "params", "expected"), NAMED_CASES)
def test_query_named_query_gives_expected_rows(source, name, params, expected):
    assert _cells(_run_named(source, name, params)) == expected


def test_query_every_named_query_is_tested():
    assert {case[0] for case in NAMED_CASES} == set(query_named.named_queries())


def test_query_about_lists_every_fact_with_evidence(source):
    rows = _cells(_run_named(source, "about", {"entity": "中创新航"}))
    facts = [r[1:8] for r in rows if r[2].startswith("nekg:")]  # without the rule column
    assert facts == [
        (
            "id:company/calb",
            "nekg:leadsChain",
            "id:chain/power-battery",
            "中创新航、宁德时代是动力电池产业链的龙头。",
            "id:article/a2",
            "60",
            "81",
        ),
        (
            "id:company/calb",
            "nekg:locatedIn",
            "id:place/320413",
            "中创新航总部落户金坛区。",
            "id:article/a1",
            "120",
            "132",
        ),
        (
            "id:company/calb",
            "nekg:locatedIn",
            "id:place/320413",
            "位于金坛的中创新航持续扩产。",
            "id:article/a2",
            "40",
            "54",
        ),
        (
            "id:company/byd",
            "nekg:partnersWith",
            "id:company/calb",
            "比亚迪与中创新航达成战略合作。",
            "id:article/a2",
            "90",
            "105",
        ),
        (
            "id:company/calb",
            "nekg:partnersWith",
            "id:company/svolt",
            "中创新航与蜂巢能源签署合作协议。",
            "id:article/a1",
            "200",
            "216",
        ),
    ]
    assert (
        "id:company/calb",
        "id:company/calb",
        "skos:altLabel",
        "中航锂电",
        "",
        "",
        "",
        "",
        "",
    ) in rows


def _plain(term) -> tuple[str, str]:
    """A term from either library as (kind, text) so the two can be compared."""
    if term is None:
        return ("", "")
    if isinstance(term, ox.NamedNode | rdflib.URIRef):
        return ("iri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.Literal):
        return ("literal", f"{term.value}@{term.language or ''}")
    return ("literal", f"{term}@{term.language or ''}")


@pytest.mark.parametrize(("name", "params", "expected"), NAMED_CASES)
def test_query_named_query_equals_pyoxigraph_and_rdflib(source, name, params, expected):
    """The same query on the same Turtle: our rows == bare pyoxigraph == rdflib's own engine."""
    named = query_named.named_query(name)
    bound = query_params.bind_params(named.params, params, source)
    ours = [
        tuple(_plain(t) for t in row)
        for row in query.run(source, named.text, params, declared=named.params).rows
    ]

    store = ox.Store()
    store.load(path=FIXTURE, format=ox.RdfFormat.TURTLE)
    direct = store.query(named.text, substitutions={ox.Variable(k): v for k, v in bound.items()})
    assert ours == [tuple(_plain(s[v]) for v in direct.variables) for s in direct]

    graph = rdflib.Graph().parse(FIXTURE, format="turtle")
    answer = graph.query(
        named.text, initBindings={k: rdflib.URIRef(v.value) for k, v in bound.items()}
    )
    theirs = [tuple(_plain(row[v]) for v in answer.vars) for row in answer]
    assert sorted(ours) == sorted(theirs)


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        (
            query_named.Param("place", type="Place"),
            "常州",
            "place/320400",
        ),  # 金坛区人民政府 is also called 常州, but is no Place
        (query_named.Param("place", type="Place"), "常州市", "place/320400"),
        (query_named.Param("entity"), "中創新航", "company/calb"),  # traditional script
        (query_named.Param("entity"), " 中航锂电 ", "company/calb"),  # an alias, with spaces
        (query_named.Param("entity"), '"532"发展战略', "policy/532"),  # quotes do not count
        (query_named.Param("entity"), "id:company/catl", "company/catl"),
        (query_named.Param("entity"), "<https://w3id.org/nekg/id/company/catl>", "company/catl"),
        (query_named.Param("entity"), "https://w3id.org/nekg/id/company/catl", "company/catl"),
        (query_named.Param("type", kind="class"), "industrychain", "../ontology#IndustryChain"),
    ],
)
def test_query_param_resolves_names_and_iris(source, param, value, expected):
    term = query_params.bind_value(param, value, source)
    assert term == ox.NamedNode(
        ID + expected
        if not expected.startswith("..")
        else query_terms.NEKG + expected.split("#")[1]
    )


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        (
            query_named.Param("entity"),
            "常州",
            "--param entity: '常州' is ambiguous: id:org/jintan-gov (金坛区人民政府, Organization); "
            "id:place/320400 (常州市, Place); pass one IRI instead, e.g. --param entity=id:org/jintan-gov",
        ),
        (
            query_named.Param("place", type="Place"),
            "中创新航",
            "--param place: '中创新航' names no Place, only: id:company/calb (中创新航, Company)",
        ),
        (query_named.Param("entity"), "无锡", "--param entity: no entity is named '无锡'"),
        (
            query_named.Param("place", type="Place"),
            "无锡",
            "--param place: no Place entity is named '无锡'",
        ),
        (
            query_named.Param("type", kind="class"),
            "Factory",
            "--param type: no class 'Factory'; classes: Company, Place",
        ),
        (query_named.Param("n", kind="integer"), "three", "--param n: 'three' is not an integer"),
        (query_named.Param("x", kind="iri"), "常州", "--param x: '常州' is not an IRI"),
        (query_named.Param("entity"), "<not an iri>", "'<not an iri>' is not a valid IRI"),
    ],
)
def test_query_param_errors_say_what_exists(source, param, value, message):
    with pytest.raises(QueryError) as caught:
        query_params.bind_value(param, value, source)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        (
            "companies-in",
            {},
            "companies-in needs --param place=… (the place, by name (常州) or IRI); its parameters: place",
        ),
        (
            "companies-in",
            {"place": "常州", "city": "x"},
            "companies-in has no parameter 'city'; its parameters: place",
        ),
        (
            "entities-by-type",
            {"kind": "Company"},
            "entities-by-type has no parameter 'kind'; its parameters: [type]",
        ),
    ],
)
def test_query_unknown_or_missing_param_lists_the_parameters(source, name, params, message):
    with pytest.raises(
        QueryError,
        match="^" + message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[") + "$",
    ):
        _run_named(source, name, params)


def test_query_adhoc_params_bind_any_variable(source):
    text = "SELECT ?place ?code WHERE { ?place nekg:adminCode ?code }"
    assert _cells(query.run(source, text, {"place": "溧阳"})) == [("id:place/320481", "320481")]
    assert _cells(query.run(source, text, {"code": '"320413"'})) == [("id:place/320413", "320413")]
    with pytest.raises(
        QueryError, match=r"^the query has no parameter 'city'; its variables: \?place, \?code$"
    ):
        query.run(source, text, {"city": "常州"})


def test_query_binding_cannot_inject(source):
    """A value is one term, whatever it contains."""
    text = "SELECT ?label ?place WHERE { ?place skos:prefLabel ?label }"
    evil = '"x" } UNION { ?place ?p ?label'
    declared = [query_named.Param("label", kind="string")]
    assert query.run(source, text, {"label": evil}, declared=declared).rows == ()
    assert (
        len(query.run(source, text, {"label": "常州市"}, declared=declared).rows) == 0
    )  # no @zh: a different literal
    quoted = query.run(source, text, {"label": '"常州市"@zh'})
    assert _cells(quoted) == [("常州市", "id:place/320400")]


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("# ask\nPREFIX a: <http://a#> BASE <http://b/> ask { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://a>", "DESCRIBE"),
        ("PREFIX x: <http://x#>\nINSERT DATA { x:a x:b x:c }", "UPDATE"),
        ("delete where { ?s ?p ?o }", "UPDATE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("'# not a comment' SELECT", ""),
    ],
)
def test_query_form_is_read_past_prologue_and_comments(text, form):
    assert query_syntax.query_form(text) == form


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o ", "SPARQL syntax error at line 1, column 28"),
        ("SELECT ?s\nWHERE {\n  ?s ?p ?o ?x }", "SPARQL syntax error at line 3, column"),
        (
            "SELECT ?s WHERE {\n  ?s foo:bar ?o }",
            "unknown prefix 'foo:' at line 2, column 6; defined prefixes: dcterms, id, nekg, owl, prov, rdf, rdfs, schema, skos, xsd",
        ),
        (
            "PREFIX ex: <http://ex#>\nSELECT * { ?s ex:p ?o ; exx:q ?z }",
            "unknown prefix 'exx:' at line 2, column 25",
        ),
        (
            'SELECT * { _:b nekg:p 12 ; nekg:q 1.5e3 ; nekg:r "a:b" ; }}',
            "SPARQL syntax error at line 1, column",
        ),
    ],
)
def test_query_syntax_errors_have_line_and_column(source, text, message):
    with pytest.raises(QueryError) as caught:
        query.run(source, text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_query_update_refused_unless_allowed(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_bytes(FIXTURE.read_bytes())
    source = query_sources.LocalGraph.load(graph)
    update = 'INSERT DATA { <https://w3id.org/nekg/id/company/x> skos:prefLabel "新公司"@zh }'
    with pytest.raises(QueryError, match=r"refusing to run a SPARQL update.*add --update"):
        query.run(source, update)
    assert "新公司" not in graph.read_text(encoding="utf-8")
    summary = query.run(source, update, allow_update=True)
    assert summary == f"updated {graph}: 213 -> 214 triples"
    again = query_sources.LocalGraph.load(graph)
    assert query.run(again, 'ASK { ?s skos:prefLabel "新公司"@zh }').boolean is True
    assert len(again.store) == 214


def test_query_missing_graph_says_build_first(tmp_path):
    with pytest.raises(GraphError, match=r"does not exist: run `nekg build` first"):
        query_sources.LocalGraph.load(tmp_path / "out" / "graph.ttl")


def test_query_broken_graph_file_is_reported(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(GraphError, match=r"bad.ttl: not valid Turtle: .*line 1 column 9"):
        query_sources.LocalGraph.load(bad)


@pytest.mark.parametrize(
    ("suffix", "rdf_format"),
    [(".trig", ox.RdfFormat.TRIG), (".nt", ox.RdfFormat.N_TRIPLES), (".nq", ox.RdfFormat.N_QUADS)],
)
def test_query_other_graph_formats_give_the_same_answers(source, tmp_path, suffix, rdf_format):
    """TriG and N-Quads with the triples in a named graph are queried like the default graph."""
    triples = [q.triple for q in source.store]
    if rdf_format.supports_datasets:
        graph_name = ox.NamedNode("https://w3id.org/nekg/graph/seeds")
        data = ox.serialize([ox.Quad(*t, graph_name) for t in triples], format=rdf_format)
    else:
        data = ox.serialize(triples, format=rdf_format)
    path = tmp_path / f"graph{suffix}"
    path.write_bytes(data)
    other = query_sources.LocalGraph.load(path)
    for name, params, expected in NAMED_CASES[2:4]:
        assert _cells(_run_named(other, name, params)) == expected


def test_query_folder_means_its_graph_ttl(tmp_path):
    (tmp_path / "graph.ttl").write_bytes(FIXTURE.read_bytes())
    assert len(query_sources.LocalGraph.load(tmp_path).store) == 213


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * {}", "the first line must be a '# description' comment"),
        ("# Fine.\n# @param x thing  what\nSELECT * {}", "cannot read '# @param x thing  what'"),
    ],
)
def test_query_named_query_header_is_checked(text, message):
    with pytest.raises(QueryError, match=message):
        query_named.parse_header("q", text)


def test_query_unknown_named_query_lists_the_names():
    with pytest.raises(QueryError) as caught:
        query_named.named_query("companies-at")
    assert str(caught.value) == (
        "no named query 'companies-at'; there are: "
        + ", ".join(query_named.named_queries())
        + ". Run `nekg queries` to list them."
    )


@pytest.mark.parametrize("name", sorted(query_named.named_queries()))
def test_query_named_queries_declare_their_prefixes(name):
    """Every named query runs on any engine: no reliance on nekg's default prefixes."""
    named = query_named.named_query(name)
    assert query_syntax._unknown_prefix(named.text, ()) is None
    assert named.description.endswith(".")
