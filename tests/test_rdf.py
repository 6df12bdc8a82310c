from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pyoxigraph
import pytest
from conftest import ROOT, SEEDS, require_tool
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from graph.errors import GraphError
from graph.rdf import build as rdf
from graph.rdf import read as rdf_read
from graph.rdf import write as rdf_write
from graph.rdf.vocab import ID, NEKG, ONTOLOGY_FILE, SCHEMA, SHAPES_FILE, WD, terms
from graph.records import Article, Entity, EntityType, Evidence, Extraction, Relation, RelationType


def _assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            "graphs differ\nonly expected:\n"
            + only_expected.serialize(format="nt")
            + "\nonly actual:\n"
            + only_actual.serialize(format="nt")
        )


def _memory(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


# --- entities ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_id", "cls", "label", "alt_labels"),
    [
        ("company/calb", NEKG.Company, "中创新航", {"中创新航科技股份有限公司", "中航锂电"}),
        ("place/320413", NEKG.Place, "金坛区", set()),
        ("policy/532", NEKG.Policy, "“532”发展战略", set()),
        ("chain/power-battery", NEKG.IndustryChain, "动力电池", set()),
    ],
)
def test_rdf_entity_has_class_one_preflabel_and_aliases(
    hand_graph, entity_id, cls, label, alt_labels
):
    node = ID[entity_id]
    assert (node, RDF.type, cls) in hand_graph
    assert list(hand_graph.objects(node, SKOS.prefLabel)) == [Literal(label, lang="zh")]
    assert list(hand_graph.objects(node, RDFS.label)) == [Literal(label, lang="zh")]
    assert {str(a) for a in hand_graph.objects(node, SKOS.altLabel)} == alt_labels
    assert all(a.language == "zh" for a in hand_graph.objects(node, SKOS.altLabel))


@pytest.mark.parametrize(
    ("entity_id", "predicate", "value"),
    [
        ("place/320413", NEKG.adminCode, Literal("320413")),
        ("company/catl", SKOS.exactMatch, WD.Q19841226),
    ],
)
def test_rdf_entity_external_ids(hand_graph, entity_id, predicate, value):
    assert list(hand_graph.objects(ID[entity_id], predicate)) == [value]


@pytest.mark.parametrize(
    ("entity", "message"),
    [
        (Entity("公司/中创新航", EntityType.COMPANY, "中创新航"), "cannot be an IRI"),
        (Entity("company/a b", EntityType.COMPANY, "x"), "cannot be an IRI"),
        (
            Entity("place/x", EntityType.PLACE, "x", external=(("adcode", "32041"),)),
            "6, 9 or 12 digits",
        ),
        (Entity("company/x", EntityType.COMPANY, "x", external=(("wikidata", "x1"),)), "Q-number"),
    ],
)
def test_rdf_bad_entity_raises_graph_error(entity, message):
    with pytest.raises(GraphError, match=message):
        rdf.to_graph(Extraction(articles=(), entities=(entity,)))


# --- facts and evidence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "rel", "tail"),
    [
        ("company/calb", NEKG.locatedIn, "place/320413"),
        ("company/catl", NEKG.leadsChain, "chain/power-battery"),
        ("policy/532", NEKG.issuedBy, "place/320413"),
        ("person/zeng-yuqun", NEKG.hasRole, "company/catl"),
        # symmetric: stored once, the lower IRI first, whatever order the record had
        ("company/calb", NEKG.partnersWith, "place/320413"),
        ("company/catl", NEKG.partnersWith, "place/320413"),
    ],
)
def test_rdf_fact_is_a_plain_triple_with_a_statement_node(
    hand_graph, hand_extraction, head, rel, tail
):
    subject, obj = ID[head], ID[tail]
    assert (subject, rel, obj) in hand_graph
    assert (obj, rel, subject) not in hand_graph
    statements = [
        s
        for s in hand_graph.subjects(RDF.subject, subject)
        if (s, RDF.predicate, rel) in hand_graph and (s, RDF.object, obj) in hand_graph
    ]
    assert len(statements) == 1
    node = statements[0]
    assert str(node).startswith(f"{ID}statement/")
    assert len(str(node).rsplit("/", 1)[1]) == 16
    assert {RDF.Statement, PROV.Entity} <= set(hand_graph.objects(node, RDF.type))
    article = hand_graph.value(node, PROV.wasDerivedFrom)
    start = hand_graph.value(node, NEKG.start).toPython()
    end = hand_graph.value(node, NEKG.end).toPython()
    sentence = hand_graph.value(node, NEKG.evidence)
    assert sentence.language == "zh"
    assert hand_graph.value(node, NEKG.start).datatype == XSD.integer
    assert hand_graph.value(node, NEKG.confidence).datatype == XSD.decimal
    assert hand_graph.value(node, NEKG.method)
    # the offsets point at the sentence in the ORIGINAL text
    text = next(a.text for a in hand_extraction.articles if ID[f"article/{a.id}"] == article)
    assert text[start:end].replace('"', "“", 1).replace('"', "”", 1) == str(sentence)


