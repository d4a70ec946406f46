"""`docket demo --no-serve` and `docket serve`, run as a user runs them, in their own process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DOCKET = str(Path(sys.executable).with_name("docket"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 30.0) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_demo_loads_the_case_and_serve_shows_the_login(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    run = subprocess.run(
        [DOCKET, "--database", db, "demo", "--no-serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Case korday-2020: ")
    again = subprocess.run(
        [DOCKET, "--database", db, "demo", "--no-serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert " 0 created, 0 updated," in again.stdout

    port = _free_port()
    server = subprocess.Popen(
        [DOCKET, "--database", db, "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status, body = _get(f"http://127.0.0.1:{port}/admin/login/")
        assert status == 200 and "Log in | Docket" in body
        status, _ = _get(f"http://127.0.0.1:{port}/static/admin/css/base.css")
        assert status == 200
        status, body = _get(f"http://127.0.0.1:{port}/admin/records/person/")
        assert "Ismar Uyshirov" not in body  # an outsider lands on the login page
    finally:
        server.terminate()
        server.wait(timeout=10)
