"""Query latency on generated graphs of the nekg shape: Oxigraph against rdflib's default store.

Generates graphs of about 10k, 100k and 1M triples shaped like ``nekg build`` output (places
in a province/city/district hierarchy, companies with labels and aliases, ``locatedIn`` and
``leadsChain`` facts each with an ``rdf:Statement`` evidence node, mention nodes, articles),
then times, in the same run and on the same file:

- ``join``: companies of one city with the evidence sentence of their location (a 5-way join);
- ``companies-in``: the shipped named query (a property path up the place hierarchy), bound
  to a province through ``--param``-style binding.

Oxigraph is timed twice: with the bindings as a ``VALUES`` block (what ``nekg query`` does) and
substituted after planning (what it did before), which its planner cannot use.

Engines: bare pyoxigraph (what ``nekg query`` uses), rdflib ``Graph()`` (the default Memory
store, its own SPARQL engine) and ``Graph(store="Oxigraph")`` (oxrdflib). rdflib runs in a
child process; a load or query taking longer than ``--budget`` seconds is stopped and the table
says so.

Usage::

    python3 scripts/bench_query.py                 # 10k, 100k, 1M triples
    python3 scripts/bench_query.py --sizes 10000 --runs 3
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from queue import Empty

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.query import named as query_named
from graph.query import params as query_params
from graph.query import sources as query_sources
from graph.query import terms as query_terms

NEKG, ID = query_terms.NEKG, query_terms.ID
P = {
    name: ox.NamedNode(iri)
    for name, iri in {
        "type": query_terms.PREFIXES["rdf"] + "type",
        "subject": query_terms.PREFIXES["rdf"] + "subject",
        "predicate": query_terms.PREFIXES["rdf"] + "predicate",
        "object": query_terms.PREFIXES["rdf"] + "object",
        "Statement": query_terms.PREFIXES["rdf"] + "Statement",
        "prefLabel": query_terms.PREFIXES["skos"] + "prefLabel",
        "altLabel": query_terms.PREFIXES["skos"] + "altLabel",
        "label": query_terms.PREFIXES["rdfs"] + "label",
        "derived": query_terms.PREFIXES["prov"] + "wasDerivedFrom",
        "Entity": query_terms.PREFIXES["prov"] + "Entity",
        "mentions": query_terms.PREFIXES["schema"] + "mentions",
        "NewsArticle": query_terms.PREFIXES["schema"] + "NewsArticle",
        "title": query_terms.PREFIXES["dcterms"] + "title",
        "date": query_terms.PREFIXES["dcterms"] + "date",
    }.items()
}
N = {
    name: ox.NamedNode(NEKG + name)
    for name in (
        "Company",
        "Place",
        "IndustryChain",
        "Article",
        "Mention",
        "locatedIn",
        "partOf",
        "leadsChain",
        "evidence",
        "start",
        "end",
        "method",
        "confidence",
        "mentionOf",
        "surface",
        "adminCode",
    )
}

JOIN = """
PREFIX nekg: <https://w3id.org/nekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?city ?company ?label ?district ?evidence WHERE {
  ?district nekg:partOf ?city .
  ?company nekg:locatedIn ?district ; a nekg:Company ; skos:prefLabel ?label .
  ?statement rdf:subject ?company ; rdf:object ?district ; nekg:evidence ?evidence .
}
"""


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def generate(target: int) -> Iterator[ox.Triple]:
    """About ``target`` triples in the shape of a nekg graph (about 30 per company)."""
    companies = max(target // 30, 10)
    t = ox.Triple
    districts_per_city, cities_per_province = 8, 10
    n_districts = max(companies // 40, districts_per_city)
    n_cities = max(n_districts // districts_per_city, 1)
    n_provinces = max(n_cities // cities_per_province, 1)
    chains = [ox.NamedNode(f"{ID}chain/c{i}") for i in range(20)]
    for i, chain in enumerate(chains):
        yield from (
            t(chain, P["type"], N["IndustryChain"]),
            t(chain, P["prefLabel"], _zh(f"产业链{i}")),
        )
    for p in range(n_provinces):
        node = ox.NamedNode(f"{ID}place/{p + 11:02d}0000")
        yield from (
            t(node, P["type"], N["Place"]),
            t(node, P["prefLabel"], _zh(f"省{p}")),
            t(node, P["label"], _zh(f"省{p}")),
        )
    for c in range(n_cities):
        node = ox.NamedNode(
            f"{ID}place/{c // cities_per_province + 11:02d}{c % cities_per_province + 1:02d}00"
        )
        province = ox.NamedNode(f"{ID}place/{c // cities_per_province + 11:02d}0000")
        yield from (
            t(node, P["type"], N["Place"]),
            t(node, P["prefLabel"], _zh(f"城市{c}")),
            t(node, P["label"], _zh(f"城市{c}")),
            t(node, N["partOf"], province),
        )
    districts = []
    for d in range(n_districts):
        c = d % n_cities
        city = ox.NamedNode(
            f"{ID}place/{c // cities_per_province + 11:02d}{c % cities_per_province + 1:02d}00"
        )
        node = ox.NamedNode(f"{ID}place/d{d}")
        districts.append(node)
        yield from (
            t(node, P["type"], N["Place"]),
            t(node, P["prefLabel"], _zh(f"区{d}")),
            t(node, P["label"], _zh(f"区{d}")),
            t(node, N["partOf"], city),
        )
    for i in range(companies):
        company = ox.NamedNode(f"{ID}company/c{i}")
        article = ox.NamedNode(f"{ID}article/a{i // 20}")
        district = districts[(i * 7) % len(districts)]
        name = f"公司{i}号新能源科技"
        sentence = _zh(f"{name}总部位于区{(i * 7) % len(districts)}，主攻动力电池。")
        yield from (
            t(company, P["type"], N["Company"]),
            t(company, P["prefLabel"], _zh(name)),
            t(company, P["label"], _zh(name)),
            t(company, P["altLabel"], _zh(f"公司{i}")),
            t(company, N["locatedIn"], district),
            t(article, P["mentions"], company),
        )
        facts = [(N["locatedIn"], district)]
        if i % 10 == 0:
            facts.append((N["leadsChain"], chains[i % len(chains)]))
            yield t(company, N["leadsChain"], chains[i % len(chains)])
        for rel, tail in facts:
            statement = ox.NamedNode(f"{ID}statement/{i:08x}{len(facts):08x}{rel.value[-4:]}")
            yield from (
                t(statement, P["type"], P["Statement"]),
                t(statement, P["type"], P["Entity"]),
                t(statement, P["subject"], company),
                t(statement, P["predicate"], rel),
                t(statement, P["object"], tail),
                t(statement, P["derived"], article),
                t(statement, N["evidence"], sentence),
                t(statement, N["start"], _int(i % 500)),
                t(statement, N["end"], _int(i % 500 + 20)),
                t(statement, N["method"], ox.Literal("pattern")),
                t(
                    statement,
                    N["confidence"],
                    ox.Literal(
                        "0.9", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
                    ),
                ),
            )
        mention = ox.NamedNode(f"{ID}mention/{i:016x}")
        yield from (
            t(mention, P["type"], N["Mention"]),
            t(mention, P["type"], P["Entity"]),
            t(mention, N["mentionOf"], company),
            t(mention, P["derived"], article),
            t(mention, N["surface"], _zh(name)),
            t(mention, N["evidence"], sentence),
            t(mention, N["start"], _int(i % 500)),
            t(mention, N["end"], _int(i % 500 + len(name))),
        )
        if i % 20 == 0:
            yield from (
                t(article, P["type"], N["Article"]),
                t(article, P["type"], P["NewsArticle"]),
                t(article, P["title"], _zh(f"新闻{i // 20}")),
                t(article, P["date"], ox.Literal("2024-09")),
            )


def _timed(action: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds of ``runs`` calls (at least one), and the last answer."""
    times, answer = [], None
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        answer = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def _bench_oxigraph(
    path: Path, runs: int, city: ox.NamedNode, province: ox.NamedNode
) -> list[dict]:
    """pyoxigraph through nekg's own loader and runner (bindings as a VALUES block)."""
    started = time.perf_counter()
    source = query_sources.LocalGraph.load(path)
    load = time.perf_counter() - started
    companies_in = query_named.named_query("companies-in").text
    join_s, join = _timed(lambda: source.execute(JOIN, {"city": city}), runs)
    path_s, found = _timed(lambda: source.execute(companies_in, {"place": province}), runs)
    name_s, _ = _timed(
        lambda: query_params.bind_value(query_named.Param("place", type="Place"), "城市0", source),
        runs,
    )

    # The same bindings substituted by Oxigraph after planning (what nekg did before).
    def substituted(text: str, bindings: dict) -> list:
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        return list(source.store.query(text, prefixes=source.prefixes, substitutions=subs))

    values_join_s, _ = _timed(lambda: substituted(JOIN, {"city": city}), runs)
    values_path_s, _ = _timed(lambda: substituted(companies_in, {"place": province}), runs)
    return [
        {
            "engine": "pyoxigraph (nekg query)",
            "load": load,
            "join": join_s,
            "companies-in": path_s,
            "rows": {"join": len(join.rows), "companies-in": len(found.rows)},
            "resolve": name_s,
        },
        {
            "engine": "pyoxigraph, substituted",
            "load": load,
            "join": values_join_s,
            "companies-in": values_path_s,
            "rows": {"join": len(join.rows), "companies-in": len(found.rows)},
        },
    ]


