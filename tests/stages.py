"""The real stages run on one text, for tests that read what recognition and relation
extraction make of a sentence (rule tables, crossed sentence tables)."""

from __future__ import annotations

from typing import NamedTuple

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.entities.resolve import article_homes
from graph.records import Entity, Mention, Relation
from graph.relations import extract as relations
from graph.text.normalize import split_sentences


class Stages(NamedTuple):
    mentions: list[Mention]
    entities: list[Entity]
    facts: list[Relation]
    names: dict[str, set[str]]  # every name, alias and surface of each entity id


def run_stages(text: str, table: AliasTable, article_id: str = "example") -> Stages:
    """Recognition, resolution and relation extraction over ``text`` as one article."""
    sentences = split_sentences(article_id, text)
    mentions = entities.recognize(sentences, table)
    homes = article_homes(mentions, table, sentences)
    mentions, resolved = entities.resolve(mentions, table, homes)
    facts = relations.extract(sentences, mentions, resolved, homes)
    names: dict[str, set[str]] = {}
    for entity in resolved:
        names.setdefault(entity.id, set()).update((entity.name, *entity.aliases))
    for mention in mentions:
        if mention.entity_id:
            names.setdefault(mention.entity_id, set()).add(mention.text)
    return Stages(list(mentions), list(resolved), list(facts), names)
