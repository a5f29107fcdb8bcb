"""A small LRU cache of finished responses, emptied by every update.

Only this server can change the store (it holds the store's write lock), so a response stays
right until the server's own next update, which bumps ``Engine.generation``. Entries from an
older generation are never served. Queries whose answer may change between two runs on the
same data (``RAND()``, ``NOW()``, ``UUID()``, ``STRUUID()``, ``BNODE()``) are not cached.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

from .engine import blank_opaque

_VOLATILE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.I)
MAX_ENTRY_BYTES = 1 << 20  # big answers are cheap to recompute relative to their size


def cacheable(text: str) -> bool:
    return not _VOLATILE.search(blank_opaque(text))


class ResponseCache:
    """``key -> (generation, content type, headers, body)``, at most ``size`` entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[int, str, dict[str, str], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, generation: int) -> tuple[str, dict[str, str], bytes] | None:
        if self.size <= 0:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self._entries.move_to_end(key)
            return entry[1:]

    def put(self, key: tuple, generation: int, content_type: str, headers: dict[str, str], body: bytes) -> None:
        if self.size <= 0 or len(body) > MAX_ENTRY_BYTES:
            return
        with self._lock:
            self._entries[key] = (generation, content_type, headers, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