def _rdflib_worker(
    path: Path, runs: int, texts: dict, store: str, queue: multiprocessing.Queue
) -> None:
    """Load and query with rdflib, reporting each measurement as soon as it is taken."""
    started = time.perf_counter()
    graph = rdflib.Graph(store=store)
    graph.parse(path, format="nt")
    queue.put(("load", time.perf_counter() - started, 0))
    for name, (text, bindings) in texts.items():
        bound = {k: rdflib.URIRef(v) for k, v in bindings.items()}
        seconds, answer = _timed(
            lambda text=text, bound=bound: list(graph.query(text, initBindings=bound)), 1
        )
        if runs > 1 and seconds < 5:
            seconds, answer = _timed(
                lambda text=text, bound=bound: list(graph.query(text, initBindings=bound)), runs
            )
        queue.put((name, seconds, len(answer)))


def _bench_rdflib(
    path: Path, runs: int, city: ox.NamedNode, province: ox.NamedNode, store: str, budget: float
) -> dict:
    """rdflib's API and ``initBindings`` on ``store`` (``default`` is the Memory store).

    Runs in a child process so that a load or query taking longer than ``budget`` seconds can
    be stopped; what was not measured is reported as such.
    """
    texts = {
        "join": (JOIN, {"city": city.value}),
        "companies-in": (query_named.named_query("companies-in").text, {"place": province.value}),
    }
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    worker = context.Process(target=_rdflib_worker, args=(path, runs, texts, store, queue))
    worker.start()
    engine = "rdflib Graph() (Memory)" if store == "default" else f'rdflib Graph(store="{store}")'
    row: dict = {"engine": engine, "rows": {}, "notes": []}
    for key in ("load", *texts):
        try:
            name, seconds, count = queue.get(timeout=budget)
        except Empty:
            worker.kill()
            row["notes"].append(f"{key} stopped after {budget:.0f} s; nothing after it measured")
            break
        row[name] = seconds
        if name != "load":
            row["rows"][name] = count
    worker.join()
    return row


