"""RDF: the vocabulary, building and reading the graph, validation, counts."""
