"""Text in: reading articles, normalizing and splitting them."""
