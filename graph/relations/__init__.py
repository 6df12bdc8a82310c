"""Relations: the sentence templates and the rules that read facts from them."""
