"""nekg in spaCy: a pipeline component, and nekg's mentions as spaCy training data.

- ``nekg_entities``, a spaCy pipeline component (also an entry point, so that
  ``spacy.blank("zh").add_pipe("nekg_entities")`` works once nekg is installed): it runs
  nekg's recognizer, resolution and reject list on ``doc.text`` and sets ``doc.ents``.
  Labels are nekg's entity types (``Company``, ``Place``, …); ``span.kb_id_`` is the
  resolved entity id; ``span._.nekg_rule`` the registered id of the rule that found it
  (docs/rules.md) and ``span._.nekg_confidence`` its confidence.
- :func:`docs_from_extraction` turns an :class:`~graph.records.Extraction` into spaCy
  ``Doc`` objects (one per sentence, or per article) with the mentions as entities, and
  :func:`to_docbin` into a ``DocBin`` (``.spacy`` file): the format ``spacy train`` and
  ``spacy evaluate`` read (``nekg export --format spacy``; see docs/spacy.md).

spaCy's blank Chinese pipeline splits text into single characters (segmenter ``char``,
no model to download), so every nekg span is a span of tokens.

The build does not import this module: spaCy is loaded only when it is used.

>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("nekg_entities")
>>> [(e.text, e.label_, e.kb_id_) for e in nlp("常州大学位于江苏。").ents][1]
('江苏', 'Place', 'place/320000')
"""

# No ``from __future__ import annotations``: spaCy reads the factory's annotations to check
# its config, and needs them as real types.

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from graph.display import shown
from graph.entities import curation
from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.entities.curation import RejectList
from graph.entities.resolve import article_homes
from graph.errors import NekgError
from graph.files import write_output
from graph.records import Article, Extraction, Mention, Sentence
from graph.text.normalize import sentence_at, split_sentences

FACTORY = "nekg_entities"
RULE, CONFIDENCE = "nekg_rule", "nekg_confidence"
ALIGNMENT_MODES = ("strict", "contract", "expand")

for _name in (RULE, CONFIDENCE):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

Warn = Callable[[str], None]


class SpacyError(NekgError):
    """The component is configured wrongly, or mentions cannot be made into spaCy docs."""


def extract_text(
    text: str,
    table: AliasTable | None = None,
    rejects: RejectList | None = None,
    article_id: str = "doc",
) -> list[Mention]:
    """The resolved mentions of one text, found as ``nekg build`` finds them in an article."""
    table = table if table is not None else AliasTable()
    sentences = split_sentences(article_id, text)
    mentions = entities.recognize(sentences, table)
    homes = article_homes(mentions, table, sentences)
    mentions, resolved = entities.resolve(mentions, table, homes)
    if rejects is not None:
        mentions, resolved = curation.apply_rejects(rejects, mentions, resolved)
    return mentions


def _span(doc: Doc, start: int, end: int, mention: Mention, mode: str) -> Span | None:
    """The span of ``doc[start:end]`` (chars) as an entity of ``mention``, None if no tokens."""
    span = doc.char_span(
        start, end, label=mention.type.value, kb_id=mention.entity_id, alignment_mode=mode
    )
    if span is None or not len(span):
        return None
    span._.set(RULE, mention.rule or mention.method)
    span._.set(CONFIDENCE, mention.confidence)
    return span


def _set_ents(doc: Doc, spans: list[Span], overwrite: bool) -> Doc:
    """Set the non-overlapping spans as ``doc.ents`` (longest first, as nekg settles overlaps);
    without ``overwrite`` the entities already set win over nekg's."""
    if overwrite:
        doc.ents = filter_spans(spans)
        return doc
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    mine = [s for s in filter_spans(spans) if not taken.intersection(range(s.start, s.end))]
    doc.ents = sorted([*doc.ents, *mine], key=lambda s: s.start)
    return doc


class EntityRecognizer:
    """The ``nekg_entities`` component: nekg's recognizer as a spaCy pipeline step."""

    def __init__(
        self,
        name: str = FACTORY,
        aliases: str | None = None,
        reject: str | None = None,
        overwrite_ents: bool = True,
        alignment_mode: str = "expand",
    ) -> None:
        if alignment_mode not in ALIGNMENT_MODES:
            raise SpacyError(
                f"alignment_mode {alignment_mode!r} is not one of {', '.join(ALIGNMENT_MODES)}"
            )
        self.name = name
        alias_path = Path(aliases) if aliases else None
        if alias_path is not None and not alias_path.is_file():
            raise SpacyError(
                f"{shown(alias_path)}: no such alias table; give the path of one, "
                "or leave aliases out for seeds/aliases.tsv"
            )
        self.table = entities.load_table(alias_path)
        self.rejects = curation.rejects_for(Path(reject) if reject else None, alias_path)
        self.overwrite_ents = overwrite_ents
        self.alignment_mode = alignment_mode

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            span
            for m in extract_text(doc.text, self.table, self.rejects)
            if (span := _span(doc, m.start, m.end, m, self.alignment_mode)) is not None
        ]
        return _set_ents(doc, spans, self.overwrite_ents)


