"""Entity recognition: alias table plus an NER pass over normalized sentences."""

from __future__ import annotations

from collections.abc import Sequence

from graph.records import Entity, Mention, Sentence


def recognize(sentences: Sequence[Sentence], table: object | None = None) -> list[Mention]:
    """Find entity mentions in ``sentences`` (not yet implemented: finds none)."""
    return []


def resolve(mentions: Sequence[Mention], table: object | None = None) -> tuple[list[Mention], list[Entity]]:
    """Map every mention to one entity."""
    return list(mentions), []
