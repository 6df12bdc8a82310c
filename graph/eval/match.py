"""Matching an extraction against a gold: entities one to one by name, facts by their ends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from graph.eval.gold import Gold, GoldEntity, GoldRelation, _norm
from graph.eval.score import Item, Report, Score, Section
from graph.records import (
    SYMMETRIC_RELATIONS,
    Entity,
    EntityType,
    Extraction,
    Mention,
    Relation,
    RelationType,
    Sentence,
)

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
