"""`nekg query` (and `nekg eval`) against hostile input: one line and an exit code, never a
crash, a hang, a traceback, a lost update or an invalid graph file.

Cases that could crash or hang the process run `nekg` in a child process, bounded by a
timeout, so a regression fails the test instead of killing or stalling the run.
"""

from __future__ import annotations

import json
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import ROOT, require_tool

from graph.cli import cli
from graph.query import engine as query
from graph.query import sources as query_sources
from graph.query.results import display_width
from graph.rdf import build as rdf
from graph.rdf import read as rdf_read
from graph.rdf import write as rdf_write

FIXTURE = ROOT / "tests" / "data" / "query" / "changzhou.ttl"
EVAL = ROOT / "tests" / "data" / "eval"
CARTESIAN = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l"  # 213**4 rows on the fixture
COMPANY = "https://w3id.org/nekg/id/company/"


def _nekg(*args: str, timeout: float = 60, stdin: bytes | None = None, env=None):
    """Run `nekg` in a child process with at most 2 GB of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "graph", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        preexec_fn=limit,
        env=env,
    )


def _one_line_error(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    assert "Traceback" not in text, text
    assert len(lines) == 1, text
    assert lines[0].startswith("Error: "), text
    return lines[0]


def _invoke(*args: str, stdin: bytes | str | None = None, env=None):
    return CliRunner().invoke(cli, ["query", *args], input=stdin, env=env)


def _clean_failure(result, code: int) -> str:
    """The one error line of a CliRunner result that failed with ``code`` and no traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines, result.output
    assert lines[-1].startswith("Error: "), result.output
    return lines[-1]


# --- servers that misbehave ----------------------------------------------------------


@pytest.fixture
def server() -> Iterator:
    """Start a local HTTP server on 127.0.0.1 that either never answers or answers forever."""
    sockets: list[socket.socket] = []
    stop = threading.Event()

    def start(mode: str) -> int:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        sockets.append(listener)

        def handle(conn: socket.socket) -> None:
            sockets.append(conn)
            if mode == "endless":
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
                    b'{"head": {"vars": ["s"]}, "results": {"bindings": ['
                )
                chunk = b'{"s": {"type": "literal", "value": "x"}},' * 1000
                while not stop.is_set():
                    try:
                        conn.sendall(chunk)
                    except OSError:
                        return
            else:  # accept, read, never answer
                stop.wait(60)

        def serve() -> None:
            deadline = time.monotonic() + 60
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                threading.Thread(target=handle, args=(conn,), daemon=True).start()

        threading.Thread(target=serve, daemon=True).start()
        return listener.getsockname()[1]

    yield start
    stop.set()
    for sock in sockets:
        sock.close()


# --- nesting and size: guarded before the parser ----------------------------------------

DEEP = [
    ("braces", "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000, "too deeply nested"),
    (
        "parens",
        "SELECT * { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
        "too deeply nested",
    ),
    (
        "unions",
        "SELECT * { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(80_000)) + " }",
        "too large",
    ),
    ("negations", "SELECT * { FILTER(" + "!" * 30_000 + "true) }", "too large"),
]


@pytest.mark.parametrize(("name", "text", "message"), DEEP, ids=[c[0] for c in DEEP])
def test_query_hostile_nesting_is_refused_before_the_parser(tmp_path, name, text, message):
    path = tmp_path / "deep.rq"
    path.write_text(text, encoding="utf-8")
    done = _nekg("query", "-g", str(FIXTURE), "-f", str(path))
    assert done.returncode == 1, (done.returncode, done.stderr[-300:])
    assert message in _one_line_error(done.stderr)


def test_query_hostile_limits_are_in_the_help():
    assert "nest brackets at most 200 deep" in " ".join(_invoke("--help").output.split())


# --- time, memory, the network and Ctrl-C ---------------------------------------------

