"""Entities: alias table, gazetteers, recognizers, resolution, curation."""
