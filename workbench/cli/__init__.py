"""The ``workbench`` command line: one sub-command per capability.

One module per group of commands (:mod:`.corpus`, :mod:`.keywords`, :mod:`.topics`,
:mod:`.targets`, :mod:`.compare`), each with a ``register(sub)`` that adds its
sub-parsers; the arguments they share are in :mod:`.common`.
"""
from __future__ import annotations

import argparse
import logging
import sys

from ..errors import CorpusError
from . import compare, corpus, keywords, overtime, targets, topics
from .common import scale

log = logging.getLogger("workbench")

GROUPS = (corpus, keywords, topics, targets, compare, overtime)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Read and compare Chinese regional development plans with data.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is being done")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="workbench: %(message)s")
    try:
        with scale(args):
            return args.func(args)
    except ImportError as exc:  # an optional extra the options ask for
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except (CorpusError, KeyError, ValueError, FileExistsError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"workbench: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