def bench(size: int, runs: int, budget: float, folder: Path) -> list[dict]:
    """Every engine on one generated graph of about ``size`` triples."""
    path = folder / f"graph-{size}.nt"
    triples = list(generate(size))
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    count = len(triples)
    del triples
    city, province = ox.NamedNode(f"{ID}place/110100"), ox.NamedNode(f"{ID}place/110000")
    rows = _bench_oxigraph(path, runs, city, province)
    gc.collect()
    rows.append(_bench_rdflib(path, runs, city, province, "Oxigraph", budget))
    rows.append(_bench_rdflib(path, runs, city, province, "default", budget))
    return [{"triples": count, **row} for row in rows]


def _ratio(value: float) -> str:
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"


def _ms(seconds: float | None) -> str:
    return "stopped" if seconds is None else f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated triple counts"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per query (median reported)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=150.0,
        help="stop an rdflib load or query that takes longer than this many seconds",
    )
    args = parser.parse_args()
    print(
        f"{'triples':>9}  {'engine':<32} {'load s':>8} {'join ms':>10} {'companies-in ms':>16}  rows"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            budget = args.budget
            results = bench(size, args.runs, budget, Path(tmp))
            base = results[0]
            for row in results:
                rows = "/".join(str(n) for n in row["rows"].values())
                load = f"{row['load']:.2f}" if "load" in row else "stopped"
                print(
                    f"{row['triples']:>9}  {row['engine']:<32} {load:>8} {_ms(row.get('join')):>10} "
                    f"{_ms(row.get('companies-in')):>16}  {rows}",
                    flush=True,
                )
                for note in row.get("notes", []):
                    print(f"{'':>9}  ({note})")
            for row in results[1:]:
                ratios = [
                    f"{key} x{_ratio(row[key] / base[key])}"
                    if row.get(key)
                    else f"{key} > x{budget / base[key]:.0f} (stopped)"
                    for key in ("join", "companies-in")
                    if row.get(key) or "load" in row
                ]
                if ratios:
                    print(f"{'':>9}  {row['engine']} / nekg query: {', '.join(ratios)}")
            print(
                f"{'':>9}  resolving a place name through the labels: {base['resolve'] * 1000:.0f} ms",
                flush=True,
            )


if __name__ == "__main__":
    main()
