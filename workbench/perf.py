"""Small helpers for the hot paths over whole corpora."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while millions of small lists are built.

    Building a token list per sentence creates containers and no reference cycles; the
    collector would otherwise walk every list already built, again and again (measured:
    splitting 1,000 documents' tokens into sentences took 0.20 s with it and 0.05 s without).
    Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
