"""Errors raised on bad input: each names the file and the problem."""
from __future__ import annotations

from pathlib import Path


class CorpusError(ValueError):
    """A file or folder could not be read as part of a corpus.

    Attributes
    ----------
    path : pathlib.Path or None
        The file (or folder, or manifest) at fault.
    problem : str
        What is wrong with it, in words a user can act on.
    """

    def __init__(self, path: str | Path | None, problem: str):
        self.path = Path(path) if path is not None else None
        self.problem = problem
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{problem}")
