"""Recognizers for entities that no table lists, built on Chinese naming structure.

Each recognizer takes a :class:`Context` (a sentence's text, its jieba tokens, the
candidates found so far) and yields
:class:`Candidate` spans (indices into the normalized sentence text):

- names ending in a type suffix (``有限公司``, ``研究院``, ``高新区``, ``局``), whose
  left edge is found by reading jieba tokens leftwards until a verb or function word;
- policy titles in 《》 and quoted names followed by ``战略``/``行动``/``体系``;
- enumerations (``中创新航、蜂巢能源、东方日升等一批链主企业``): every item takes the
  type of the head noun or of the items already recognized;
- persons after a role title (``区委书记陆秋明``, ``董事长 杨红新``) or before ``院士``;
- a company followed by a phase (``中创新航三期``) as a project;
- industries from a shipped vocabulary, and jieba ``nt``/``ns`` words as weak candidates.

One module per family of recognizers; the word lists live in ``graph/data/`` and are
read once (:mod:`graph.entities.recognizers.lexicon`).

>>> text = "引进亿晶光电、正信光电等企业"
>>> found = enumerations(Context(text, tokenize(text)))
>>> sorted((text[c.begin:c.end], c.type.value) for c in found)
[('亿晶光电', 'Company'), ('正信光电', 'Company')]
"""

from __future__ import annotations

from graph.entities.recognizers.context import company_nouns, context_companies, neighbour_companies
from graph.entities.recognizers.lexicon import (
    bodies,
    breakers,
    generic_words,
    honours,
    industries,
    roles,
    suffixes,
    surnames,
    trade_verbs,
)
from graph.entities.recognizers.lists import Enumeration, enumeration_groups, enumerations
from graph.entities.recognizers.people import persons, speakers, titles_after
from graph.entities.recognizers.places import streets, subunits
from graph.entities.recognizers.policies import (
    RANKING,
    plain_policies,
    plan_verb_after,
    quoted_names,
)
from graph.entities.recognizers.suffix import suffix_names
from graph.entities.recognizers.tokens import (
    Candidate,
    Context,
    Token,
    Tokens,
    name_start,
    token_across,
    tokenize,
    tokens_before,
    tokens_from,
)
from graph.entities.recognizers.units import (
    HOME_BODY,
    body_names,
    branches,
    faculties,
    forces,
    home_bodies,
    industries_named,
    industry_names,
    teams,
)
from graph.entities.recognizers.weak import weak_candidates
from graph.entities.recognizers.works import named_projects, phases, projects, subsidiaries

__all__ = [
    "HOME_BODY",
    "RANKING",
    "Candidate",
    "Context",
    "Enumeration",
    "Token",
    "Tokens",
    "bodies",
    "body_names",
    "branches",
    "breakers",
    "company_nouns",
    "context_companies",
    "enumeration_groups",
    "enumerations",
    "faculties",
    "forces",
    "generic_words",
    "home_bodies",
    "honours",
    "industries",
    "industries_named",
    "industry_names",
    "name_start",
    "named_projects",
    "neighbour_companies",
    "persons",
    "phases",
    "plain_policies",
    "plan_verb_after",
    "projects",
    "quoted_names",
    "roles",
    "speakers",
    "streets",
    "subsidiaries",
    "subunits",
    "suffix_names",
    "suffixes",
    "surnames",
    "teams",
    "titles_after",
    "token_across",
    "tokenize",
    "tokens_before",
    "tokens_from",
    "trade_verbs",
    "weak_candidates",
]
