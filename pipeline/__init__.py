"""vnplan: Vietnamese administrative plans into a clean, queryable dataset.

Data flow: readers (file -> Blocks) -> assemble (normalized PlanText) -> segment (outline,
sections) -> extractors (rows with evidence spans) -> resolvers -> writers (tables).
"""