@Language.factory(
    FACTORY,
    default_config={
        "aliases": None,
        "reject": None,
        "overwrite_ents": True,
        "alignment_mode": "expand",
    },
    assigns=["doc.ents", f"span._.{RULE}", f"span._.{CONFIDENCE}"],
)
def make_component(
    nlp: Language,
    name: str,
    aliases: str | None,
    reject: str | None,
    overwrite_ents: bool,
    alignment_mode: str,
) -> EntityRecognizer:
    """``nlp.add_pipe("nekg_entities", config={"aliases": "seeds/aliases.tsv"})``.

    ``aliases``: the alias table (default ``seeds/aliases.tsv`` as for ``nekg build``);
    ``reject``: the reject list (default ``reject.tsv`` beside the alias table);
    ``overwrite_ents``: replace the entities set before (default) or keep them;
    ``alignment_mode``: how ``Doc.char_span`` fits a name to tokens other than characters.
    """
    return EntityRecognizer(name, aliases, reject, overwrite_ents, alignment_mode)


# --- nekg's mentions as training data ---------------------------------------------------


def _blank() -> Language:
    import spacy

    return spacy.blank("zh")


def _sentence_of(
    m: Mention, sentences: dict[tuple[str, int], Sentence], by_article: dict[str, list[Sentence]]
) -> Sentence | None:
    s = sentences.get((m.article_id, m.sentence))
    if s is not None and s.start <= m.start and m.end <= s.end:
        return s
    return sentence_at(by_article.get(m.article_id, []), m.start)


def docs_from_extraction(
    extraction: Extraction,
    nlp: Language | None = None,
    *,
    by: str = "sentence",
    warn: Warn | None = None,
) -> Iterator[Doc]:
    """spaCy documents of ``extraction``'s articles with its mentions as entities.

    ``by="sentence"`` gives one ``Doc`` per sentence (sentences without mentions too: they
    teach a model where no names are), its text the sentence as the article has it;
    ``by="article"`` one ``Doc`` per article. Each doc's ``user_data["nekg"]`` holds the
    article id, the sentence index (-1 for a whole article) and the doc's offset in the
    article. ``nlp`` makes the tokens (default ``spacy.blank("zh")``, one per character);
    a mention that no tokens fit, or that overlaps a longer one, is reported to ``warn``.
    """
    if by not in ("sentence", "article"):
        raise SpacyError(f"cannot split documents by {by!r}; use 'sentence' or 'article'")
    nlp = nlp if nlp is not None else _blank()
    sentences = {(s.article_id, s.index): s for s in extraction.sentences}
    by_article: dict[str, list[Sentence]] = {}
    for s in extraction.sentences:
        by_article.setdefault(s.article_id, []).append(s)
    pieces: dict[tuple[str, int], list[Mention]] = {}
    for m in extraction.mentions:
        s = _sentence_of(m, sentences, by_article) if by == "sentence" else None
        pieces.setdefault((m.article_id, s.index if s else -1), []).append(m)
    for article in extraction.articles:
        if by == "article":
            yield _doc(nlp, article, None, pieces.get((article.id, -1), []), warn)
            continue
        for s in by_article.get(article.id, []):
            yield _doc(nlp, article, s, pieces.get((article.id, s.index), []), warn)
        for m in pieces.get((article.id, -1), []):
            _warn(warn, m, "lies in no sentence")


def _warn(warn: Warn | None, m: Mention, why: str) -> None:
    if warn is not None:
        warn(f"{m.article_id}:{m.start}-{m.end}: mention {m.text!r} {why}; left out")


def _doc(
    nlp: Language,
    article: Article,
    sentence: Sentence | None,
    mentions: Sequence[Mention],
    warn: Warn | None,
) -> Doc:
    begin, end = (sentence.start, sentence.end) if sentence else (0, len(article.text))
    doc = nlp.make_doc(article.text[begin:end])
    doc.user_data["nekg"] = {
        "article": article.id,
        "sentence": sentence.index if sentence else -1,
        "start": begin,
    }
    found: list[tuple[Span, Mention]] = []
    for m in mentions:
        span = _span(doc, m.start - begin, m.end - begin, m, "expand")
        if span is None:
            _warn(warn, m, "fits no tokens")
        else:
            found.append((span, m))
    kept = filter_spans([span for span, _ in found])
    chosen = {id(span) for span in kept}
    for span, m in found:
        if id(span) not in chosen:
            _warn(warn, m, "overlaps a longer mention")
    doc.ents = kept
    return doc


def to_docbin(docs: Iterable[Doc]) -> DocBin:
    """A ``DocBin`` of ``docs`` that keeps the entities, kb ids, rules and confidences."""
    return DocBin(docs=docs, store_user_data=True)


def write_docbin(
    extraction: Extraction,
    out: Path | str,
    nlp: Language | None = None,
    *,
    by: str = "sentence",
    warn: Warn | None = None,
) -> Path | str:
    """Write ``extraction`` as a ``.spacy`` file (atomically; ``"-"`` is standard output)."""
    if not extraction.articles:
        raise SpacyError("no article to write as spaCy documents; give .txt, .md or .jsonl files")
    docbin = to_docbin(docs_from_extraction(extraction, nlp, by=by, warn=warn))
    return write_output(out, docbin.to_bytes())


def export_articles(
    inputs: Sequence[Path],
    out: Path | str,
    aliases: Path | None = None,
    rejects: Path | None = None,
    *,
    warn: Warn | None = None,
) -> Path | str:
    """Read the articles ``inputs`` (default ``seeds/``), find and resolve their mentions as
    ``nekg build`` does, and write them as a ``.spacy`` file (``nekg export --format spacy``)."""
    from graph import pipeline

    extraction = pipeline.run(
        inputs or pipeline.DEFAULT_INPUTS, aliases=aliases, rejects=rejects, warn=warn
    )
    return write_docbin(extraction, out, warn=warn)
