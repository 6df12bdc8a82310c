"""Hostile text in, valid files out: every writer keeps its format whatever the text holds.

A small graph is built from text holding controls, NUL, line separators, noncharacters,
quotes, markup and (through the Python records, as no reader lets them in) lone
surrogates; every output format must then parse with an independent reader (rdflib,
pyoxigraph, rapper; xml.etree and networkx; json) and give back the text, less only
what the format cannot hold at all.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner
from conftest import require_tool
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import SKOS

from graph.cli import cli
from graph.entities import recognize as entities
from graph.entities.aliases import parse_table
from graph.errors import AliasTableError
from graph.outputs import export, html, network
from graph.rdf import build as rdf
from graph.rdf import write as rdf_write
from graph.records import (
    Article,
    Entity,
    Evidence,
    Extraction,
    Mention,
    Relation,
)
from graph.records import EntityType as T
from graph.records import RelationType as R
from graph.relations import extract as relations
from graph.text.normalize import split_sentences

# What hostile text holds: (what it is, the characters).
HOSTILE = [
    ("NUL", "\x00"),
    ("start of heading", "\x01"),
    ("ANSI colour escape", "\x1b[31m"),
    ("vertical tab", "\x0b"),
    ("form feed", "\x0c"),
    ("carriage return, line feed", "\r\n"),
    ("tab", "\t"),
    ("DEL", "\x7f"),
    ("C1 next line", "\x85"),
    ("C1 application command", "\x9f"),
    ("line separator", "\u2028"),
    ("paragraph separator", "\u2029"),
    ("noncharacter U+FFFE", "\ufffe"),
    ("noncharacter U+FFFF", "\uffff"),
    ("noncharacter U+FDD0", "\ufdd0"),
    ("noncharacter U+10FFFF", "\U0010ffff"),
    ("double quote", '"'),
    ("triple quote", '"""'),
    ("triple single quote", "'''"),
    ("backslash", "\\"),
    ("escape lookalike", "\\u0000\\n"),
    ("script element", "<script>alert(1)</script>"),
    ("CDATA end", "]]>"),
    ("HTML comment", "<!--"),
    ("entity references", "&amp;&#0;&#xFFFE;"),
    ("right-to-left override", "\u202e"),
    ("right-to-left mark", "\u200f"),
    ("byte order mark", "\ufeff"),
    ("emoji with joiners", "😀👨\u200d👩\u200d👧"),
    ("combining accents", "e\u0301\u0301"),
    ("full-width punctuation", "＂＜＞"),
    ("Turtle syntax", '" . <a> <b> "'),
    ("JSON syntax", '"},{"@id":'),
    ("prefix line", "\n@prefix x: <y> .\n"),
]
# Only the Python records can carry these: no UTF-8 file holds them.
LONE_SURROGATES = [
    ("lone high surrogate", "\ud800"),
    ("lone low surrogate", "\udfff"),
    ("reversed pair", "\ude00\ud83d"),
]

fragments = st.sampled_from([chars for _, chars in HOSTILE]) | st.text(max_size=4)
hostile_text = st.lists(fragments, min_size=1, max_size=5).map("".join)
with_surrogates = st.lists(
    fragments | st.sampled_from([chars for _, chars in LONE_SURROGATES]), min_size=1, max_size=5
).map("".join)

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- what each format can hold, written from the specifications --------------------------


def scalar(text: str) -> str:
    """What UTF-8 can hold: a lone surrogate is U+FFFD, a pair is its character."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def xml_char(char: str) -> bool:
    """The Char production of XML 1.0."""
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def xml_held(text: str) -> str:
    """What an XML reader gives back: Chars only, line ends normalized (XML 1.0, 2.11)."""
    text = "".join(c for c in scalar(text) if xml_char(c))
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- building graphs from hostile text ---------------------------------------------------


@pytest.fixture(scope="module")
def table():
    """The alias table, loaded once: the pipeline's models stay loaded between examples."""
    return entities.load_table(None)


def extract(articles: list[Article], table) -> Extraction:
    """The extraction stages of the pipeline, from articles in memory."""
    sentences, mentions = [], []
    for article in articles:
        found = split_sentences(article.id, article.text)
        sentences.extend(found)
        mentions.extend(entities.recognize(found, table))
    mentions, resolved = entities.resolve(mentions, table)
    facts = relations.extract(sentences, mentions, resolved)
    return Extraction(
        tuple(articles), tuple(sentences), tuple(mentions), tuple(resolved), tuple(facts)
    )


