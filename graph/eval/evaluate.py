"""Measure extraction quality against articles a user annotated by hand.

A gold folder holds ``entities.jsonl`` and/or ``relations.jsonl``, one JSON
object a line::

    {"id": "calb", "type": "Company", "name": "中创新航", "aliases": ["中创新航科技股份有限公司"], "docs": ["a1"]}
    {"head": "calb", "rel": "locatedIn", "tail": "jintan", "doc": "a1", "evidence": "中创新航总部位于金坛区。"}

Matching rules (see the README section "Evaluating against your own annotations"):

- A gold entity is found when an extracted entity of the same type carries its
  name or one of its aliases, compared after :func:`graph.normalize.normalize_name`.
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

>>> s = Score("Company", tp=2, fp=1, fn=1)
>>> round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)
(0.667, 0.667, 0.667)
>>> display_width("金坛区 A")
8
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.display import shown
from graph.errors import GraphError, NekgError
from graph.records import (
    SYMMETRIC_RELATIONS,
    Article,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Mention,
    Relation,
    RelationType,
    Sentence,
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


# --- report ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for one row of the report, with precision, recall and F1 derived from them."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.label, self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        """The row as JSON-ready data."""
        return {
            "label": self.label,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Section:
    """Rows of one kind (entities, relations, spans) and their micro total.

    ``gate`` says whether ``--min-f1`` checks this section's micro F1.
    """

    name: str
    rows: tuple[Score, ...]
    gate: bool = True

    @property
    def total(self) -> Score:
        """Micro total: the counts of every row summed."""
        total = Score("micro")
        for row in self.rows:
            total = total + row
        return total

    def row(self, label: str) -> Score | None:
        """The row labelled ``label``, if any."""
        return next((r for r in self.rows if r.label == label), None)

    def to_dict(self) -> dict:
        """The section as JSON-ready data."""
        return {
            "name": self.name,
            "rows": [r.to_dict() for r in self.rows],
            "micro": self.total.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Item:
    """A miss or a false positive, with the sentence that shows it and why it counts."""

    section: str
    label: str
    text: str
    ref: str
    doc: str = ""
    evidence: str = ""
    reason: str = ""

    def to_dict(self) -> dict:
        """The item as JSON-ready data."""
        return {
            k: getattr(self, k)
            for k in ("section", "label", "text", "ref", "doc", "evidence", "reason")
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Scores per section, the misses and false positives, and notes on what was not scored."""

    sections: tuple[Section, ...] = ()
    misses: tuple[Item, ...] = ()
    false_positives: tuple[Item, ...] = ()
    notes: tuple[str, ...] = ()

    def section(self, name: str) -> Section | None:
        """The section called ``name``, if it was scored."""
        return next((s for s in self.sections if s.name == name), None)

    @property
    def entities(self) -> Section | None:
        """Per-type entity scores (None when the gold has no entities file)."""
        return self.section("entities")

    @property
    def relations(self) -> Section | None:
        """Per-relation scores (None when no relation type was scored)."""
        return self.section("relations")

    def below(self, min_f1: float) -> list[Section]:
        """Gated sections whose micro F1 is below ``min_f1``."""
        return [s for s in self.sections if s.gate and s.total.f1 < min_f1]

    def __add__(self, other: Report) -> Report:
        return Report(
            self.sections + other.sections,
            self.misses + other.misses,
            self.false_positives + other.false_positives,
            self.notes + other.notes,
        )

    def to_dict(self) -> dict:
        """The whole report as JSON-ready data."""
        return {
            "sections": [s.to_dict() for s in self.sections],
            "misses": [i.to_dict() for i in self.misses],
            "false_positives": [i.to_dict() for i in self.false_positives],
            "notes": list(self.notes),
        }


