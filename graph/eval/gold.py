"""Gold annotations: entities.jsonl and relations.jsonl read and checked line by line."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.display import shown
from graph.errors import NekgError
from graph.records import (
    EntityType,
    RelationType,
)
from graph.text.normalize import normalize_name

ENTITIES_FILE = "entities.jsonl"
RELATIONS_FILE = "relations.jsonl"

ENTITY_FIELDS = {"id": str, "type": str, "name": str, "aliases": list, "docs": list}
RELATION_FIELDS = {"head": str, "rel": str, "tail": str, "doc": str, "evidence": str}
_REQUIRED_ENTITY = ("id", "type", "name", "docs")
_REQUIRED_RELATION = ("head", "rel", "tail", "doc")

# The CLUENER labels that correspond to nekg's types, used when no mapping is given.


class GoldError(NekgError):
    """A gold file has a broken line (or cannot be read)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{shown(path)}:{line}" if line else shown(path)
        super().__init__(f"{where}: {reason}")


# --- gold --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """An annotated entity; ``type`` None matches any type (names in a relation-only gold)."""

    id: str
    type: EntityType | None
    name: str
    aliases: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        """Every name and alias in normalized form."""
        return frozenset(_norm(n) for n in (self.name, *self.aliases) if _norm(n))


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """An annotated fact between two gold entities, stated in article ``doc``."""

    head: str
    rel: RelationType
    tail: str
    doc: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Gold:
    """A gold set; ``scores_entities``/``scores_relations`` say which files it had."""

    entities: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    scores_entities: bool = True
    scores_relations: bool = True
    source: str = ""

    @property
    def docs(self) -> frozenset[str]:
        """Every article the gold annotates."""
        found = {d for e in self.entities for d in e.docs} if self.scores_entities else set()
        return frozenset(found | {r.doc for r in self.relations})

    def entity(self, ident: str) -> GoldEntity:
        """The gold entity with id ``ident``."""
        return self._by_id()[ident]

    def _by_id(self) -> dict[str, GoldEntity]:
        return {e.id: e for e in self.entities}


@lru_cache(maxsize=1 << 16)
def _norm(name: str) -> str:
    return normalize_name(name)


def read_utf8_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 file (BOM allowed), split at "\\n" only: a U+2028 inside a JSON
    string or a sentence is text, not a line end.

    Raises:
        GoldError: the file is not UTF-8.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoldError(
            str(path), 0, f"is not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None
    return [line.removesuffix("\r") for line in text.split("\n")]


def read_jsonl_lines(path: Path) -> Iterable[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSONL file."""
    for number, line in enumerate(read_utf8_lines(path), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(
                str(path), number, f"is not valid JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(record, dict):
            raise GoldError(str(path), number, "needs a JSON object, one per line")
        yield number, record


def _check_fields(
    path: Path, number: int, record: dict, fields: dict, required: Sequence[str]
) -> None:
    for key, value in record.items():
        if key.startswith("_"):
            continue  # "_note" and the like: free for the annotator
        if key not in fields:
            raise GoldError(
                str(path),
                number,
                f"unknown field {key!r} (expected {', '.join(fields)}; prefix notes with _)",
            )
        if not isinstance(value, fields[key]):
            kind = "a list of strings" if fields[key] is list else "a string"
            raise GoldError(str(path), number, f"{key!r} must be {kind}")
        if fields[key] is list and not all(isinstance(v, str) and v.strip() for v in value):
            raise GoldError(str(path), number, f"{key!r} must be a list of non-empty strings")
    for key in required:
        if key not in record or record[key] in ("", []):
            raise GoldError(str(path), number, f"missing {key!r}")


def _enum(path: Path, number: int, kind: type, value: str, what: str):
    try:
        return kind(value)
    except ValueError:
        options = ", ".join(m.value for m in kind)
        raise GoldError(
            str(path), number, f"unknown {what} {value!r} (one of: {options})"
        ) from None


def _load_entities(path: Path) -> list[GoldEntity]:
    entities: list[GoldEntity] = []
    first_line: dict[str, int] = {}
    for number, record in read_jsonl_lines(path):
        _check_fields(path, number, record, ENTITY_FIELDS, _REQUIRED_ENTITY)
        ident = record["id"].strip()
        if ident in first_line:
            raise GoldError(
                str(path), number, f"id {ident!r} is already used on line {first_line[ident]}"
            )
        first_line[ident] = number
        kind = _enum(path, number, EntityType, record["type"], "type")
        if not _norm(record["name"]):
            raise GoldError(str(path), number, "'name' is empty after normalization")
        entities.append(
            GoldEntity(
                id=ident,
                type=kind,
                name=record["name"].strip(),
                aliases=tuple(a.strip() for a in record.get("aliases", [])),
                docs=tuple(d.strip() for d in record["docs"]),
            )
        )
    return entities


def _load_relations(path: Path, known: set[str] | None) -> list[GoldRelation]:
    relations: list[GoldRelation] = []
    for number, record in read_jsonl_lines(path):
        _check_fields(path, number, record, RELATION_FIELDS, _REQUIRED_RELATION)
        rel = _enum(path, number, RelationType, record["rel"], "relation")
        head, tail = record["head"].strip(), record["tail"].strip()
        if known is not None:
            for end, value in (("head", head), ("tail", tail)):
                if value not in known:
                    raise GoldError(
                        str(path), number, f"{end} {value!r} is not an id in {ENTITIES_FILE}"
                    )
        if head == tail:
            raise GoldError(str(path), number, f"head and tail are both {head!r}")
        relations.append(
            GoldRelation(head, rel, tail, record["doc"].strip(), record.get("evidence", "").strip())
        )
    return relations


def load_gold(folder: Path) -> Gold:
    """Read a gold folder (``entities.jsonl`` and/or ``relations.jsonl``).

    Without ``entities.jsonl`` the heads and tails of relations are names, matched
    against extracted entities of any type, and entities are not scored.
    Without ``relations.jsonl`` relations are not scored.

    Raises:
        GoldError: the folder has neither file, or a line is broken (``file:line: what``).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GoldError(
            str(folder),
            0,
            f"is not a folder; a gold folder holds {ENTITIES_FILE} and/or {RELATIONS_FILE}",
        )
    ent_path, rel_path = folder / ENTITIES_FILE, folder / RELATIONS_FILE
    if not ent_path.is_file() and not rel_path.is_file():
        raise GoldError(
            str(folder),
            0,
            f"has neither {ENTITIES_FILE} nor {RELATIONS_FILE}; see README 'Evaluating against your own annotations'",
        )
    if not ent_path.is_file():
        relations = _load_relations(rel_path, None)
        docs: dict[str, set[str]] = defaultdict(set)
        for r in relations:
            docs[r.head].add(r.doc)
            docs[r.tail].add(r.doc)
        implied = tuple(
            GoldEntity(name, None, name, (), tuple(sorted(d))) for name, d in docs.items()
        )
        return Gold(
            implied,
            tuple(relations),
            scores_entities=False,
            scores_relations=True,
            source=str(folder),
        )
    entities = _load_entities(ent_path)
    relations = _load_relations(rel_path, {e.id for e in entities}) if rel_path.is_file() else []
    return Gold(tuple(entities), tuple(relations), True, rel_path.is_file(), str(folder))
