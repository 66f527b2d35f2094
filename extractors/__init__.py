"""Extractors: one module per row type. Each takes the segmented PlanDoc (and, where noted,
rows of earlier extractors) and returns typed rows (pipeline.rows) with evidence spans into
PlanDoc.text. They never re-read the file."""