def test_rdf_role_is_on_the_statement_node(hand_graph):
    roles = list(hand_graph.subject_objects(NEKG.role))
    assert len(roles) == 1
    node, role = roles[0]
    assert role == Literal("董事长", lang="zh")
    assert hand_graph.value(node, RDF.predicate) == NEKG.hasRole


def test_rdf_symmetric_fact_in_both_directions_is_one_triple():
    article = Article("a1", "甲与乙合作。", title="t")
    ev = Evidence("a1", "甲与乙合作。", 0, 6, "rule", 0.5)
    entities = (
        Entity("company/b", EntityType.COMPANY, "乙"),
        Entity("company/a", EntityType.COMPANY, "甲"),
    )
    forward = Relation("company/b", RelationType.PARTNERS_WITH, "company/a", (ev,))
    backward = Relation("company/a", RelationType.PARTNERS_WITH, "company/b", (ev,))
    graph = rdf.to_graph(Extraction((article,), entities=entities, relations=(forward, backward)))
    assert list(graph.subject_objects(NEKG.partnersWith)) == [(ID["company/a"], ID["company/b"])]
    assert len(list(graph.subjects(RDF.type, RDF.Statement))) == 1


@pytest.mark.parametrize(
    ("confidence", "lexical"), [(0.9, "0.9"), (1.0, "1"), (0.25, "0.25"), (0.123456, "0.1235")]
)
def test_rdf_confidence_is_a_canonical_decimal(confidence, lexical):
    article = Article("a1", "甲位于乙。", title="t")
    entities = (
        Entity("company/a", EntityType.COMPANY, "甲"),
        Entity("place/b", EntityType.PLACE, "乙"),
    )
    relation = Relation(
        "company/a",
        RelationType.LOCATED_IN,
        "place/b",
        (Evidence("a1", "甲位于乙。", 0, 5, "rule", confidence),),
    )
    graph = rdf.to_graph(Extraction((article,), entities=entities, relations=(relation,)))
    value = next(graph.objects(None, NEKG.confidence))
    assert (str(value), value.datatype) == (lexical, XSD.decimal)


# --- mentions and articles ---------------------------------------------------------------------


def test_rdf_mention_nodes_keep_surface_sentence_and_offsets(hand_graph, hand_extraction):
    texts = {ID[f"article/{a.id}"]: a.text for a in hand_extraction.articles}
    nodes = list(hand_graph.subjects(RDF.type, NEKG.Mention))
    assert len(nodes) == len(hand_extraction.mentions)
    for node in nodes:
        article = hand_graph.value(node, PROV.wasDerivedFrom)
        entity = hand_graph.value(node, NEKG.mentionOf)
        start, end = (hand_graph.value(node, p).toPython() for p in (NEKG.start, NEKG.end))
        assert texts[article][start:end] == str(hand_graph.value(node, NEKG.surface))
        assert str(hand_graph.value(node, NEKG.surface)) in str(
            hand_graph.value(node, NEKG.evidence)
        )
        assert (article, SCHEMA.mentions, entity) in hand_graph


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (RDF.type, {NEKG.Article, SCHEMA.NewsArticle}),
        (URIRef("http://purl.org/dc/terms/title"), {Literal("金坛新能源", lang="zh")}),
        (URIRef("http://purl.org/dc/terms/date"), {Literal("2023")}),
        (URIRef("http://purl.org/dc/terms/publisher"), {Literal("金坛日报", lang="zh")}),
        (SCHEMA.url, {URIRef("https://example.com/news/1")}),
    ],
)
def test_rdf_article_metadata(hand_graph, predicate, expected):
    assert set(hand_graph.objects(ID["article/a1"], predicate)) == expected


