"""Node positions for the HTML page, computed once in Python so the browser only draws."""

from __future__ import annotations

import networkx as nx
import numpy as np

from graph.outputs.style import STYLES
from graph.records import EntityType, RelationType

LAYOUT_SEED = 7


LAYOUT_ITERATIONS = 60


SPACING = 90  # about one node per SPACING × SPACING pixels of layout


LONER_SPACING = 70


def layout(net: nx.MultiDiGraph, *, seed: int = LAYOUT_SEED) -> dict[str, tuple[int, int]]:
    """Fixed page positions (pixels) for every node of ``net``: the same graph, the same numbers.

    The relation graph (entities with at least one relation) is laid out one connected
    part at a time by a seeded force-directed layout (Fruchterman–Reingold), the parts
    packed in rows, the biggest first; the entities without relations sit in a grid
    below them, one row block per type, in label order. The browser only draws.

    >>> net = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> net.add_node("d")
    >>> nx.set_node_attributes(net, "Company", "type")
    >>> nx.set_node_attributes(net, "x", "label")
    >>> pos = layout(net)
    >>> sorted(pos) == ["a", "b", "c", "d"] and pos == layout(net)
    True
    >>> pos["d"][1] > max(pos[n][1] for n in "abc")
    True
    """
    related = nx.Graph()
    related.add_nodes_from(sorted(n for n in net if any(m != n for m in nx.all_neighbors(net, n))))
    related.add_edges_from(
        sorted({(min(h, t), max(h, t)) for h, t in net.edges() if h != t and h in related})
    )
    parts = sorted(nx.connected_components(related), key=lambda p: (-len(p), min(p)))
    boxes = [_spread(related.subgraph(part), seed) for part in parts]
    # Rows as wide as the biggest part, or as the square all parts would fill.
    area = sum(_extent(box)[0] * _extent(box)[1] for box in boxes)
    width = max(SPACING * 8, _extent(boxes[0])[0] if boxes else 0, int(area**0.5))
    positions: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0
    for box in boxes:
        w, h = _extent(box)
        if x and x + w > width:
            x, y, row_height = 0, y + row_height + SPACING, 0
        positions.update({n: (x + px, y + py) for n, (px, py) in box.items()})
        x, row_height = x + w + SPACING, max(row_height, h)
    y += row_height + 2 * SPACING if positions else 0
    order = list(STYLES)
    loners = sorted(
        (n for n in net if n not in positions),
        key=lambda n: (
            order.index(net.nodes[n].get("type")) if net.nodes[n].get("type") in order else 99,
            net.nodes[n].get("label", ""),
            n,
        ),
    )
    per_row = max(width // LONER_SPACING, 1)
    column, kind = 0, None
    for node in loners:
        if kind is not None and (net.nodes[node].get("type") != kind or column == per_row):
            y += LONER_SPACING * (1 if net.nodes[node].get("type") == kind else 2)
            column = 0
        kind = net.nodes[node].get("type")
        positions[node] = (column * LONER_SPACING, y)
        column += 1
    return positions


def _extent(box: dict[str, tuple[int, int]]) -> tuple[int, int]:
    return (max(x for x, _ in box.values()), max(y for _, y in box.values()))


def _spread(part: nx.Graph, seed: int) -> dict[str, tuple[int, int]]:
    """A force-directed layout of one connected graph, in pixels from (0, 0).

    Fruchterman–Reingold with a cooling step, in numpy (networkx's spring layout needs
    scipy above 500 nodes and its ForceAtlas2 is many times slower), repulsion computed in
    float32 blocks of rows so that memory stays linear in the number of nodes.
    """
    nodes = sorted(part)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0, 0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array(sorted((index[a], index[b]) for a, b in part.edges()), dtype=np.int64)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = (1.0 / n) ** 0.5
    step = 0.1
    cooling = step / (LAYOUT_ITERATIONS + 1)
    block = max(1, 2_000_000 // n)
    for _ in range(LAYOUT_ITERATIONS):
        move = np.zeros((n, 2))
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        for start in range(0, n, block):
            dx = x[start : start + block, None] - x[None, :]
            dy = y[start : start + block, None] - y[None, :]
            push = dx * dx
            push += dy * dy
            np.maximum(push, np.float32(1e-6), out=push)
            np.divide(np.float32(k * k), push, out=push)  # repulsion k² / distance, over distance
            move[start : start + block, 0] += (dx * push).sum(axis=1)
            move[start : start + block, 1] += (dy * push).sum(axis=1)
        delta = pos[edges[:, 0]] - pos[edges[:, 1]]
        pull = delta * (np.hypot(delta[:, 0], delta[:, 1]) / k)[:, None]
        np.add.at(move, edges[:, 0], -pull)
        np.add.at(move, edges[:, 1], pull)
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        pos += move * (np.minimum(length, step) / length)[:, None]
        step -= cooling
    pos -= pos.min(axis=0)
    span = max(float(pos.max()), 1e-9)
    pixels = np.rint(pos / span * SPACING * max(n**0.5, 1.5)).astype(int)
    return {node: (int(x), int(y)) for node, (x, y) in zip(nodes, pixels, strict=True)}


def place_clusters(net: nx.MultiDiGraph) -> dict[str, str]:
    """Node → the place it is grouped under when the page clusters by place.

    A place heads its own group; an entity located in a place joins that place's group
    (the first by IRI when it is in several); an entity with one neighbour only follows that
    neighbour (a person with a role in a company, a project built by it).

    >>> net = nx.MultiDiGraph()
    >>> net.add_nodes_from([("p", {"type": "Place"}), ("c", {"type": "Company"}),
    ...                     ("h", {"type": "Person"})])
    >>> net.add_edge("c", "p", key="locatedIn")
    'locatedIn'
    >>> net.add_edge("h", "c", key="hasRole")
    'hasRole'
    >>> place_clusters(net)
    {'c': 'p', 'p': 'p', 'h': 'p'}
    """
    place = EntityType.PLACE.value
    found: dict[str, str] = {}
    for node in sorted(net):
        if net.nodes[node].get("type") == place:
            found[node] = node
            continue
        homes = sorted(
            tail
            for _, tail, rel in net.out_edges(node, keys=True)
            if rel == RelationType.LOCATED_IN.value and net.nodes[tail].get("type") == place
        )
        if homes:
            found[node] = homes[0]
    for node in sorted(net):
        neighbours = set(nx.all_neighbors(net, node)) - {node}
        if node not in found and len(neighbours) == 1:
            (only,) = neighbours
            if only in found:
                found[node] = found[only]
    return found
