"""The text rules of relation extraction, one small function per construction, in one registry.

Each rule reads a :class:`~graph.relations.view.View` of one sentence — its template (entity
mentions replaced by typed slots, see :mod:`graph.relations.patterns`), its clauses and the
subject each clause inherits — and yields :class:`~graph.relations.view.Fact` tuples naming the
rule that fired. Rules favour precision: a fact needs a cue word that states it, never mere
co-occurrence of two names in a sentence. The rules live in one module per relation
(:mod:`~graph.relations.located`, :mod:`~graph.relations.leads`, …); :data:`RULES` runs them
in a fixed order, the core rules first and the business rules after them.

>>> from graph.records import EntityType as T
>>> view = View.build("金坛以中创新航、蜂巢能源为龙头，建立了完整的动力电池产业链。",
...                   [(0, 2, "place/jt", T.PLACE), (3, 7, "company/calb", T.COMPANY),
...                    (8, 12, "company/svolt", T.COMPANY), (23, 27, "chain/pb", T.INDUSTRY_CHAIN)])
>>> sorted((f.head, f.tail) for f in leads_chain(view))
[('company/calb', 'chain/pb'), ('company/svolt', 'chain/pb')]
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.relations.business import BUSINESS_RULES
from graph.relations.industry import in_industry
from graph.relations.leads import leaders_placed, leads_chain
from graph.relations.located import gathered_in, located_in
from graph.relations.own_place import home_settled
from graph.relations.parks import in_park, park_place
from graph.relations.partners import partners
from graph.relations.projects import placed_projects, projects, signed_builds
from graph.relations.roles import has_role, issued_by
from graph.relations.subsidiary import subsidiary
from graph.relations.view import Fact, Rule, View

__all__ = ["RULES", "Fact", "Rule", "View", "apply"]

# The core rules, then the business phrasings: facts keep this order until they are merged.
RULES: tuple[Rule, ...] = (
    located_in,
    gathered_in,
    in_park,
    park_place,
    home_settled,
    projects,
    signed_builds,
    placed_projects,
    leads_chain,
    leaders_placed,
    partners,
    subsidiary,
    has_role,
    issued_by,
    in_industry,
    *BUSINESS_RULES,
)


def apply(view: View) -> Iterator[Fact]:
    """Every fact every rule finds in one sentence."""
    for rule in RULES:
        yield from rule(view)
