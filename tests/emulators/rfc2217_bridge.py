"""RFC 2217 servers in front of the pump emulator, as people run them.

- ``Ser2net``: Debian's ser2net 4 in front of a pty, with an RFC 2217 accepter and a raw TCP
  accepter (``socket://``).
- ``PortManagerBridge``: pyserial's own RFC 2217 server (``serial.rfc2217.PortManager``) in
  front of any pyserial URL (the emulator's TCP port), one client at a time, on threads.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import serial  # pyserial, a test-only dependency
import serial.rfc2217

SER2NET = shutil.which("ser2net") or (
    "/usr/sbin/ser2net" if Path("/usr/sbin/ser2net").exists() else None
)


def ser2net_missing() -> bool:
    """Whether tests that need ser2net must be skipped: never on CI, which installs it."""
    return SER2NET is None and os.environ.get("CI") != "true"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    """Whether a socket listens on ``port``, seen in /proc: a probing connect would be a
    session to ser2net, and a raw accepter refuses the next client while it winds one down."""
    wanted = f":{port:04X} "
    with open("/proc/net/tcp") as table:
        return any(wanted in line and line.split()[3] == "0A" for line in table)  # 0A: LISTEN


def _wait_listening(port: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _listening(port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


class Ser2net:
    """One ser2net process with an RFC 2217 and a raw accepter for one device."""

    def __init__(self, device: str, baudrate: int) -> None:
        if SER2NET is None:
            raise FileNotFoundError("ser2net is not installed")
        self.device = device
        self.baudrate = baudrate
        self.rfc2217_port = free_port()
        self.raw_port = free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="ser2net-"))
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def rfc2217_url(self) -> str:
        return f"rfc2217://127.0.0.1:{self.rfc2217_port}"

    @property
    def raw_url(self) -> str:
        return f"socket://127.0.0.1:{self.raw_port}"

    def _config(self) -> str:
        line = f"serialdev,{self.device},{self.baudrate}n81,local,nobreak"
        return (
            "connection: &rfc2217\n"
            f"  accepter: telnet(rfc2217),tcp,127.0.0.1,{self.rfc2217_port}\n"
            f"  connector: {line}\n"
            "connection: &raw\n"
            f"  accepter: tcp,127.0.0.1,{self.raw_port}\n"
            f"  connector: {line}\n"
        )

    def start(self) -> None:
        config = self._dir / "ser2net.yaml"
        config.write_text(self._config())
        assert SER2NET is not None
        self._process = subprocess.Popen(
            [SER2NET, "-n", "-c", str(config), "-P", str(self._dir / "pid")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_listening(self.rfc2217_port)
        _wait_listening(self.raw_port)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)


class _LockedSender:
    """A socket two threads write to; PortManager calls ``write`` for its answers."""

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            self._connection.sendall(data)


class PortManagerBridge:
    """pyserial's RFC 2217 PortManager between a TCP listener and a pyserial port."""

    def __init__(self, target_url: str) -> None:
        self.target_url = target_url
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"rfc2217://127.0.0.1:{self.port}"

    def _accept_loop(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                self._serve(connection)

    def _serve(self, connection: socket.socket) -> None:
        port: Any = serial.serial_for_url(self.target_url, timeout=0.05)
        client = _LockedSender(connection)  # the manager's answers and the port's data
        manager = serial.rfc2217.PortManager(port, client)
        done = threading.Event()

        def pump_to_client() -> None:
            while not done.is_set():
                try:
                    data = port.read(256)
                except Exception:
                    break
                if data:
                    with contextlib.suppress(OSError):
                        client.write(b"".join(manager.escape(data)))
            done.set()

        reader = threading.Thread(target=pump_to_client, daemon=True)
        reader.start()
        connection.settimeout(0.2)
        try:
            while not done.is_set() and not self._stopping.is_set():
                try:
                    data = connection.recv(1024)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                port.write(b"".join(manager.filter(data)))
        finally:
            done.set()
            reader.join(2)
            port.close()

    def close(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(3)
