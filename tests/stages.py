"""The real stages run on one text, and the example tables of the rules, for tests that read
what recognition and relation extraction make of a sentence."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.entities.resolve import article_homes
from graph.records import Entity, Mention, Relation, Sentence
from graph.relations import extract as relations
from graph.text.normalize import split_sentences


class Stages(NamedTuple):
    mentions: list[Mention]
    entities: list[Entity]
    facts: list[Relation]
    names: dict[str, set[str]]  # every name, alias and surface of each entity id
    sentences: list[Sentence]
    homes: dict


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
    return Stages(list(mentions), list(resolved), list(facts), names, list(sentences), homes)


def read_rows(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a rule's example table (tab-separated, a header of ``columns``), each with
    its line number in the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == columns, f"{path.name}: columns must be {columns}"
        return list(enumerate(reader, start=2))
