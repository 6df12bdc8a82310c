"""The entities a build found that the alias table does not hold, for ``nekg candidates``.

The pipeline runs on articles, or a written graph is read back (:mod:`graph.eval.readback`);
:func:`graph.entities.curation.candidates` turns what it found into rows for the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from graph import pipeline
from graph.entities import curation
from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.eval.readback import extraction_from_graph, load_graph


def find_candidates(
    inputs: Sequence[Path] = (),
    *,
    graph: Path | None = None,
    aliases: Path | None = None,
    rejects: Path | None = None,
    skip_bad: bool = False,
    warn: curation.Warn | None = None,
) -> tuple[list[curation.CandidateRow], AliasTable]:
    """Run the pipeline on ``inputs`` (or read the written ``graph``, a file or a build's
    folder) and list its entities that the alias table does not hold.

    The reject list is honoured either way: a name rejected since the graph was built is
    not listed again.
    """
    table = entities.load_table(aliases)
    if graph is not None:
        path = Path(graph)
        extraction = extraction_from_graph(
            load_graph(path / "graph.ttl" if path.is_dir() else path)
        )
        # The build honoured the reject list already: rows that match nothing here are
        # not news, so they are not warned about again.
        mentions, found = curation.apply_rejects(
            curation.rejects_for(rejects, aliases), extraction.mentions, extraction.entities
        )
        extraction = replace(extraction, mentions=tuple(mentions), entities=tuple(found))
    else:
        extraction = pipeline.run(
            inputs or pipeline.DEFAULT_INPUTS,
            aliases=aliases,
            rejects=rejects,
            skip_bad=skip_bad,
            warn=warn,
        )
    return curation.candidates(extraction, table), table
