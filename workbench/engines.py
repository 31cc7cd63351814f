"""Where per-document work runs: in this process, in a pool of processes, or on a Dask cluster.

Every step that treats documents independently (loading and cleaning, segmentation,
target extraction) goes through :func:`iter_batches` (:mod:`workbench.steps`: a worker
turns each batch of documents' results into typed arrays before they cross back) or
:func:`map_documents`, so the three engines give the same results in the same order:

- ``engine=None`` or ``"local"``: one process (the reference);
- ``"processes"``: a ``ProcessPoolExecutor`` started with *spawn*, which behaves the
  same on Linux, macOS and Windows; ``workers`` processes (default: all cores);
- ``"dask"`` or a ``dask.distributed.Client``: a ``dask.bag`` over the documents,
  computed on the client's cluster (``Client("tcp://scheduler:8786")`` for a real
  one) or, with ``"dask"`` and no client, on Dask's local process scheduler.
  Needs the optional extra: ``pip install "workbench[dask]"``.

A progress bar (tqdm; a widget in notebooks) appears when a step takes more than a
second, unless ``progress=False``.

``with use("processes", workers=4):`` sets the engine of every step inside that does not
name its own (the command line's ``--engine`` works this way).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

ENGINES = ("local", "processes", "dask")


def _is_client(engine) -> bool:
    return type(engine).__name__ == "Client" and type(engine).__module__.startswith("distributed")


def check_engine(engine) -> None:
    """Raise a ValueError naming the choices when ``engine`` is not one of them."""
    if engine is None or _is_client(engine) or engine in ENGINES:
        return
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, a dask.distributed.Client or None, not {engine!r}")


@dataclass
class _Scope:
    """The engine set by :func:`use`, and the process pool it keeps for the steps inside."""

    engine: object = None
    workers: int | None = None
    pool: object = None  # a ProcessPoolExecutor, started on first use


_SCOPE: ContextVar[_Scope] = ContextVar("workbench_engine", default=_Scope())


@contextmanager
def use(engine=None, *, workers: int | None = None):
    """Run the steps inside on ``engine`` (with ``workers``) unless a call names its own engine.

    With ``"processes"``, the steps inside share one process pool, started by the first
    of them and shut down at the end of the block (each call outside a block starts its own).

    >>> import workbench as wb
    >>> with wb.engines.use("processes", workers=2):
    ...     resolve(None, None)
    ('processes', 2)
    >>> resolve(None, None)
    (None, None)
    """
    check_engine(engine)
    scope = _Scope(engine, workers)
    token = _SCOPE.set(scope)
    try:
        yield
    finally:
        _SCOPE.reset(token)
        if scope.pool is not None:
            scope.pool.shutdown()


def resolve(engine, workers: int | None) -> tuple[object, int | None]:
    """``(engine, workers)``, the defaults of :func:`use` filling in a None engine."""
    if engine is None:
        scope = _SCOPE.get()
        return scope.engine, workers if workers is not None else scope.workers
    return engine, workers


@contextmanager
def _process_pool(n: int):
    """A spawn process pool of ``n`` workers: the one of the :func:`use` block when it has that many, else a new one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    scope = _SCOPE.get()
    shared = scope.engine == "processes" and n == (scope.workers or os.cpu_count() or 1)
    if shared and scope.pool is not None:
        pool = scope.pool
    else:
        pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
        if shared:
            scope.pool = pool
    try:
        yield pool
    except GeneratorExit:  # the caller stopped reading results: the pool itself is fine
        if not shared:
            pool.shutdown(cancel_futures=True)
        raise
    except BaseException:
        if shared:  # a failed pool (a worker killed…) is not handed to the next step
            scope.pool = None
        pool.shutdown(cancel_futures=True)
        raise
    if not shared:
        pool.shutdown()


def _progress(total: int, desc: str, progress: bool | None):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="doc", delay=0 if progress else 1.0, disable=progress is False,
                leave=False)


def map_documents(func: Callable, items: Sequence, *, engine=None, workers: int | None = None,
                  progress: bool | None = None, desc: str = "documents") -> list:
    """``[func(item) for item in items]`` on the chosen engine, in the order of ``items``.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of
    one) for the process and Dask engines.
    """
    return list(iter_documents(func, items, engine=engine, workers=workers, progress=progress, desc=desc))


def runs_in_process(engine, workers: int | None, n: int) -> bool:
    """True when :func:`iter_documents` computes ``n`` items in this process (its results are then
    the very objects ``func`` returned, not copies sent back from another process).

    >>> runs_in_process(None, None, 10), runs_in_process("processes", 2, 10), runs_in_process("processes", 2, 1)
    (True, False, True)
    """
    engine, workers = resolve(engine, workers)
    return engine in (None, "local") or (engine == "processes" and (workers == 1 or n == 1))