BOUNDED = [
    # (name, arguments with {port}, server mode, expected error)
    (
        "service-hangs",
        ["SELECT * { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }", "--allow-remote"],
        "hang",
        "ran longer than --timeout 1 s",
    ),
    (
        "load-hangs",
        ["LOAD <http://127.0.0.1:{port}/data.ttl>", "--update", "--allow-remote"],
        "hang",
        "ran longer than --timeout 1 s",
    ),
    (
        "endpoint-endless",
        ["SELECT * { ?s ?p ?o }", "-e", "http://127.0.0.1:{port}/sparql"],
        "endless",
        "answered more than 64 MB",
    ),
    (
        "cartesian-count",
        [f"SELECT (COUNT(*) AS ?n) {{ {CARTESIAN} }}"],
        None,
        "ran longer than --timeout 1 s",
    ),
]


@pytest.mark.parametrize(("name", "args", "mode", "message"), BOUNDED, ids=[c[0] for c in BOUNDED])
def test_query_hostile_work_is_bounded_in_time_and_memory(
    tmp_path, server, name, args, mode, message
):
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(FIXTURE.read_bytes())
    port = server(mode) if mode else 0
    args = [a.replace("{port}", str(port)) for a in args]
    where = [] if "-e" in args else ["-g", str(graph)]
    started = time.monotonic()
    done = _nekg("query", *args, *where, "--timeout", "1", timeout=40)
    assert done.returncode == 1, (done.returncode, done.stderr[-300:])
    assert message in _one_line_error(done.stderr)
    assert time.monotonic() - started < 30
    assert graph.read_bytes() == FIXTURE.read_bytes()  # a stopped update changes nothing


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
    ],
)
def test_query_hostile_network_access_needs_allow_remote(tmp_path, text, word):
    """Refused before anything is sent (port 9 is closed: the old way fails fast too)."""
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(FIXTURE.read_bytes())
    line = _clean_failure(_invoke(text, "-g", str(graph), "--update"), 1)
    assert f"refusing {word}" in line
    assert "--allow-remote" in line


