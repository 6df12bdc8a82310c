"""The namespace IRIs of the graph, as plain strings: the one place they are spelled.

:mod:`graph.rdf.vocab` makes rdflib namespaces of them; modules that do not load rdflib
(querying through pyoxigraph, reading a graph back for evaluation) use these strings.

>>> NEKG + "Company"
'https://w3id.org/nekg/ontology#Company'
>>> QUERY_PREFIXES["skos"] == IRIS["skos"]
True
"""

from __future__ import annotations

NEKG = "https://w3id.org/nekg/ontology#"
ID = "https://w3id.org/nekg/id/"
WD = "http://www.wikidata.org/entity/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"

# Every prefix the graph's Turtle declares, by name.
IRIS: dict[str, str] = {
    "dcterms": DCTERMS,
    "id": ID,
    "nekg": NEKG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "wd": WD,
    "xsd": XSD,
}

# The prefixes a query may use without declaring them, in the order results list them.
QUERY_PREFIXES: dict[str, str] = {
    name: IRIS[name]
    for name in ("nekg", "id", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "schema")
}
