"""Audit checks (placeholder; the audit owner replaces it)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .rows import AuditRow

if TYPE_CHECKING:
    from .run import DocResult


def run_audit(result: DocResult, rules: dict | None = None) -> list[AuditRow]:
    """One AuditRow per check for this document (rules from pipeline/data/audit_rules.toml)."""
    return []