def test_rdf_article_content_hash_and_unknown_fields_left_out(hand_graph):
    import hashlib

    node = ID["article/a2"]
    text = (
        '宁德时代是动力电池产业链链主，董事长曾毓群表示"看好溧阳"。\n宁德时代与金坛区签署合作协议。'
    )
    assert hand_graph.value(node, NEKG.contentHash) == Literal(
        "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    )
    assert hand_graph.value(node, SCHEMA.url) is None
    assert hand_graph.value(node, URIRef("http://purl.org/dc/terms/publisher")) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a b?q=中", "https://example.com/a%20b?q=%E4%B8%AD"),
        ("http://x.cn/p<1>", "http://x.cn/p%3C1%3E"),
        ("not a url", None),
        ("javascript:alert(1)", None),
    ],
)
def test_rdf_article_url_is_a_safe_iri(url, expected):
    graph = rdf.to_graph(Extraction((Article("a1", "正文。", title="t", url=url),)))
    value = graph.value(ID["article/a1"], SCHEMA.url)
    assert (str(value) if value is not None else None) == expected


# --- stable IRIs and deterministic Turtle ----------------------------------------------------------


def _shuffled(extraction: Extraction) -> Extraction:
    return dataclasses.replace(
        extraction,
        articles=extraction.articles[::-1],
        sentences=extraction.sentences[::-1],
        mentions=extraction.mentions[::-1],
        entities=extraction.entities[::-1],
        relations=extraction.relations[::-1],
    )


def test_rdf_turtle_independent_of_record_order_and_store(hand_extraction):
    expected = rdf_write.to_turtle(rdf.to_graph(hand_extraction))
    assert rdf_write.to_turtle(rdf.to_graph(_shuffled(hand_extraction))) == expected
    assert rdf_write.to_turtle(rdf.to_graph(hand_extraction, store="default")) == expected


def test_rdf_two_builds_give_identical_bytes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "graph", "build", str(SEEDS), "-o", str(out)],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        outputs.append({name: (out / name).read_bytes() for name in ("graph.ttl", "graph.graphml")})
    assert outputs[0] == outputs[1]
    assert outputs[0]["graph.ttl"]


@pytest.mark.parametrize(
    "text",
    [
        '带"引号"的句子',
        "back\\slash",
        "两行\n文字",
        "tab\there",
        "控制\x01字符",
        "emoji 🔋 and \u3000 space",
    ],
)
def test_rdf_turtle_escapes_literals(tmp_path, text):
    article = Article("a1", text, title=text)
    graph = rdf.to_graph(Extraction((article,)))
    path = tmp_path / "g.ttl"
    path.write_text(rdf_write.to_turtle(graph), encoding="utf-8")
    back = Graph().parse(path, format="turtle")
    _assert_isomorphic(_memory(graph), back)
    assert back.value(ID["article/a1"], URIRef("http://purl.org/dc/terms/title")) == Literal(
        text, lang="zh"
    )


# --- other tools read it ----------------------------------------------------------------------------


def test_rdf_turtle_round_trips_in_rdflib(hand_graph, hand_ttl):
    _assert_isomorphic(_memory(hand_graph), Graph().parse(hand_ttl, format="turtle"))


