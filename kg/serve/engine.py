"""Query execution for the endpoint: a bounded worker pool, a per-query deadline and a row cap.

pyoxigraph releases the GIL while it evaluates and yields solutions lazily, so queries run
in parallel in worker threads. The request thread waits for its query until the deadline
and then answers 503; the worker notices the deadline at the next solution it produces and
stops. (An operator that must see everything before its first solution, such as ORDER BY
or GROUP BY over a huge join, cannot be interrupted: it finishes in the background while
holding one of the ``workers`` slots, which bounds what runaway queries can cost.)

Each query reads one consistent snapshot of the store, and each update is one
transaction, so readers see a graph as it was before or after a write, never half of it.
"""
from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..rdf.namespaces import PREFIXES
from ..store import REFRESH_MERGE

_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}
# strings, IRIs and comments, to be blanked before looking for keywords
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                     r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'" r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:-])", re.I)


class BadRequest(Exception):
    """The query or update does not parse, or asks for something the endpoint refuses (400)."""


class Timeout(Exception):
    """The query ran past its deadline (503)."""


@dataclass
class Outcome:
    """A query's result: ``kind`` is ``select``, ``ask`` or ``graph``."""
    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # SELECT: terms or None; graph: triples
    boolean: bool = False
    truncated: bool = False


def blank_opaque(text: str) -> str:
    """``text`` with its strings, IRIs and comments blanked, to look for keywords safely."""
    return _OPAQUE.sub(" ", text)


def check_no_service(text: str) -> None:
    """Refuse federated queries: SERVICE would make the server fetch URLs chosen by a client."""
    if _SERVICE.search(blank_opaque(text)):
        raise BadRequest("SERVICE (federated query) is disabled on this endpoint")


class _DaemonPool:
    """A fixed set of daemon worker threads. (ThreadPoolExecutor's threads are joined at exit,
    so one abandoned runaway query would keep a stopped server alive until it finished.)"""

    def __init__(self, workers: int) -> None:
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        for i in range(workers):
            threading.Thread(target=self._work, name=f"kg-query-{i}", daemon=True).start()

    def submit(self, fn: Callable, *args: object) -> Future:
        future: Future = Future()
        self._tasks.put((future, fn, args))
        return future

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the waiting request thread
                future.set_exception(exc)

    def shutdown(self, workers: int) -> None:
        for _ in range(workers):
            self._tasks.put(None)


class Engine:
    """Runs queries and updates on a pyoxigraph store with a deadline and a row cap."""

    def __init__(self, store: ox.Store, *, timeout: float = 10.0, max_rows: int = 10_000,
                 workers: int = 8) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.workers = workers
        self._pool = _DaemonPool(workers)
        self._update_lock = threading.Lock()
        self.generation = 0  # bumped by every update, so caches of derived pages can tell

    def query(self, text: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Outcome:
        check_no_service(text)
        deadline = time.monotonic() + self.timeout
        cancel = threading.Event()
        future = self._pool.submit(self._evaluate, text, default_graphs, named_graphs, deadline, cancel)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            cancel.set()
            raise Timeout(f"the query did not finish within the {self.timeout:g} s limit") from None

    def _evaluate(self, text: str, default_graphs: list[str] | None, named_graphs: list[str] | None,
                  deadline: float, cancel: threading.Event) -> Outcome:
        if cancel.is_set() or time.monotonic() > deadline:  # waited in the queue past its deadline
            raise Timeout("the server was too busy to start the query in time")
        options: dict = {"prefixes": _PREFIXES}
        if default_graphs or named_graphs:  # the protocol's default-graph-uri / named-graph-uri
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []] or ox.DefaultGraph()
            if named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        # otherwise the store's default graph: the merge of its named graphs (see kg.store)
        try:
            result = self.store.query(text, **options)
            if isinstance(result, ox.QueryBoolean):
                return Outcome("ask", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                out = Outcome("select", variables)
                for solution in result:
                    if self._stop(out, cancel, deadline):
                        break
                    out.rows.append([solution[v] for v in variables])
                return out
            out = Outcome("graph")
            for triple in result:
                if self._stop(out, cancel, deadline):
                    break
                out.rows.append(triple)
            return out
        except SyntaxError as exc:
            raise BadRequest(str(exc)) from None
        except ValueError as exc:  # e.g. a malformed IRI in default-graph-uri
            raise BadRequest(str(exc)) from None

    def _stop(self, out: Outcome, cancel: threading.Event, deadline: float) -> bool:
        if cancel.is_set() or time.monotonic() > deadline:
            raise Timeout(f"the query did not finish within the {self.timeout:g} s limit")
        if len(out.rows) >= self.max_rows:
            out.truncated = True
            return True
        return False

    def update(self, text: str) -> None:
        """Run a SPARQL Update and the refresh of the default graph (the merge of the named
        graphs, see :mod:`kg.store`) as one transaction; updates are serialised."""
        # a newline first ends any trailing comment; the grammar allows one trailing ';'
        sep = "\n" if blank_opaque(text).rstrip().endswith(";") else "\n;\n"
        with self._update_lock:
            try:
                self.store.update(text + sep + REFRESH_MERGE, prefixes=_PREFIXES)
            except SyntaxError as exc:
                raise BadRequest(str(exc)) from None
            self.generation += 1

    def close(self) -> None:
        self._pool.shutdown(self.workers)
