"""Relation extraction between resolved entities, with evidence."""

from __future__ import annotations

from collections.abc import Sequence

from graph.records import Entity, Mention, Relation, Sentence


def extract(sentences: Sequence[Sentence], mentions: Sequence[Mention], entities: Sequence[Entity]) -> list[Relation]:
    """Extract relations (not yet implemented: finds none)."""
    return []