def news(hostile: str) -> Article:
    """An article whose entities and facts sit around ``hostile``."""
    text = (
        f"{hostile}中创新航科技股份有限公司位于常州市金坛区。"
        f"宁德时代{hostile}与金坛区签署合作协议。"
        f"董事长曾毓群{hostile}表示看好溧阳{hostile}。"
    )
    return Article("a1", text, title=f"金坛{hostile}", source=hostile, date=hostile)


def records(hostile: str) -> Extraction:
    """Every text field of every record holding ``hostile``."""
    sentence = f"“{hostile}”公司{hostile}位于金坛区。"
    article = Article("a2", sentence, title=hostile, date=hostile, source=hostile, url=hostile)
    sentences = tuple(split_sentences(article.id, article.text))
    evidence = (Evidence("a2", sentence, 0, len(sentence), f"rule:{hostile}", 0.5),)
    return Extraction(
        (article,),
        sentences,
        (Mention("a2", 0, 0, 3, f"{hostile}公司", T.COMPANY, "company/x", hostile, 0.5),),
        (
            Entity("company/x", T.COMPANY, f"{hostile}公司", (hostile, f"{hostile}x")),
            Entity("place/320413", T.PLACE, "金坛区", external=(("note", hostile),)),
        ),
        (
            Relation("company/x", R.LOCATED_IN, "place/320413", evidence),
            Relation("company/x", R.HAS_ROLE, "place/320413", evidence, role=hostile),
        ),
    )


# --- checking every writer -------------------------------------------------------------


def held(graph: Graph) -> set:
    """The triples of ``graph`` as a UTF-8 file holds them."""

    def term(node):
        if isinstance(node, Literal):
            return Literal(scalar(str(node)), lang=node.language, datatype=node.datatype)
        return node

    return {(s, p, term(o)) for s, p, o in graph}


def rapper_accepts(data: bytes, syntax: str) -> None:
    done = subprocess.run(
        [require_tool("rapper"), "-q", "-i", syntax, "-c", "-", "https://example.org/"],
        input=data,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")


RDF_FORMATS = {
    # name: (writer, rdflib format, pyoxigraph format, rapper syntax)
    "turtle": (rdf_write.to_turtle, "turtle", pyoxigraph.RdfFormat.TURTLE, "turtle"),
    "nt": (export.to_ntriples, "nt", pyoxigraph.RdfFormat.N_TRIPLES, "ntriples"),
    "trig": (export.to_trig_text, "trig", pyoxigraph.RdfFormat.TRIG, "trig"),
    "jsonld": (export.to_jsonld, "json-ld", pyoxigraph.RdfFormat.JSON_LD, None),
}


def check_rdf(graph: Graph, rapper: bool) -> None:
    expected = held(graph)
    for name, (writer, rdflib_format, ox_format, syntax) in RDF_FORMATS.items():
        data = writer(graph).encode("utf-8")  # a str that UTF-8 cannot hold fails here
        parsed = Dataset()
        parsed.parse(data=data, format=rdflib_format)
        assert {(s, p, o) for s, p, o, _ in parsed.quads()} == expected, name
        assert len({q.triple for q in pyoxigraph.parse(data, format=ox_format)}) == len(expected)
        if name == "nt":
            assert data.count(b"\n") == len(expected), "one triple a line"
        if rapper and syntax:
            rapper_accepts(data, syntax)


def check_xml(graph: Graph) -> None:
    net = network.to_network(graph, plain=True)
    for name, writer, reader in (
        ("graphml", export.to_graphml, nx.read_graphml),
        ("gexf", export.to_gexf, nx.read_gexf),
    ):
        data = writer(graph)
        ET.fromstring(data)  # well-formed XML 1.0
        back = reader(io.BytesIO(data))
        assert back.number_of_nodes() == net.number_of_nodes(), name
        assert back.number_of_edges() == net.number_of_edges(), name
        got = sorted((back.nodes[n]["label"], back.nodes[n]["aliases"]) for n in back)
        want = sorted(
            (xml_held(a["label"]), xml_held(a["aliases"])) for _, a in net.nodes(data=True)
        )
        assert got == want, name


# Characters HTML calls a parse error in a page: controls other than white space, and
# noncharacters.
_NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
]
_HTML_ERRORS = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f" + "".join(map(re.escape, _NONCHARACTERS)) + "]"
)
_CODE = re.compile(r"<script>.*?</script>", re.S)
_DATA = re.compile(r'<script type="application/json" id="nekg-data">(.*?)</script>', re.S)


