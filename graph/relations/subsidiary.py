"""subsidiaryOf rules: a company and the company that owns it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.records import RelationType
from graph.relations import patterns as P
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- subsidiaryOf -----------------------------------------------------------------------

_AS_SUBSIDIARY = re.compile(
    f"作为{P.QUOTE}(?P<parent>{P.COMPANY}){P.QUOTE}的?{P.SUBSIDIARY_NOUN}[，,]?{P.QUOTE}(?P<child>{P.COMPANY})"
)
_IS_SUBSIDIARY = re.compile(
    f"(?P<child>{P.COMPANY}){P.QUOTE}{P.gap(4)}(?:是|为|系|作为){P.QUOTE}(?P<parent>{P.COMPANY}){P.QUOTE}的?{P.gap(4)}{P.SUBSIDIARY_NOUN}"
)
_PARENT_OF = re.compile(
    f"(?P<parent>{P.COMPANY}){P.QUOTE}(?:的?{P.SUBSIDIARY_NOUN}|旗下的?(?:{P.SUBSIDIARY_NOUN})?){P.QUOTE}(?P<child>{P.COMPANY})"
)


# A是B控股的合资公司: a joint venture B controls.
_HELD_BY = re.compile(
    f"(?P<child>{P.COMPANY}){P.QUOTE}{P.gap(4)}(?:是|为|系){P.QUOTE}(?P<parent>{P.COMPANY}){P.QUOTE}"
    "(?:全资|绝对)?控股的(?:合资|中外合资)?(?:子公司|公司|企业)"
)
# B总部位于P，旗下全资子公司A…: the parent is the subject the clause inherits.
_OWN_SUBSIDIARY = re.compile(
    f"^(?:其|并|还)?旗下(?:的|还有|拥有)?{P.SUBSIDIARY_NOUN}?{P.QUOTE}(?P<child>{P.COMPANY})"
)


def subsidiary(view: View) -> Iterator[Fact]:
    """作为B全资子公司，A; A是B的子公司; B旗下A; A是B控股的合资公司; B…，旗下子公司A."""
    for pattern in (_AS_SUBSIDIARY, _IS_SUBSIDIARY, _PARENT_OF, _HELD_BY):
        for m in pattern.finditer(view.template):
            yield from _facts(
                view.ids(m.group("child")),
                R.SUBSIDIARY_OF,
                view.ids(m.group("parent")),
                "subsidiary",
                0.95,
            )
    for i, _, own in view.effective_clauses():
        m = _OWN_SUBSIDIARY.match(own)
        if m and i > 0:
            yield from _facts(
                view.ids(m.group("child")),
                R.SUBSIDIARY_OF,
                view.ids(view.subjects[i], P.COMPANY),
                "subsidiary",
                0.9,
            )