def test_query_hostile_rows_stream_and_ctrl_c_ends_the_query():
    """A huge SELECT prints rows as they come; Ctrl-C stops it promptly with exit 130."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "graph",
            "query",
            f"SELECT * {{ {CARTESIAN} }}",
            "-g",
            str(FIXTURE),
            "--format",
            "csv",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 30)
        assert ready, "no row printed within 30 s: results are held, not streamed"
        assert child.stdout.read(4) == b"a,b,"
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = child.communicate(timeout=20)
        assert time.monotonic() - sent < 10
        assert child.returncode == 130, err[-300:]
        assert err.decode().strip().splitlines()[-1] == "interrupted"
    finally:
        child.kill()
        child.wait()


# --- updates: the build's writer, a lock, a note about stale views -------------------------

HOSTILE_LITERALS = [
    ("noncharacter", "a\ufffeb\uffff"),
    ("controls", "a\x00b\x01\x1b[2Jc\x7f"),
    ("separators", "line\u2028para\u2029next\x85"),
    ("quotes", 'say """hi""" \\ \'x\''),
    ("astral", "𠀋😀"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE_LITERALS, ids=[c[0] for c in HOSTILE_LITERALS])
def test_query_hostile_update_writes_valid_sorted_turtle(hand_ttl, hand_graph, name, value):
    rapper = require_tool("rapper")
    built = hand_ttl.read_bytes()
    triple = f"<{COMPANY}x> <http://www.w3.org/2004/02/skos/core#prefLabel> {ox.Literal(value)}"
    result = _invoke(f"INSERT DATA {{ {triple} }}", "-g", str(hand_ttl), "--update")
    assert result.exit_code == 0, result.output
    checked = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-c", str(hand_ttl)], capture_output=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr.decode()
    # the same bytes the build writes for the same triples
    graph = rdf_read.read_graph(hand_ttl)
    assert rdf.Literal(value) in set(graph.objects())
    assert hand_ttl.read_text(encoding="utf-8") == rdf_write.to_turtle(graph)
    # and removing the triple again gives back the build's file, byte for byte
    result = _invoke(f"DELETE DATA {{ {triple} }}", "-g", str(hand_ttl), "--update")
    assert result.exit_code == 0, result.output
    assert hand_ttl.read_bytes() == built


def test_query_hostile_update_names_the_views_it_leaves_stale(hand_ttl):
    for name in ("graph.html", "graph.graphml"):
        (hand_ttl.parent / name).write_text("old", encoding="utf-8")
    result = _invoke(f"INSERT DATA {{ <{COMPANY}x> a <urn:x> }}", "-g", str(hand_ttl), "--update")
    assert result.exit_code == 0, result.output
    assert "graph.graphml, graph.html still show the old graph" in result.output
    assert f"nekg html --graph {hand_ttl}" in result.output


def test_query_hostile_concurrent_updates_lose_nothing(tmp_path):
    """Two processes insert into one file at once; both acknowledged inserts are kept."""
    graph = tmp_path / "graph.ttl"
    big = "\n".join(
        f'<{COMPANY}c{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> "公司{i}"@zh .'
        for i in range(10_000)
    )
    graph.write_text(big + "\n", encoding="utf-8")
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "graph",
                "query",
                f"INSERT DATA {{ <{COMPANY}new{n}> a <urn:x> }}",
                "-g",
                str(graph),
                "--update",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(2)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
        assert out.startswith(b"updated ")
    source = query_sources.LocalGraph.load(graph)
    found = query.run(source, "SELECT ?s { ?s a <urn:x> }").rows
    assert sorted(row[0].value for row in found) == [f"{COMPANY}new{n}" for n in range(2)]
    assert len(source.store) == 10_002


# --- messages: one line, the file named, controls escaped, long values cut ----------------


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["ASK {}", "-e", "http://[::1"], None, 1, "not a valid URL"),
        (
            ["ASK {}", "-g", str(FIXTURE), "--timeout", "nan"],
            None,
            2,
            "nan is not a number of seconds",
        ),
        (
            ["ASK {}", "-g", str(FIXTURE), "--timeout", "inf"],
            None,
            2,
            "inf is not a number of seconds",
        ),
        (["-", "-g", str(FIXTURE)], b"\x7fELF\x02\x01\x00\x00\xff\xfe", 1, "stdin: a binary file"),
        (
            ["-", "-g", str(FIXTURE)],
            'ASK { ?s ?p "常州" }'.encode("gbk"),
            1,
            "stdin: not UTF-8 text",
        ),
    ],
    ids=["bad-url", "nan", "inf", "binary-stdin", "gbk-stdin"],
)
def test_query_hostile_bad_options_give_one_line(args, stdin, code, message):
    line = _clean_failure(_invoke(*args, stdin=stdin), code)
    assert message in line


QUERY_FILES = [
    ("bom", b"\xef\xbb\xbfASK { ?s ?p ?o }", None),
    ("binary", bytes(range(256)), "a binary file"),
    ("gbk", 'SELECT * { ?s ?p "常州" }'.encode("gbk"), "not UTF-8 text (byte 0xb3"),
    ("nul", b"ASK { ?s ?p \x00 }", "a binary file"),
]


@pytest.mark.parametrize("how", ["argument", "-f"])
@pytest.mark.parametrize(("name", "data", "message"), QUERY_FILES, ids=[c[0] for c in QUERY_FILES])
def test_query_hostile_query_files_are_read_as_utf8_or_named(tmp_path, how, name, data, message):
    path = tmp_path / f"{name}.rq"
    path.write_bytes(data)
    args = [str(path)] if how == "argument" else ["-f", str(path)]
    result = _invoke(*args, "-g", str(FIXTURE))
    if message is None:
        assert result.exit_code == 0, result.output
        assert result.output == "true\n"
        return
    line = _clean_failure(result, 1)
    assert line.startswith(f"Error: {path}: {message}")


@pytest.mark.parametrize(
    ("args", "raw", "escaped"),
    [
        (["SELECT * { ?s ?p \x01\x1b[2J ?o }"], "\x1b", "\\x1b[2J"),
        (["about", "-p", "entity=a\x1b[2Jb\u202ec"], "\x1b", "a\\x1b[2Jb\\u202ec"),
        (["about", "-p", "entity=a\u2028b"], "\u2028", "a\\u2028b"),
    ],
)
def test_query_hostile_control_characters_are_escaped_in_messages(args, raw, escaped):
    line = _clean_failure(_invoke(*args, "-g", str(FIXTURE)), 1)
    assert raw not in line
    assert escaped in line


@pytest.mark.parametrize(
    "args",
    [
        ["about", "-p", "entity=" + "x" * 40_000],
        ["about", "-p", "entity=<http://e/" + "x" * 40_000 + " >"],
        ["about", "-p", "x" * 40_000],
        ["entities-by-type", "-p", "type=" + "Y" * 40_000],
    ],
    ids=["name", "iri", "option", "class"],
)
def test_query_hostile_long_values_are_cut_in_messages(args):
    line = _clean_failure(_invoke(*args, "-g", str(FIXTURE)), 1)
    assert len(line) < 400
    assert "…" in line


# --- the table, labels and CONSTRUCT -------------------------------------------------------


def test_query_hostile_labels_do_not_repeat_columns():
    out = _invoke("companies-in", "-p", "place=常州", "-g", str(FIXTURE), "--labels").output
    header = out.splitlines()[1].split()
    assert header == ["company", "location"]  # not company, label, location, locationLabel


def test_query_hostile_named_query_parameter_is_a_caption_not_a_column():
    lines = _invoke("companies-in", "-p", "place=常州", "-g", str(FIXTURE)).output.splitlines()
    assert lines[0] == "place = id:place/320400"
    assert "place" not in lines[1].split()
    assert not any("id:place/320400" in line for line in lines[3:])


def test_query_hostile_empty_result_says_0_rows():
    out = _invoke("SELECT ?s { ?s a <urn:nothing> }", "-g", str(FIXTURE)).output
    assert out.splitlines()[-1] == "0 rows"


def test_query_hostile_table_fits_the_terminal():
    result = _invoke("about", "-p", "entity=中创新航", "-g", str(FIXTURE), env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(display_width(line) for line in lines) <= 100
    assert any(line.rstrip().endswith("…") or "… " in line for line in lines[3:])


def test_query_hostile_local_iris_use_the_endpoint_prefixes(hand_ttl):
    """The build's file declares company: and place:; the table still shows id:company/…"""
    assert "@prefix company:" in hand_ttl.read_text(encoding="utf-8")
    out = _invoke("SELECT ?c { ?c a nekg:Company } ORDER BY ?c LIMIT 1", "-g", str(hand_ttl)).output
    assert out.splitlines()[2].startswith("id:company/")