def check_html(graph: Graph) -> None:
    page = html.draw(graph).encode("utf-8").decode("utf-8")
    written = _CODE.sub("", page)  # the page less the library code it inlines
    assert not _HTML_ERRORS.search(written), repr(_HTML_ERRORS.search(written).group())
    (data,) = _DATA.findall(page)
    assert "<" not in data, "the data could end its <script> element"
    nodes = json.loads(data)["nodes"]
    labels = {str(o) for o in graph.objects(None, SKOS.prefLabel)}
    assert {n["label"] for n in nodes} >= {scalar(label) for label in labels}


@pytest.mark.parametrize("name", [name for name, _ in HOSTILE])
def test_each_hostile_character_survives_every_writer(name, table):
    chars = dict(HOSTILE)[name]
    graph = rdf.to_graph(extract([news(chars)], table))
    assert graph.value(predicate=SKOS.prefLabel, object=Literal("宁德时代", lang="zh"))
    check_rdf(graph, rapper=True)
    check_xml(graph)
    check_html(graph)


@EXAMPLES
@given(hostile=hostile_text)
@example(hostile="\u2028\x85\x0b\x1c")
@example(hostile="\x00\x1b\ufffe")
def test_text_through_the_pipeline_gives_valid_files(hostile, table):
    graph = rdf.to_graph(extract([news(hostile)], table))
    check_rdf(graph, rapper=False)
    check_xml(graph)
    check_html(graph)


@EXAMPLES
@given(hostile=with_surrogates)
@example(hostile="\ud800")
@example(hostile="\x00\u2028\udfff\ufffe")
def test_every_text_field_of_the_records_gives_valid_files(hostile):
    graph = rdf.to_graph(records(hostile))
    check_rdf(graph, rapper=False)
    check_xml(graph)
    check_html(graph)


# --- the command line: build from a hostile file, export every format ----------------------

FILES = [
    (
        "line separators",
        "宁德时代\u2028与金坛区签署合作协议。\u2029中创新航位于常州市金坛区\x85。\n",
    ),
    (
        "C0 and noncharacters",
        "宁德时代\x1b与金坛区签署\ufffe合作协议。中创新航\x0b位于常州市金坛区。\n",
    ),
    (
        "quotes and markup",
        '宁德时代"""与金坛区\\签署<script>合作协议。中创新航位于常州市金坛区。\n',
    ),
]


@pytest.mark.parametrize(("name", "text"), FILES, ids=[name for name, _ in FILES])
def test_export_of_a_graph_built_from_a_hostile_file(tmp_path, name, text):
    (tmp_path / "news.txt").write_text(f"金坛新闻\n{text}", encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(tmp_path / "news.txt"), "-o", str(out)])
    assert built.exit_code == 0, built.output
    ET.parse(out / "graph.graphml")
    for fmt, rdflib_format in (("nt", "nt"), ("trig", "trig"), ("jsonld", "json-ld")):
        target = out / f"graph.{fmt}"
        done = runner.invoke(cli, ["export", "--graph", str(out / "graph.ttl"), "-o", str(target)])
        assert done.exit_code == 0, done.output
        Dataset().parse(target, format=rdflib_format)
        if fmt != "jsonld":
            rapper_accepts(target.read_bytes(), "ntriples" if fmt == "nt" else fmt)
    for fmt in ("graphml", "gexf"):
        target = out / f"graph.{fmt}"
        assert (
            runner.invoke(
                cli, ["export", "--graph", str(out / "graph.ttl"), "-o", str(target)]
            ).exit_code
            == 0
        )
        ET.parse(target)


# --- the alias table refuses control characters, naming the right line ------------------------