def combine(reports: Iterable[Report]) -> Report:
    """Sum the counts of same-named sections and rows, e.g. over leave-one-article-out folds.

    >>> a = Report((Section("entities", (Score("Company", 1, 0, 1),)),))
    >>> b = Report((Section("entities", (Score("Company", 2, 1, 0), Score("Place", 1, 0, 0))),))
    >>> combine([a, b]).entities.rows
    (Score(label='Company', tp=3, fp=1, fn=1), Score(label='Place', tp=1, fp=0, fn=0))
    """
    rows: dict[str, dict[str, Score]] = {}
    gates: dict[str, bool] = {}
    misses: list[Item] = []
    false_positives: list[Item] = []
    notes: list[str] = []
    for report in reports:
        for section in report.sections:
            merged = rows.setdefault(section.name, {})
            gates[section.name] = section.gate
            for row in section.rows:
                merged[row.label] = merged[row.label] + row if row.label in merged else row
        misses += report.misses
        false_positives += report.false_positives
        notes += [n for n in report.notes if n not in notes]
    order = {label: i for i, label in enumerate([*EntityType, *RelationType])}
    sections = tuple(
        Section(
            name,
            tuple(sorted(merged.values(), key=lambda r: order.get(r.label, len(order)))),
            gates[name],
        )
        for name, merged in rows.items()
    )
    return Report(sections, tuple(misses), tuple(false_positives), tuple(notes))


# --- matching ----------------------------------------------------------------


