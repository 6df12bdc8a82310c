"""Querying a graph: SPARQL through pyoxigraph, named queries, result formats."""
