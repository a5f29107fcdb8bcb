"""Start real servers on 127.0.0.1 for tests: ``kg serve`` and the Oxigraph server binary.

Each is a subprocess on a free port, stopped (SIGTERM, then SIGKILL) when the context exits.
"""
from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

START_TIMEOUT = 60.0


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT (no trailing slash)
    proc: subprocess.Popen

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


def oxigraph_binary() -> str | None:
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def _read_line(proc: subprocess.Popen, deadline: float) -> str:
    """The server's first line of output, or an error with what it printed."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        while time.monotonic() < deadline:
            if sel.select(timeout=0.2):
                line = proc.stdout.readline()
                if line:
                    return line
            if proc.poll() is not None:
                break
    finally:
        sel.close()
    err = proc.stderr.read() if proc.poll() is not None else ""
    raise RuntimeError(f"server did not start: {err.strip()}")


@contextlib.contextmanager
def kg_serve(store: Path | str, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``kg serve --store STORE --port 0 ARGS`` until the block ends."""
    cmd = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    try:
        line = _read_line(proc, time.monotonic() + START_TIMEOUT)
        url = line.split(" at ", 1)[1].split("/ ", 1)[0]
        yield Server(url, proc)
    finally:
        _stop(proc)


def _wait_until_answers(url: str, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph exited: {proc.stderr.read().strip()}")
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                return
        except (URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError("oxigraph server did not answer in time")


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[Server]:
    """The Oxigraph server binary (from the ``oxigraph`` PyPI package) on a free loopback port."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph binary is not installed (pip install oxigraph)")
    for _ in range(3):  # another process may grab the free port before the server binds it
        port = free_port()
        proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_answers(url, proc, time.monotonic() + START_TIMEOUT)
        except RuntimeError:
            _stop(proc)
            continue
        try:
            yield Server(url, proc)
        finally:
            _stop(proc)
        return
    raise RuntimeError("could not start the oxigraph server")