ALIAS_HEADER = "id\ttype\tname\taliases\texternal\n"
ALIAS_ROW = "company/catl\tCompany\t宁德时代\t{alias}\n"
# (what the alias holds, the alias, the code point the error names or None: accepted)
ALIASES = [
    ("NUL", "宁德\x00时代", "U+0000"),
    ("ESC", "宁德\x1b[31m时代", "U+001B"),
    ("vertical tab", "宁德\x0b时代", "U+000B"),
    ("form feed", "宁德\x0c时代", "U+000C"),
    ("file separator", "宁德\x1c时代", "U+001C"),
    ("DEL", "宁德\x7f时代", "U+007F"),
    ("C1 next line", "宁德\x85时代", "U+0085"),
    ("line separator", "宁德\u2028时代", "U+2028"),
    ("paragraph separator", "宁德\u2029时代", "U+2029"),
    ("noncharacter U+FFFE", "宁德\ufffe时代", "U+FFFE"),
    ("noncharacter U+FFFF", "宁德\uffff时代", "U+FFFF"),
    ("carriage return inside a row", "宁德\r时代", "U+000D"),
    ("plain names", "CATL|宁德时代新能源", None),
    ("right-to-left mark", "宁德时代\u200f", None),
    ("combining accent", "Ningde Shidai\u0301", None),
    ("emoji", "宁德时代😀", None),
]


@pytest.mark.parametrize(("name", "alias", "code"), ALIASES, ids=[c[0] for c in ALIASES])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_alias_table_refuses_control_characters_on_their_line(name, alias, code, newline):
    rows = "".join(
        ALIAS_ROW.replace("company/catl", f"company/c{i}")
        .replace("宁德时代", f"公司{i}")
        .format(alias=f"别名{i}")
        for i in range(25)
    )
    text = (
        ALIAS_HEADER
        + "# comment\n"
        + rows
        + ALIAS_ROW.format(alias=alias)
        + "company/z\tCompany\t后来\n"
    ).replace("\n", newline)
    if code is None:
        table = parse_table(text, "aliases.tsv")
        assert table.lookup(alias.split("|")[-1]).line == 28
        return
    with pytest.raises(AliasTableError) as caught:
        parse_table(text, "aliases.tsv")
    assert caught.value.line == 28
    assert str(caught.value).startswith("aliases.tsv:28: ")
    assert code in str(caught.value)


# --- -o: "-" is stdout, special files are written into, regular files replaced atomically ------

OUTPUT_COMMANDS = [
    ("export", ["export", "--graph", "{ttl}", "--format", "nt", "-o", "{out}"]),
    (
        "query",
        [
            "query",
            "SELECT ?s WHERE { ?s a nekg:Company }",
            "--graph",
            "{ttl}",
            "--format",
            "csv",
            "-o",
            "{out}",
        ],
    ),
    ("html", ["html", "--graph", "{ttl}", "-o", "{out}"]),
]


def _args(args: list[str], ttl: Path, out: str) -> list[str]:
    return [{"{ttl}": str(ttl), "{out}": out}.get(a, a) for a in args]


@pytest.mark.parametrize(("command", "args"), OUTPUT_COMMANDS, ids=[c for c, _ in OUTPUT_COMMANDS])
def test_dash_is_stdout(tmp_path, monkeypatch, hand_ttl, command, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, _args(args, hand_ttl, "-"))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    assert "calb" in result.stdout
    assert "wrote" not in result.stdout


def test_dash_as_export_output_needs_a_format(tmp_path, monkeypatch, hand_ttl):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "--graph", str(hand_ttl), "-o", "-"])
    assert result.exit_code == 2
    assert "--format" in result.output
    assert not (tmp_path / "-").exists()


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def read():
        with path.open("rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(("command", "args"), OUTPUT_COMMANDS, ids=[c for c, _ in OUTPUT_COMMANDS])
def test_fifo_is_written_into_not_replaced(tmp_path, hand_ttl, command, args):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    result = CliRunner().invoke(cli, _args(args, hand_ttl, str(fifo)))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"calb" in received[0]


def _null_device(folder: Path) -> Path:
    """A character device like /dev/null in ``folder`` (a test must never risk the real one)."""
    path = folder / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("creating a character device needs root (CAP_MKNOD)")
    return path


@pytest.mark.parametrize(("command", "args"), OUTPUT_COMMANDS, ids=[c for c, _ in OUTPUT_COMMANDS])
def test_character_device_is_written_into_not_replaced(tmp_path, hand_ttl, command, args):
    device = _null_device(tmp_path)
    result = CliRunner().invoke(cli, _args(args, hand_ttl, str(device)))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "null"]


@pytest.mark.parametrize(("command", "args"), OUTPUT_COMMANDS, ids=[c for c, _ in OUTPUT_COMMANDS])
def test_regular_file_replaced_keeping_link_and_mode(tmp_path, hand_ttl, command, args):
    real = tmp_path / "real.out"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.out"
    link.symlink_to(real.name)
    result = CliRunner().invoke(cli, _args(args, hand_ttl, str(link)))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "calb" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "link.out", "real.out"]
