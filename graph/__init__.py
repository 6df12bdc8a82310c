"""nekg: Chinese regional-industry news in, a knowledge graph with evidence out.

The package reads in data-flow order::

    articles -> normalize -> entities -> relations -> rdf -> outputs

`graph.pipeline` tells the whole story; `graph.records` holds the typed records
passed between the stages.
"""

__version__ = "0.1.0"
