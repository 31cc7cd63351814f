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

    def __reduce__(self):  # picklable, so errors can come back from worker processes
        return type(self), (self.path, self.problem)


class TableRowError(CorpusError):
    """One row of a table of documents could not be read: names the file and the row.

    Attributes
    ----------
    row : int
        The row as the user sees it: a spreadsheet's row number (the header is row 1)
        or a JSON Lines file's line number.
    unit : str
        ``"row"`` or ``"line"``, the word used in the message.
    detail : str
        The problem with the row, without the row number.

    Examples
    --------
    >>> str(TableRowError("reports.csv", 7, "empty text"))
    'reports.csv: row 7: empty text'
    """

    def __init__(self, path: str | Path | None, row: int, detail: str, *, unit: str = "row"):
        self.row, self.unit, self.detail = row, unit, detail
        super().__init__(path, f"{unit} {row}: {detail}")

    def __reduce__(self):
        return _table_row_error, (self.path, self.row, self.detail, self.unit)


def _table_row_error(path, row, detail, unit):
    return TableRowError(path, row, detail, unit=unit)
