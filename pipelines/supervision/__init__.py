"""Supervision (issue 26): evidence files, review decisions and 督办 events, kept by the supervising office in
a store of its own (store.py) and read by the pipeline as a source. Pure Python: no Dagster or Dash."""
from .evidence import MAX_EVIDENCE_BYTES, EvidenceRefused, check_evidence
from .store import DECISIONS, ESCALATION_ACTIONS, TABLES, EvidenceRecord, SupervisionStore, store_for

__all__ = ["MAX_EVIDENCE_BYTES", "EvidenceRefused", "check_evidence", "DECISIONS", "ESCALATION_ACTIONS", "TABLES",
           "EvidenceRecord", "SupervisionStore", "store_for"]
