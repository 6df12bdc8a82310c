"""Outputs drawn or exported from a graph: HTML page, GraphML, GEXF, CSV, ..."""
