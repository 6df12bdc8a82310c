"""The nekg vocabulary as a typed namespace, plus the other namespaces the graph uses.

A term that is not declared here raises instead of minting a new IRI, and a test keeps
the list in sync with ``ontology/nekg.ttl``:

>>> NEKG.Company
rdflib.term.URIRef('https://w3id.org/nekg/ontology#Company')
>>> NEKG.Compnay
Traceback (most recent call last):
...
AttributeError: term 'Compnay' not in namespace 'https://w3id.org/nekg/ontology#'
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace


def _ontology_dir() -> Path:
    """ontology/ beside the package in a checkout, or graph/ontology when installed."""
    checkout = Path(__file__).resolve().parents[2] / "ontology"
    return (
        checkout
        if (checkout / "nekg.ttl").is_file()
        else Path(__file__).resolve().parents[1] / "ontology"
    )


ONTOLOGY_DIR = _ontology_dir()
ONTOLOGY_FILE = ONTOLOGY_DIR / "nekg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

ID = Namespace("https://w3id.org/nekg/id/")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = SDO  # https://schema.org/


class NEKG(DefinedNamespace):
    """Classes and properties of ``https://w3id.org/nekg/ontology#``."""

    _NS = Namespace("https://w3id.org/nekg/ontology#")
    _fail = True

    # Entity classes (the values of records.EntityType)
    Company: URIRef
    Place: URIRef
    Platform: URIRef
    Policy: URIRef
    Organization: URIRef
    Person: URIRef
    IndustryChain: URIRef
    Project: URIRef
    # Sources and evidence
    Article: URIRef
    Mention: URIRef

    # Relations between entities (the values of records.RelationType)
    locatedIn: URIRef
    leadsChain: URIRef
    partnersWith: URIRef
    subsidiaryOf: URIRef
    partOf: URIRef
    builtBy: URIRef
    issuedBy: URIRef
    inIndustry: URIRef
    hasRole: URIRef

    # Entity attributes
    adminCode: URIRef
    stockCode: URIRef
    # Evidence attributes of statement and mention nodes
    mentionOf: URIRef
    surface: URIRef
    evidence: URIRef
    start: URIRef
    end: URIRef
    method: URIRef
    rule: URIRef
    confidence: URIRef
    role: URIRef
    # Article attributes
    contentHash: URIRef

    # Figures: one observation node per number found (see graph.figures)
    Observation: URIRef
    figureOf: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    unitText: URIRef
    figureText: URIRef
    qualifier: URIRef
    period: URIRef
    periodText: URIRef
    periodResolution: URIRef


PREFIXES: dict[str, Namespace] = {
    "dcterms": Namespace(str(DCTERMS)),
    "nekg": Namespace(str(NEKG)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": Namespace(str(SCHEMA)),
    "skos": Namespace(str(SKOS)),
    "wd": WD,
    "xsd": Namespace(str(XSD)),
}


def terms() -> frozenset[URIRef]:
    """Every IRI declared in :class:`NEKG`.

    >>> NEKG.locatedIn in terms()
    True
    """
    return frozenset(NEKG[name] for name in NEKG.__annotations__)
