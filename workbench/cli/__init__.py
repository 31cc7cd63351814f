"""The ``workbench`` command line: one sub-command per capability.

One module per group of commands (:mod:`.corpus`, :mod:`.keywords`, :mod:`.topics`,
:mod:`.targets`, :mod:`.compare`), each with a ``register(sub)`` that adds its
sub-parsers; the arguments they share are in :mod:`.common`.
"""
from __future__ import annotations

import argparse
import errno
import logging
import sys

from ..errors import CorpusError
from ..output import OutputError
from . import compare, corpus, keywords, overtime, reuse, targets, topics
from .common import Parser, UserError, scale

log = logging.getLogger("workbench")

GROUPS = (corpus, keywords, topics, targets, compare, overtime, reuse)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="workbench",
        description="Read and compare Chinese regional development plans with data.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is being done")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; expected errors end as one line ``workbench: error: <path>: <problem>``, exit 2.

    Expected are: bad input (:class:`~workbench.errors.CorpusError`), options the library
    refuses (``ValueError``), an existing output without ``--force``, an output that cannot
    be written (:class:`~workbench.output.OutputError`, any ``OSError`` naming a file), an
    unreachable scheduler and a missing optional extra. Anything else is a bug and keeps
    its traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="workbench: %(message)s")
    try:
        with scale(args):
            return args.func(args)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except (ImportError, CorpusError, UserError, ValueError, FileExistsError) as exc:
        return _error(str(exc))
    except OSError as exc:
        if exc.filename is None and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _error(f"standard output: {exc.strerror}")  # workbench corpus > /dev/full
        if exc.filename is None:
            raise  # not about a file the user named: a bug or a failing system, keep the traceback
        return _error(str(exc) if isinstance(exc, OutputError) else f"{exc.filename}: {exc.strerror or exc}")


def _error(message: str) -> int:
    print(f"workbench: error: {message}", file=sys.stderr)
    return 2