def test_query_hostile_construct_turtle_has_absolute_prefixes_and_no_base():
    out = _invoke(
        "CONSTRUCT WHERE { ?c nekg:locatedIn ?p }", "-g", str(FIXTURE), "--format", "turtle"
    ).output
    assert "@base" not in out
    prefixes = [line for line in out.splitlines() if line.startswith("@prefix")]
    assert prefixes
    assert all("<https://" in p or "<http://" in p for p in prefixes)


def test_query_hostile_construct_refuses_a_table():
    line = _clean_failure(
        _invoke("CONSTRUCT WHERE { ?s ?p ?o }", "-g", str(FIXTURE), "--format", "table"), 1
    )
    assert "CONSTRUCT gives a graph: use --format turtle, ntriples or jsonld, not table" in line


# --- eval: a gold that names none of the graph's articles ---------------------------------


def test_eval_hostile_gold_of_unknown_articles_is_refused(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("entities.jsonl", "relations.jsonl"):
        text = (EVAL / "gold" / name).read_text(encoding="utf-8")
        for doc in ("a1", "a2", "a3"):
            text = text.replace(f'"{doc}"', f'"x{doc}"')
        (gold / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--graph", str(EVAL / "graph.ttl")])
    assert result.exit_code == 1, result.output
    line = result.output.strip().splitlines()[-1]
    assert "none of the articles it names (xa1, xa2) is in the graph, which has a1, a2, a3" in line


def test_eval_hostile_gold_with_some_unknown_articles_names_them(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("entities.jsonl", "relations.jsonl"):
        text = (EVAL / "gold" / name).read_text(encoding="utf-8").replace('"a2"', '"zz"')
        (gold / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", str(gold), "--graph", str(EVAL / "graph.ttl"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    notes = json.loads(result.output)["notes"]
    assert "the gold names articles the extraction does not have: zz" in notes
    assert "the extraction's articles are: a1, a2, a3" in notes
