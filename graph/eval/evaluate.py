"""Measure extraction quality against articles a user annotated by hand.

A gold folder holds ``entities.jsonl`` and/or ``relations.jsonl``, one JSON
object a line::

    {"id": "calb", "type": "Company", "name": "中创新航", "aliases": ["中创新航科技股份有限公司"], "docs": ["a1"]}
    {"head": "calb", "rel": "locatedIn", "tail": "jintan", "doc": "a1", "evidence": "中创新航总部位于金坛区。"}

Matching rules (see the README section "Evaluating against your own annotations"):

- A gold entity is found when an extracted entity of the same type carries its
  name or one of its aliases, compared after :func:`graph.text.normalize.normalize_name`.
  Gold and extracted entities are paired one to one, so an entity extracted
  twice (never merged) counts one true and one false positive, and two gold
  entities merged into one extracted entity count one found and one missed.
- A gold relation is found when the relation exists between any extracted
  entities that carry the names of its head and tail (either direction for
  symmetric relations). Only relation types that occur in the gold are scored:
  a predicted relation of such a type that is not in the gold is a false positive;
  predictions of other types are counted in a note, not scored.
- With ``docs``, only gold items of those articles and extracted items mentioned
  (or stated) in them count; that is how leave-one-article-out works.

Precision with nothing predicted and recall with nothing to find are 1.0
(nothing was wrong, nothing was missed); F1 is 0.0 when both are 0.

>>> from graph.eval.report import display_width
>>> from graph.eval.score import Score
>>> s = Score("Company", tp=2, fp=1, fn=1)
>>> round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)
(0.667, 0.667, 0.667)
>>> display_width("金坛区 A")
8
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from graph.eval.gold import GoldError, load_gold
from graph.eval.match import _some, evaluate
from graph.eval.readback import extraction_from_graph, load_graph
from graph.eval.score import Report


def evaluate_folder(
    gold_folder: Path,
    *,
    graph: Path | None = None,
    inputs: Sequence[Path] = (),
    aliases: Path | None = None,
    rejects: Path | None = None,
    docs: Collection[str] | None = None,
) -> Report:
    """Evaluate a written graph, or a fresh run over ``inputs``, against a gold folder.

    Without ``docs`` only the articles the gold annotates are scored (all, for a
    gold that names none), so a graph of many articles can be checked against a few
    annotated ones.
    """
    gold = load_gold(gold_folder)
    if graph is not None:
        extraction = extraction_from_graph(load_graph(graph))
    else:
        from graph import pipeline

        extraction = pipeline.run(
            inputs or pipeline.DEFAULT_INPUTS, aliases=aliases, rejects=rejects
        )
    if docs is None:
        docs = gold.docs or None
    known = {a.id for a in extraction.articles}
    if docs and known and not set(docs) & known:
        raise GoldError(
            str(gold_folder),
            0,
            f"none of the articles it names ({_some(docs)}) is in the graph, which has "
            f"{_some(known)}; use the graph's article ids in the gold's docs and doc fields",
        )
    return evaluate(gold, extraction, docs=docs)
