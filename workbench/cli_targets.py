"""Sub-commands of later capabilities (targets, compare) are registered here."""
from __future__ import annotations


def register(sub) -> None:  # filled in by the targets capability
    return None
