"""Pure decisions with no I/O: matching, canonical URLs, classification, routing, due times."""
