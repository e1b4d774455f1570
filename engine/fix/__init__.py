"""Fixes: edits with a confidence label, and the applier that runs them to a fixpoint."""

from engine.fix.apply import FixResult, apply_edits, apply_fixes, select_fixes
from engine.fix.edit import Applicability, Edit, Fix

__all__ = ["Applicability", "Edit", "Fix", "FixResult", "apply_edits", "apply_fixes", "select_fixes"]