def test_rdf_turtle_parses_in_pyoxigraph(hand_graph, hand_ttl):
    store = pyoxigraph.Store()
    store.load(path=str(hand_ttl), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(hand_graph)
    nt = pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    _assert_isomorphic(_memory(hand_graph), Graph().parse(data=nt, format="nt"))


def test_rdf_turtle_passes_rapper(tmp_path, hand_graph, hand_ttl):
    rapper = require_tool("rapper")
    check = subprocess.run(
        [rapper, "-c", "-i", "turtle", str(hand_ttl)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    assert f"returned {len(hand_graph)} triples" in check.stderr
    nt = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-o", "ntriples", str(hand_ttl)],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    _assert_isomorphic(_memory(hand_graph), Graph().parse(data=nt, format="nt"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None),
        (
            "PREFIX nekg: <https://w3id.org/nekg/ontology#> "
            "SELECT (COUNT(*) AS ?n) WHERE { ?c nekg:locatedIn ?p }",
            1,
        ),
        (
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "SELECT (COUNT(*) AS ?n) WHERE { ?s a rdf:Statement }",
            6,
        ),
    ],
)
def test_rdf_turtle_queries_in_roqet(hand_graph, hand_ttl, query, expected):
    roqet = require_tool("roqet")
    result = subprocess.run(
        [roqet, "-W", "0", "-q", "-r", "csv", "-D", str(hand_ttl), "-e", query],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.strip().splitlines()[-1].strip('"'))
    assert count == (len(hand_graph) if expected is None else expected)


# --- ontology and vocabulary -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def test_rdf_vocab_matches_ontology(ontology):
    declared = {
        s
        for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, cls)
        if str(s).startswith(str(NEKG))
    }
    assert declared == set(terms())


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment])
def test_rdf_ontology_documents_every_term_in_chinese_and_english(ontology, predicate, language):
    missing = [
        t
        for t in terms()
        if not any(v.language == language for v in ontology.objects(t, predicate))
    ]
    assert not missing


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"),
    [
        (NEKG.partnersWith, RDF.type, OWL.SymmetricProperty),
        (NEKG.locatedIn, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P131")),
        (NEKG.locatedIn, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P159")),
        (NEKG.subsidiaryOf, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P749")),
        (
            NEKG.subsidiaryOf,
            RDFS.subPropertyOf,
            URIRef("http://www.w3.org/ns/org#subOrganizationOf"),
        ),
        (NEKG.Company, RDFS.subClassOf, SCHEMA.Organization),
        (NEKG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (NEKG.Article, RDFS.subClassOf, PROV.Entity),
        (NEKG.IndustryChain, RDFS.subClassOf, SKOS.Concept),
        (NEKG.leadsChain, RDFS.range, NEKG.IndustryChain),
    ],
)
def test_rdf_ontology_alignments(ontology, subject, predicate, obj):
    assert (subject, predicate, obj) in ontology


def test_rdf_entity_and_relation_types_are_ontology_terms():
    assert {NEKG[t.value] for t in EntityType} | {NEKG[r.value] for r in RelationType} <= terms()


def test_rdf_graph_uses_only_declared_terms(hand_graph):
    used = {
        t
        for triple in hand_graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(NEKG))
    }
    assert used <= terms()


def test_rdf_vocab_refuses_unknown_terms():
    with pytest.raises(AttributeError):
        _ = NEKG.locatedAt


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE])
def test_rdf_ontology_files_pass_rapper(path):
    rapper = require_tool("rapper")
    result = subprocess.run(
        [rapper, "-c", "-i", "turtle", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- reading and writing ---------------------------------------------------------------------------


def test_rdf_read_graph_round_trips(hand_graph, hand_ttl):
    _assert_isomorphic(_memory(hand_graph), _memory(rdf_read.read_graph(hand_ttl)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such graph file"),
        ("this is not turtle <", "not valid Turtle"),
        ("<a> <b> .", "not valid Turtle"),
    ],
)
def test_rdf_read_graph_errors_name_the_problem(tmp_path, content, message):
    path = tmp_path / "graph.ttl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphError, match=message) as info:
        rdf_read.read_graph(path)
    assert "\n" not in str(info.value)


# --- the seed graph as built -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_ttl(tmp_path_factory):
    from graph import pipeline

    graph = rdf.to_graph(pipeline.run([SEEDS]))
    path = tmp_path_factory.mktemp("seed") / "graph.ttl"
    path.write_text(rdf_write.to_turtle(graph), encoding="utf-8")
    return graph, path


def test_rdf_seed_graph_round_trips_through_every_reader(seed_ttl):
    graph, path = seed_ttl
    _assert_isomorphic(graph, Graph().parse(path, format="turtle"))
    _assert_isomorphic(graph, rdf_read.read_graph(path))
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph)
    rapper = require_tool("rapper")
    nt = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    _assert_isomorphic(graph, Graph().parse(data=nt, format="nt"))


def test_rdf_seed_graph_iris_are_ascii(seed_ttl):
    graph, _ = seed_ttl
    minted = {
        t
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(ID))
    }
    assert minted
    assert all(str(t).isascii() for t in minted)
