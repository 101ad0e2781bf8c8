"""The data layer: records and the rules across them, the bundled snapshot, the SQLite store and
the in-memory indexes over it."""
