"""Every named query as ``nekg query NAME -p … --graph OUT/`` meets it, when OUT holds a store.

Generates graphs of the nekg shape (``bench_query.generate``: places in a
province/city/district hierarchy, companies with labels and aliases, ``locatedIn`` and
``leadsChain`` facts with evidence nodes, mentions, articles; plus here: figures of
companies and projects, projects built by companies, industries, partnerships and policies,
and the rule ids of mentions and facts) of about 10k, 100k and 1M triples, writes each as a
build does (``OUT/graph.ttl`` and ``OUT/store/``, with what an article states in its named
graph), and times for every shipped named query (``graph/queries/*.rq``), on the code path
``nekg query`` takes:

- ``open``: :func:`graph.engine.open_source` on ``OUT/`` (the store found, checked against
  ``graph.ttl`` and opened read-only);
- ``resolve``: binding the parameters (a name resolved to its entity through the labels);
- ``run``: planning and running the query, every row read;
- ``print``: the rows rendered as the default table;
- ``command``: the whole ``nekg query`` in a child process, and apart from it ``start``, the
  same child's start-up alone (``nekg --version``: Python and the imports).

In-process times are medians of ``--runs`` runs (the store opened afresh each time); the
command's the median of ``--command-runs``.

Usage::

    python3 scripts/bench_query_store.py                       # 10k, 100k, 1M triples
    python3 scripts/bench_query_store.py --sizes 10000 --runs 3 --keep /tmp/graphs
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_query import P, _int, _zh, generate  # noqa: E402

from graph import store  # noqa: E402
from graph.query import engine, results  # noqa: E402
from graph.query import named as query_named  # noqa: E402
from graph.query import params as query_params  # noqa: E402
from graph.query.terms import PREFIXES  # noqa: E402
from graph.rdf.namespaces import ID, NEKG  # noqa: E402

# What each named query is asked on a generated graph: names, resolved through the labels.
# A province holds about a sixth of all companies, a city about 1/70.
PARAMS: dict[str, list[dict[str, str]]] = {
    "about": [{"entity": "公司3号新能源科技"}],
    "articles-mentioning": [{"entity": "公司3号新能源科技"}],
    "capacity-by-company": [{"chain": "产业链0"}],
    "chain-leaders": [{"chain": "产业链0"}],
    "companies-in": [{"place": "省0"}, {"place": "城市0"}],
    "entities-by-type": [{"type": "Place"}],
    "figures-of": [{"entity": "公司3号新能源科技"}],
    "investments-in": [{"place": "省0"}, {"place": "城市0"}],
    "partners": [{"entity": "公司3号新能源科技"}],
    "policies-by-place": [{"place": "省0"}, {"place": "城市0"}],
}


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(NEKG + name)


def _extras(companies: int, districts: int, cities: int) -> Iterator[tuple[ox.Triple, str]]:
    """Figures, projects, industries, partnerships, policies and rule ids, with their article."""
    t = ox.Triple
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    for i in range(companies):
        company = ox.NamedNode(f"{ID}company/c{i}")
        article = f"{ID}article/a{i // 20}"
        mention = ox.NamedNode(f"{ID}mention/{i:016x}")
        yield t(mention, _n("rule"), ox.Literal("alias-table")), article
        statement = ox.NamedNode(f"{ID}statement/{i:08x}{1 + (i % 10 == 0):08x}{'edIn'}")
        yield t(statement, _n("rule"), ox.Literal("located-in")), article
        subject = company
        if i % 20 == 0:  # a project the company builds
            subject = ox.NamedNode(f"{ID}project/p{i}")
            yield t(subject, P["type"], _n("Project")), ""
            yield t(subject, P["prefLabel"], _zh(f"项目{i}")), ""
            yield t(subject, _n("builtBy"), company), ""
            yield t(subject, _n("locatedIn"), ox.NamedNode(f"{ID}place/d{(i * 7) % districts}")), ""
        if i % 5 == 0:
            yield t(company, _n("inIndustry"), ox.NamedNode(f"{ID}chain/c{i % 20}")), ""
        if i % 10 == 3:
            partner = ox.NamedNode(f"{ID}company/c{(i * 13) % companies}")
            if partner != company:
                yield t(company, _n("partnersWith"), partner), ""
                pact = ox.NamedNode(f"{ID}statement/p{i:08x}")
                for p, o in (
                    (P["type"], P["Statement"]),
                    (P["subject"], company),
                    (P["predicate"], _n("partnersWith")),
                    (P["object"], partner),
                    (P["derived"], ox.NamedNode(article)),
                    (_n("evidence"), _zh(f"公司{i}与公司{(i * 13) % companies}签约合作。")),
                ):
                    yield t(pact, p, o), article
        measure = ("capacity", "investment", "output")[i % 3]
        figure = ox.NamedNode(f"{ID}figure/{i:016x}")
        for p, o in (
            (P["type"], _n("Observation")),
            (P["type"], P["Entity"]),
            (_n("figureOf"), subject),
            (_n("measure"), ox.Literal(measure)),
            (_n("figureText"), _zh(f"{i % 90 + 1}亿元")),
            (_n("value"), ox.Literal(str((i % 90 + 1) * 100_000_000), datatype=decimal)),
            (_n("unit"), ox.Literal("CNY" if measure != "capacity" else "GWh")),
            (_n("period"), ox.Literal(f"{2020 + i % 5}")),
            (P["derived"], ox.NamedNode(article)),
            (_n("evidence"), _zh(f"公司{i}投资{i % 90 + 1}亿元。")),
            (_n("start"), _int(i % 400)),
            (_n("end"), _int(i % 400 + 6)),
        ):
            yield t(figure, p, o), article
    for c in range(cities):  # a policy issued by every city, one by a company there
        city = ox.NamedNode(f"{ID}place/{c // 10 + 11:02d}{c % 10 + 1:02d}00")
        for k, issuer in enumerate((city, ox.NamedNode(f"{ID}company/c{(c * 40) % companies}"))):
            policy = ox.NamedNode(f"{ID}policy/p{c}-{k}")
            yield t(policy, P["type"], _n("Policy")), ""
            yield t(policy, P["prefLabel"], _zh(f"政策{c}-{k}")), ""
            yield t(policy, _n("issuedBy"), issuer), ""


def dataset(target: int) -> list[ox.Quad]:
    """About ``target`` triples; what one article states is in the article's named graph."""
    companies = max(target // 45, 10)
    base = list(generate(companies * 30))
    quads = []
    for triple in base:
        subject = triple.subject.value
        kind = subject[len(ID) :].split("/", 1)[0] if subject.startswith(ID) else ""
        graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
        if kind in ("mention", "statement"):
            graph = ox.NamedNode(f"{ID}article/a{int(_company_of(subject)) // 20}")
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    n_districts = max(companies // 40, 8)
    n_cities = max(n_districts // 8, 1)
    for triple, article in _extras(companies, n_districts, n_cities):
        graph = ox.NamedNode(article) if article else ox.DefaultGraph()
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    return quads


def _company_of(subject: str) -> int:
    """The company number a generated mention or statement IRI encodes."""
    local = subject.rsplit("/", 1)[1]
    return int(local[:8], 16) if "statement" in subject else int(local, 16)


def write_out(target: int, out: Path) -> int:
    """``out/graph.ttl`` and ``out/store/`` as a build writes them; the number of triples."""
    quads = dataset(target)
    triples = [q.triple for q in quads]
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
    store.save(out, [], None, {"graph.ttl": turtle}, dataset=quads)
    return len(set(triples))


def _timed(action: Callable[[], object], runs: int) -> tuple[float, object]:
    times, answer = [], None
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        answer = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def _child(args: list[str], runs: int) -> float:
    nekg = Path(sys.executable).with_name("nekg")
    command = [str(nekg)] if nekg.exists() else [sys.executable, "-m", "graph"]
    times = []
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        done = subprocess.run(
            [*command, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        times.append(time.perf_counter() - started)
        if done.returncode:
            raise SystemExit(f"nekg {' '.join(args)} failed: {done.stderr.decode()}")
    return statistics.median(times)


def bench_query(out: Path, name: str, params: dict[str, str], runs: int) -> dict:
    """open, resolve, run and print of one named query on ``out`` (medians)."""
    named = query_named.named_query(name)
    open_s, source = _timed(lambda: engine.open_source(out), runs)
    if not isinstance(getattr(source, "store", None), ox.Store) or source.path is None:
        raise SystemExit(f"{out}: not opened from its store")
    resolve_s, bindings = _timed(
        lambda: query_params.bind_params(named.params, params, source, where=name), runs
    )
    run_s, answer = _timed(lambda: source.execute(named.text, bindings), runs)
    print_s, _ = _timed(lambda: "".join(results.render_chunks(answer, None)), runs)
    return {
        "open": open_s,
        "resolve": resolve_s,
        "run": run_s,
        "print": print_s,
        "rows": answer.size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated triples")
    parser.add_argument("--runs", type=int, default=5, help="in-process runs (median)")
    parser.add_argument("--command-runs", type=int, default=3, help="child-process runs (median)")
    parser.add_argument("--queries", default="", help="comma-separated names (default: all)")
    parser.add_argument("--keep", type=Path, help="write the graphs here and reuse them")
    args = parser.parse_args()
    names = args.queries.split(",") if args.queries else list(query_named.named_queries())
    missing = set(query_named.named_queries()) - set(PARAMS)
    if missing:
        raise SystemExit(f"no parameters for {', '.join(sorted(missing))}: add them to PARAMS")
    tmp = None
    if args.keep is None:
        tmp = tempfile.mkdtemp(prefix="nekg-bench-")
    folder = args.keep or Path(tmp)
    start = _child(["--version"], args.command_runs)
    print(f"start-up (nekg --version): {start * 1000:.0f} ms")
    print(
        f"{'triples':>9}  {'query':<20} {'params':<10} {'rows':>6} {'open':>8} {'resolve':>8} {'run':>8} "
        f"{'print':>8} {'command':>8}  (ms)"
    )
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            out = folder / f"out-{size}"
            if not (out / "graph.ttl").exists():
                write_out(size, out)
            triples = sum(1 for _ in ox.Store.read_only(str(store.current(out).oxigraph)))
            for name, params in ((n, p) for n in names for p in PARAMS[n]):
                row = bench_query(out, name, params, args.runs)
                flags = [f"-p{k}={v}" for k, v in params.items()]
                command = _child(["query", name, *flags, "--graph", str(out)], args.command_runs)
                shown = ",".join(v for v in params.values())
                print(
                    f"{triples:>9}  {name:<20} {shown:<10} {row['rows']:>6} "
                    f"{row['open'] * 1000:>8.1f} "
                    f"{row['resolve'] * 1000:>8.1f} {row['run'] * 1000:>8.1f} "
                    f"{row['print'] * 1000:>8.1f} {command * 1000:>8.0f}",
                    flush=True,
                )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
