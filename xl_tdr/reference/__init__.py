"""Reference facts: the Census partners (codes, names, ISO codes, groups) and the HS chapters."""