def iter_documents(func: Callable, items: Sequence, *, engine=None, workers: int | None = None,
                   progress: bool | None = None, desc: str = "documents", threads: int = 1) -> Iterator:
    """:func:`map_documents` as an iterator, so the caller can use each result as it comes.

    With ``threads`` > 1 the local engine runs ``func`` in that many threads: worth it only
    when ``func`` releases the GIL for much of its work (rjieba's cutting does).
    """
    check_engine(engine)
    engine, workers = resolve(engine, workers)
    if not len(items):
        return
    if runs_in_process(engine, workers, len(items)):
        with _progress(len(items), desc, progress) as bar:
            if threads > 1 and len(items) > 1:
                from concurrent.futures import ThreadPoolExecutor

                # items are taken as the threads need them, and at most 4 per thread wait to be read
                # (``pool.map`` would take every item at once and keep every result until it is read)
                with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="workbench") as pool:
                    for _, results in _bounded_map(pool, partial(_apply, func), items, 1, ahead=4 * threads):
                        bar.update()
                        yield results[0]
                return
            for item in items:
                yield func(item)
                bar.update()
        return
    if engine == "processes":
        n = _workers(workers)
        with _process_pool(n) as pool, _progress(len(items), desc, progress) as bar:
            for _, results in _bounded_map(pool, partial(_apply, func), items, _pool_chunk(len(items), n),
                                           ahead=2 * n):
                for result in results:
                    bar.update()
                    yield result
        return
    yield from _map_dask(partial(_apply, func), list(items), engine, workers)


def iter_batches(func: Callable, items: Sequence, *, combine: Callable[[list], object], size: int = 64, engine=None,
                 workers: int | None = None, progress: bool | None = None, desc: str = "documents",
                 threads: int = 1) -> Iterator:
    """``combine([func(item) for item in batch])`` for consecutive batches of at most ``size`` items, in order.

    ``combine`` runs where ``func`` ran: in a worker process (or on a Dask worker), only what it
    makes of a batch (typed arrays: cheap to pickle, no Python object per row) crosses back to this
    process, not each item's result; in this process it runs here, in the thread reading the
    iterator. Batches are cut within each chunk a worker gets, so their sizes may vary; none is
    empty, and together they hold every item once, in order.

    >>> [b for b in iter_batches(str, range(5), combine="".join, size=2)]
    ['01', '23', '4']
    """
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, not {size!r}")
    check_engine(engine)
    engine, workers = resolve(engine, workers)
    if not len(items):
        return
    if runs_in_process(engine, workers, len(items)):
        batch = []
        for result in iter_documents(func, items, engine=engine, workers=workers, progress=progress, desc=desc,
                                     threads=threads):
            batch.append(result)
            if len(batch) == size:
                yield combine(batch)
                batch = []
        if batch:
            yield combine(batch)
        return
    task = partial(_apply_batches, func, combine, size)
    if engine == "processes":
        n = _workers(workers)
        with _process_pool(n) as pool, _progress(len(items), desc, progress) as bar:
            for count, combined in _bounded_map(pool, task, items, _pool_chunk(len(items), n), ahead=2 * n):
                bar.update(count)
                yield from combined
        return
    yield from _map_dask(task, list(items), engine, workers)


def _workers(workers: int | None) -> int:
    return max(1, workers or os.cpu_count() or 1)


def _pool_chunk(n_items: int, workers: int) -> int:
    """Items sent to a worker at once: about 8 chunks per worker, at most 64 (what a worker holds
    of a chunk's items and results, and this process of the chunks sent ahead, stays small: with
    625 reports a chunk, on 10,000 reports, a worker peaked at about 450 MB).

    >>> _pool_chunk(100, 2), _pool_chunk(10_000, 2)
    (6, 64)
    """
    return max(1, min(_MAX_CHUNK, n_items // (workers * 8)))


_MAX_CHUNK = 64


def _apply(func: Callable, chunk) -> list:
    """``func`` over one chunk of items (in a worker process)."""
    return [func(item) for item in chunk]


def _apply_batches(func: Callable, combine: Callable, size: int, chunk) -> list:
    """:func:`iter_batches`'s work on one chunk of items (in a worker process): the results of only one
    batch are alive at a time.

    >>> _apply_batches(str, "-".join, 2, range(5))
    ['0-1', '2-3', '4']
    """
    chunk = list(chunk)
    return [combine([func(item) for item in chunk[i:i + size]]) for i in range(0, len(chunk), size)]


def _bounded_map(pool, task: Callable[[list], list], items: Sequence, chunk: int, *,
                 ahead: int) -> Iterator[tuple[int, list]]:
    """``(len(batch), task(batch))`` for consecutive batches of ``chunk`` items, computed in ``pool``, in
    order, with at most ``ahead`` batches submitted and not yet read: the items are taken (and pickled)
    as the workers need them and the results do not pile up in this process."""
    from collections import deque
    from itertools import islice

    pending: deque = deque()
    source = iter(items)
    try:
        while True:
            batch = list(islice(source, chunk))
            if batch:
                pending.append((len(batch), pool.submit(task, batch)))
                del batch
                if len(pending) < ahead:
                    continue
            if not pending:
                return
            count, future = pending.popleft()
            yield count, future.result()
    finally:
        for _, future in pending:
            future.cancel()


def _map_dask(task: Callable[[list], list], items: list, engine, workers: int | None) -> list:
    """``task`` over partitions of ``items`` on Dask, its lists joined in order."""
    try:
        import dask.bag as db
    except ImportError as exc:
        raise ImportError('engine="dask" needs Dask: pip install "workbench[dask]" '
                          '(dask[bag] and distributed)') from exc
    partitions = max(1, min(len(items), (workers or os.cpu_count() or 1) * 4))
    bag = db.from_sequence(items, npartitions=partitions).map_partitions(task)
    if _is_client(engine):
        return list(engine.compute(bag).result())
    return list(bag.compute(scheduler="processes", num_workers=workers))
