"""Small helpers for the hot paths over whole corpora."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while millions of small lists are built.

    Building a token list per sentence creates containers and no reference cycles; the
    collector would otherwise walk the lists already built, again and again. Measured in a
    micro-benchmark that kept every intermediate list alive: splitting 1,000 documents'
    tokens into sentences took 0.20 s with the collector on and 0.05 s with it paused; in
    ``segment_corpus`` on 200 documents, which keeps far fewer objects alive, the two were
    equal (0.107 and 0.109 s). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
