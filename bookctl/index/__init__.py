"""The vector index: one interface, an embedded engine and a Qdrant server behind it."""
