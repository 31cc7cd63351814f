"""Where the package's data lives: shipped lexicons, the bundled corpus, the user cache."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Path of a file shipped in ``workbench/data/`` (dictionaries, stopwords, lexicons)."""
    path = Path(str(resources.files("workbench").joinpath("data", name)))
    if not path.exists():
        raise FileNotFoundError(f"workbench ships no data file named {name!r} (looked in {path.parent})")
    return path


def dataset_path(name: str) -> Path:
    """Path of a shipped sample dataset, ``workbench/data/<name>/reports.jsonl``.

    Parameters
    ----------
    name : str
        A dataset shipped with the package: a folder under ``workbench/data/`` holding a
        ``reports.jsonl`` (JSON Lines: ``title, url, content, year``).

    Raises
    ------
    ValueError
        If no dataset of that name is shipped; the message lists the ones that are.

    Examples
    --------
    >>> dataset_path("national").name
    'reports.jsonl'
    """
    data = Path(str(resources.files("workbench").joinpath("data")))
    known = sorted(p.parent.name for p in data.glob("*/reports.jsonl"))
    if name not in known:
        raise ValueError(f"unknown dataset {name!r}: workbench ships {', '.join(map(repr, known)) or 'none'}")
    return data / name / "reports.jsonl"


def bundled_corpus_dir() -> Path:
    """Folder of the bundled seed corpus.

    In an installed wheel the seeds are package data (``workbench/seeds``); in a
    source checkout (editable install) they are the top-level ``seeds/`` folder.
    """
    packaged = Path(str(resources.files("workbench").joinpath("seeds")))
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent / "seeds"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the bundled corpus is missing: neither workbench/seeds nor ./seeds exists")


def notebooks_dir() -> Path | None:
    """The curated notebooks: ``notebooks/`` of a checkout, or the copy shipped in the wheel."""
    for candidate in (_PACKAGE_DIR.parent / "notebooks", _PACKAGE_DIR / "notebooks"):
        if candidate.is_dir():
            return candidate
    return None


def cache_dir() -> Path:
    """The user cache directory (``$WORKBENCH_CACHE_DIR`` or the platform's user cache dir)."""
    override = os.environ.get("WORKBENCH_CACHE_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("workbench", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