def _match(candidates: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """A maximum one-to-one pairing of gold ids with extracted ids (Kuhn's algorithm).

    >>> _match({"g1": ["e1"], "g2": ["e1", "e2"]})
    {'g1': 'e1', 'g2': 'e2'}
    """
    owner: dict[str, str] = {}

    def assign(gold: str, seen: set[str]) -> bool:
        for ext in candidates[gold]:
            if ext in seen:
                continue
            seen.add(ext)
            if ext not in owner or assign(owner[ext], seen):
                owner[ext] = gold
                return True
        return False

    for gold in candidates:
        assign(gold, set())
    return {gold: ext for ext, gold in sorted(owner.items(), key=lambda kv: kv[1])}


class _Corpus:
    """Lookups over an extraction restricted to a set of articles."""

    def __init__(self, extraction: Extraction, scope: frozenset[str] | None) -> None:
        self.scope = scope
        self.entities = {e.id: e for e in extraction.entities}
        self.sentences = {(s.article_id, s.index): s for s in extraction.sentences}
        self.by_article: dict[str, list[Sentence]] = defaultdict(list)
        for s in extraction.sentences:
            self.by_article[s.article_id].append(s)
        self.mentions: dict[str, list[Mention]] = defaultdict(list)
        for m in sorted(extraction.mentions, key=lambda m: (m.article_id, m.start, m.end)):
            if m.entity_id and self.counts(m.article_id):
                self.mentions[m.entity_id].append(m)
        self.relations = [r for r in extraction.relations if self.stated(r)]
        self.touching: dict[str, list[Relation]] = defaultdict(list)
        for r in self.relations:
            self.touching[r.head].append(r)
        in_scope = set(self.mentions)
        if scope is not None:
            in_scope |= {x for r in self.relations for x in (r.head, r.tail)}
        self.in_scope = in_scope if scope is not None else set(self.entities)
        self.names: dict[str, list[Entity]] = defaultdict(list)
        for e in extraction.entities:
            for name in {_norm(n) for n in (e.name, *e.aliases)} - {""}:
                self.names[name].append(e)

    def counts(self, article: str) -> bool:
        return self.scope is None or article in self.scope

    def stated(self, relation: Relation) -> bool:
        return self.scope is None or any(self.counts(ev.article_id) for ev in relation.evidence)

    def carriers(
        self, gold: GoldEntity, *, in_scope: bool = True, any_type: bool = False
    ) -> list[Entity]:
        """Extracted entities carrying one of ``gold``'s names (same type unless ``any_type``)."""
        found: dict[str, Entity] = {}
        for name in sorted(gold.names):
            for e in self.names.get(name, ()):
                if in_scope and e.id not in self.in_scope:
                    continue
                if any_type or gold.type is None or e.type == gold.type:
                    found[e.id] = e
        return sorted(found.values(), key=lambda e: e.id)

    def mention_sentence(self, entity_id: str) -> tuple[str, str]:
        """(article, sentence text) of the entity's first mention in scope."""
        for m in self.mentions.get(entity_id, ()):
            sentence = self.sentences.get((m.article_id, m.sentence))
            if sentence is not None:
                return m.article_id, sentence.text
            return m.article_id, ""
        return "", ""

    def sentence_with(self, names: Iterable[str], docs: Iterable[str]) -> tuple[str, str]:
        """(article, text) of the first sentence of ``docs`` that holds one of ``names``."""
        names = sorted(names, key=len, reverse=True)
        for doc in docs:
            if not self.counts(doc):
                continue
            for sentence in self.by_article.get(doc, ()):
                text = _norm(sentence.text)
                if any(n in text for n in names):
                    return doc, sentence.text
        return "", ""


def _entity_section(gold: Gold, corpus: _Corpus) -> tuple[Section, list[Item], list[Item]]:
    golds = [g for g in gold.entities if corpus.scope is None or corpus.scope.intersection(g.docs)]
    candidates = {g.id: [e.id for e in corpus.carriers(g)] for g in golds}
    pairs = _match(candidates)
    taken = {ext: gid for gid, ext in pairs.items()}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[Item] = []
    false_positives: list[Item] = []
    for g in golds:
        label = g.type.value if g.type else "any"
        if g.id in pairs:
            counts[label][0] += 1
            continue
        counts[label][2] += 1
        doc, evidence = corpus.sentence_with(g.names, g.docs)
        misses.append(
            Item(
                "entities",
                label,
                g.name,
                g.id,
                doc or ",".join(g.docs),
                evidence,
                _miss_reason(g, candidates, taken, corpus),
            )
        )
    by_name = defaultdict(list)
    for g in golds:
        for name in g.names:
            by_name[name].append(g)
    for ext_id in sorted(corpus.in_scope):
        entity = corpus.entities.get(ext_id)
        if entity is None or ext_id in taken:
            continue
        counts[entity.type.value][1] += 1
        doc, evidence = corpus.mention_sentence(ext_id)
        false_positives.append(
            Item(
                "entities",
                entity.type.value,
                entity.name,
                entity.id,
                doc,
                evidence,
                _fp_reason(entity, by_name, pairs),
            )
        )
    order = {t.value: i for i, t in enumerate(EntityType)}
    rows = tuple(
        Score(label, *c) for label, c in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    )
    return Section("entities", rows), misses, false_positives


def _miss_reason(
    g: GoldEntity, candidates: Mapping[str, list[str]], taken: Mapping[str, str], corpus: _Corpus
) -> str:
    if candidates[g.id]:
        others = sorted({taken[e] for e in candidates[g.id] if e in taken})
        return f"carried by {', '.join(candidates[g.id])}, already paired with gold {', '.join(others)} (merged)"
    other_type = corpus.carriers(g, any_type=True)
    if other_type:
        e = other_type[0]
        return f"found as {e.type.value} {e.id} (type differs)"
    elsewhere = corpus.carriers(g, in_scope=False)
    if elsewhere:
        return f"found as {elsewhere[0].id} but not mentioned in {', '.join(g.docs)}"
    kind = g.type.value if g.type else "entity"
    return f"no extracted {kind} carries this name"


def _fp_reason(
    entity: Entity, by_name: Mapping[str, list[GoldEntity]], pairs: Mapping[str, str]
) -> str:
    names = {_norm(n) for n in (entity.name, *entity.aliases)}
    golds = {g.id: g for n in names for g in by_name.get(n, ())}
    same = [g for g in golds.values() if g.type in (None, entity.type)]
    if same:
        g = same[0]
        return (
            f"duplicate: gold {g.id} is already matched by {pairs[g.id]}"
            if g.id in pairs
            else f"gold {g.id} is matched elsewhere"
        )
    if golds:
        g = next(iter(golds.values()))
        return f"the gold has this name as {g.type.value if g.type else '?'} ({g.id})"
    return "no gold entity carries this name"


def _key(head: str, rel: RelationType, tail: str) -> tuple[str, RelationType, str]:
    if rel in SYMMETRIC_RELATIONS and tail < head:
        head, tail = tail, head
    return head, rel, tail


def _relation_section(
    gold: Gold, corpus: _Corpus
) -> tuple[Section | None, list[Item], list[Item], list[str]]:
    scored = {r.rel for r in gold.relations}
    notes: list[str] = []
    skipped = defaultdict(int)
    for r in corpus.relations:
        if r.rel not in scored:
            skipped[r.rel.value] += 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
    if not scored:
        notes.append(
            "relations not scored: the gold has no relations"
            + (f" (predicted: {kinds})" if kinds else "")
        )
        return None, [], [], notes
    if skipped:
        notes.append(f"not scored, no such relation in the gold: {kinds}")
    units: dict[tuple, GoldRelation] = {}
    for r in gold.relations:
        if corpus.counts(r.doc):
            units.setdefault(_key(r.head, r.rel, r.tail), r)
    golds = gold._by_id()
    # For each extracted entity, the gold entities whose name it carries.
    gold_of: dict[str, set[str]] = defaultdict(set)
    for gid in {x for r in units.values() for x in (r.head, r.tail)}:
        for e in corpus.carriers(golds[gid]):
            gold_of[e.id].add(gid)
    found: set[tuple] = set()
    false_positives: list[Item] = []
    counts: dict[str, list[int]] = {rel.value: [0, 0, 0] for rel in RelationType if rel in scored}
    for p in sorted(corpus.relations, key=lambda r: (r.rel, r.head, r.tail)):
        if p.rel not in scored:
            continue
        hits = {
            key
            for h in gold_of.get(p.head, ())
            for t in gold_of.get(p.tail, ())
            if (key := _key(h, p.rel, t)) in units
        }
        if hits:
            found |= hits
            continue
        counts[p.rel.value][1] += 1
        ev = next((e for e in p.evidence if corpus.counts(e.article_id)), None)
        if p.head not in gold_of or p.tail not in gold_of:
            missing = [
                corpus.entities[x].name if x in corpus.entities else x
                for x in (p.head, p.tail)
                if x not in gold_of
            ]
            reason = f"{'、'.join(missing)}: not an end of any gold relation"
        else:
            reason = "not in the gold"
        false_positives.append(
            Item(
                "relations",
                p.rel.value,
                _fact(corpus, p),
                f"{p.head} {p.rel.value} {p.tail}",
                ev.article_id if ev else "",
                ev.sentence if ev else "",
                reason,
            )
        )
    misses: list[Item] = []
    for key, r in units.items():
        if key in found:
            counts[r.rel.value][0] += 1
            continue
        counts[r.rel.value][2] += 1
        text = f"{golds[r.head].name} {r.rel.value} {golds[r.tail].name}"
        misses.append(
            Item(
                "relations",
                r.rel.value,
                text,
                f"{r.head} {r.rel.value} {r.tail}",
                r.doc,
                r.evidence,
                _relation_miss_reason(r, golds, corpus),
            )
        )
    rows = tuple(Score(label, *c) for label, c in counts.items() if any(c))
    return Section("relations", rows), misses, false_positives, notes


def _fact(corpus: _Corpus, relation: Relation) -> str:
    name = {
        x: corpus.entities[x].name if x in corpus.entities else x
        for x in (relation.head, relation.tail)
    }
    return f"{name[relation.head]} {relation.rel.value} {name[relation.tail]}"


def _relation_miss_reason(r: GoldRelation, golds: Mapping[str, GoldEntity], corpus: _Corpus) -> str:
    heads = {e.id for e in corpus.carriers(golds[r.head])}
    tails = {e.id for e in corpus.carriers(golds[r.tail])}
    lost = [golds[x] for x, found in ((r.head, heads), (r.tail, tails)) if not found]
    if lost:
        return "; ".join(
            f"{g.name} not found as {g.type.value if g.type else 'an entity'}" for g in lost
        )
    linking = set()
    for p in (p for x in sorted(heads | tails) for p in corpus.touching.get(x, ())):
        if p.head in heads and p.tail in tails:
            linking.add(p.rel.value)
        elif p.head in tails and p.tail in heads:
            linking.add(f"{p.rel.value} (reversed)")
    if linking:
        return f"both found, linked only by {', '.join(sorted(linking))}"
    return f"both found, no {r.rel.value} between them"


def _some(ids: Collection[str], limit: int = 10) -> str:
    """Up to ``limit`` ids, sorted, and how many more there are."""
    shown = sorted(ids)[:limit]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(shown) + more


def evaluate(gold: Gold, extraction: Extraction, *, docs: Collection[str] | None = None) -> Report:
    """Score ``extraction`` against ``gold``; see the module docstring for the rules.

    Args:
        gold: from :func:`load_gold`.
        extraction: the pipeline's records (or :func:`extraction_from_graph`).
        docs: only these articles count (gold items of them, extracted items
            mentioned or stated in them); None counts everything.
    """
    scope = frozenset(docs) if docs is not None else None
    corpus = _Corpus(extraction, scope)
    sections: list[Section] = []
    misses: list[Item] = []
    false_positives: list[Item] = []
    notes: list[str] = []
    known = {a.id for a in extraction.articles}
    wanted = sorted(
        d for d in gold.docs if known and d not in known and (scope is None or d in scope)
    )
    if wanted:
        notes.append(f"the gold names articles the extraction does not have: {', '.join(wanted)}")
        notes.append(f"the extraction's articles are: {_some(known)}")
    if gold.scores_entities:
        section, miss, fps = _entity_section(gold, corpus)
        sections.append(section)
        misses += miss
        false_positives += fps
    if gold.scores_relations:
        section, miss, fps, more = _relation_section(gold, corpus)
        if section is not None:
            sections.append(section)
        misses += miss
        false_positives += fps
        notes += more
    return Report(tuple(sections), tuple(misses), tuple(false_positives), tuple(notes))


# --- reading a written graph back into records --------------------------------

_NEKG = "https://w3id.org/nekg/ontology#"
_ID = "https://w3id.org/nekg/id/"
_ARTICLE = _ID + "article/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PROV_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
_DCTERMS = "http://purl.org/dc/terms/"
_SCHEMA = "https://schema.org/"
_WIKIDATA = "http://www.wikidata.org/entity/"


def load_graph(path: Path):
    """Parse a graph file written by ``nekg build`` (Turtle, N-Triples, RDF/XML, JSON-LD).

    Raises:
        GraphError: the file is missing or does not parse.
    """
    from rdflib import Graph
    from rdflib.util import guess_format

    path = Path(path)
    if not path.is_file():
        raise GraphError(
            f"{shown(path)}: no such graph file; run `nekg build` first or give another --graph"
        )
    fmt = guess_format(str(path)) or "turtle"
    try:
        graph = Graph(store="Oxigraph")
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib and oxrdflib raise many kinds of parse errors
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise GraphError(f"{shown(path)}: cannot be read as {fmt} ({reason})") from None
    return graph


def _string_triples(graph) -> Iterator[tuple[str, str, str]]:
    """Every triple as (subject, predicate, object) strings: IRIs and literal lexical forms.

    Reads an Oxigraph-backed graph through pyoxigraph directly, five times faster
    than converting every term to rdflib.
    """
    inner = getattr(graph.store, "_inner", None)
    if inner is not None and hasattr(inner, "quads_for_pattern"):
        for quad in inner.quads_for_pattern(None, None, None, None):
            yield quad.subject.value, quad.predicate.value, quad.object.value
        return
    for s, p, o in graph.triples((None, None, None)):
        yield str(s), str(p), str(o)


class _Nodes:
    """The triples of a graph indexed by subject, as plain strings."""

    def __init__(self, graph) -> None:
        self.props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.typed: dict[str, list[str]] = defaultdict(list)
        self.pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        facts = {_NEKG + r.value for r in RelationType} | {_SCHEMA + "mentions"}
        for s, p, o in _string_triples(graph):
            if p == _RDF + "type":
                self.typed[o].append(s)
            elif p in facts:
                self.pairs[p].append((s, o))
            else:
                self.props[s][p].append(o)

    def of_type(self, iri: str) -> list[str]:
        return sorted(set(self.typed.get(iri, ())))

    def text(self, node: str, *predicates: str) -> str:
        values = self.props.get(node, {})
        for predicate in predicates:
            if values.get(predicate):
                return min(values[predicate])
        return ""

    def all(self, node: str, predicate: str) -> list[str]:
        return sorted(self.props.get(node, {}).get(predicate, ()))

    def number(self, node: str, predicate: str, kind: type = int, default=0):
        value = self.text(node, predicate)
        try:
            return kind(value) if value else default
        except ValueError:
            return default


def _local(iri: str, prefix: str) -> str:
    return iri[len(prefix) :] if iri.startswith(prefix) else ""


def extraction_from_graph(graph) -> Extraction:
    """Rebuild entity, relation and mention records from a graph written per nekg's data model.

    Sentences are rebuilt from the evidence texts: each distinct evidence of an
    article becomes one :class:`Sentence` (offsets exact where a fact's provenance
    gives them, else estimated from a mention), numbered in text order. Article
    texts are not in the graph and stay empty.
    """
    nodes = _Nodes(graph)
    articles = tuple(
        Article(
            id=_local(node, _ARTICLE),
            text="",
            title=nodes.text(node, _DCTERMS + "title"),
            date=nodes.text(node, _DCTERMS + "date"),
            source=nodes.text(node, _DCTERMS + "publisher"),
            url=nodes.text(node, _SCHEMA + "url"),
        )
        for node in nodes.of_type(_NEKG + "Article")
        if _local(node, _ARTICLE)
    )
    entities: dict[str, Entity] = {}
    for kind in EntityType:
        for node in nodes.of_type(_NEKG + kind.value):
            ident = _local(node, _ID)
            if not ident or ident in entities:
                continue
            name = nodes.text(node, _SKOS + "prefLabel", _RDFS_LABEL) or ident
            aliases = tuple(
                a for a in dict.fromkeys(nodes.all(node, _SKOS + "altLabel")) if a != name
            )
            external = [("adcode", code) for code in nodes.all(node, _NEKG + "adminCode")]
            external += [
                ("wikidata", _local(m, _WIKIDATA))
                for m in nodes.all(node, _SKOS + "exactMatch")
                if _local(m, _WIKIDATA)
            ]
            entities[ident] = Entity(ident, kind, name, aliases, tuple(sorted(external)))

    # Evidence of facts, with the original offsets of their sentences.
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    evidence: dict[tuple[str, RelationType, str], list[Evidence]] = defaultdict(list)
    roles: dict[tuple[str, RelationType, str], str] = {}
    for node in nodes.of_type(_RDF + "Statement"):
        head = _local(nodes.text(node, _RDF + "subject"), _ID)
        tail = _local(nodes.text(node, _RDF + "object"), _ID)
        rel_name = _local(nodes.text(node, _RDF + "predicate"), _NEKG)
        if not head or not tail or rel_name not in RelationType._value2member_map_:
            continue
        rel = RelationType(rel_name)
        article = _local(nodes.text(node, _PROV_FROM), _ARTICLE)
        sentence = nodes.text(node, _NEKG + "evidence")
        start, end = nodes.number(node, _NEKG + "start"), nodes.number(node, _NEKG + "end")
        confidence = nodes.number(node, _NEKG + "confidence", float, 1.0)
        evidence[(head, rel, tail)].append(
            Evidence(article, sentence, start, end, nodes.text(node, _NEKG + "method"), confidence)
        )
        if sentence:
            spans.setdefault((article, sentence), (start, end))
        if role := nodes.text(node, _NEKG + "role"):
            roles[(head, rel, tail)] = role
    relations = []
    for rel in RelationType:
        for s, o in sorted(set(nodes.pairs.get(_NEKG + rel.value, ()))):
            head, tail = _local(s, _ID), _local(o, _ID)
            if head in entities and tail in entities:
                key = (head, rel, tail)
                found = sorted(evidence.get(key, ()), key=lambda e: (e.article_id, e.start, e.end))
                relations.append(Relation(head, rel, tail, tuple(found), roles.get(key, "")))
    relations.sort(key=lambda r: (r.head, r.rel, r.tail))

    raw: list[tuple[str, str, str, str, str, int, int]] = []
    for node in nodes.of_type(_NEKG + "Mention"):
        entity = _local(nodes.text(node, _NEKG + "mentionOf"), _ID)
        article = _local(nodes.text(node, _PROV_FROM), _ARTICLE)
        if entity not in entities or not article:
            continue
        surface, sentence = (
            nodes.text(node, _NEKG + "surface"),
            nodes.text(node, _NEKG + "evidence"),
        )
        start, end = nodes.number(node, _NEKG + "start"), nodes.number(node, _NEKG + "end")
        if sentence and (article, sentence) not in spans:
            begin = max(start - max(sentence.find(surface), 0), 0) if surface else start
            spans[(article, sentence)] = (begin, begin + len(sentence))
        raw.append((node, entity, article, surface, sentence, start, end))
    # An article the graph says mentions an entity puts the entity in that
    # article's scope even without a mention node.
    seen = {(m[1], m[2]) for m in raw}
    for s, o in sorted(set(nodes.pairs.get(_SCHEMA + "mentions", ()))):
        article, entity = _local(s, _ARTICLE), _local(o, _ID)
        if article and entity in entities and (entity, article) not in seen:
            seen.add((entity, article))
            raw.append(("", entity, article, "", "", -1, -1))

    sentences, index, numbers = [], {}, defaultdict(int)
    for (article, text), (start, end) in sorted(
        spans.items(), key=lambda kv: (kv[0][0], kv[1], kv[0][1])
    ):
        index[(article, text)] = number = numbers[article]
        numbers[article] += 1
        sentences.append(
            Sentence(article, number, text, start, end, tuple(range(start, start + len(text))))
        )
    mentions = sorted(
        (
            Mention(
                article_id=article,
                sentence=index.get((article, sentence), -1),
                start=start,
                end=end,
                text=surface,
                type=entities[entity].type,
                entity_id=entity,
                method=nodes.text(node, _NEKG + "method"),
                confidence=nodes.number(node, _NEKG + "confidence", float, 1.0),
                rule=nodes.text(node, _NEKG + "rule"),
            )
            for node, entity, article, surface, sentence, start, end in raw
        ),
        key=lambda m: (m.article_id, m.start, m.end, m.entity_id),
    )
    return Extraction(
        articles,
        tuple(sentences),
        tuple(mentions),
        tuple(sorted(entities.values(), key=lambda e: e.id)),
        tuple(relations),
    )


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


# --- printing ----------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
        for ch in text
    )


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _table(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(_pad(cell, widths[i], right=i in right) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def format_report(report: Report, *, limit: int | None = 20) -> str:
    """The report as text: the score table, then misses and false positives with evidence.

    ``limit`` caps how many misses and false positives are listed per section
    (None lists all).
    """
    header = ("", "tp", "fp", "fn", "precision", "recall", "f1")
    rows: list[Sequence[str]] = [header]
    for section in report.sections:
        rows.append((section.name, "", "", "", "", "", ""))
        for score in (*section.rows, section.total):
            rows.append(
                (
                    f"  {score.label}",
                    str(score.tp),
                    str(score.fp),
                    str(score.fn),
                    f"{score.precision:.3f}",
                    f"{score.recall:.3f}",
                    f"{score.f1:.3f}",
                )
            )
    lines = _table(rows, right=range(1, 7)) if report.sections else ["nothing scored"]
    for title, items in (("misses", report.misses), ("false positives", report.false_positives)):
        for section in dict.fromkeys(i.section for i in items):
            chosen = [i for i in items if i.section == section]
            lines += ["", f"{section}: {title} ({len(chosen)})"]
            shown = chosen if limit is None else chosen[:limit]
            cells = [(f"  {i.label}", i.text, i.doc, i.reason) for i in shown]
            for item, line in zip(shown, _table(cells), strict=True):
                lines.append(line)
                if item.evidence:
                    lines.append(f"      「{item.evidence}」")
            if len(chosen) > len(shown):
                lines.append(f"  … and {len(chosen) - len(shown)} more (--limit 0 lists all)")
    if report.notes:
        lines.append("")
        lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    """The report as indented JSON (Chinese kept as is)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
