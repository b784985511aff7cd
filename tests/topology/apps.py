"""BorderLink's own processes in the topology test: app servers (`borderlink serve`, gunicorn)
and job workers (`borderlink worker`), each a real process started from the command line with
the environment an operator would give it; and a browser-like client (cookies, CSRF) that may
send each request to any of the servers, as a proxy in front of them would.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.topology.cluster import free_port

CLI = [sys.executable, "-m", "borderlink.cli"]


class Process:
    """A BorderLink command running in the background, its output in a file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log = logs / f"{name}.log"
        self._out = self.log.open("ab")
        self.popen = subprocess.Popen(
            [*CLI, *args], env=env, stdout=self._out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's workers go with it
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill(self) -> None:
        """SIGKILL, the whole group: no clean-up, no goodbye (a machine that lost power)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class AppServer(Process):
    def __init__(self, name: str, env: dict[str, str], logs: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__(
            name,
            ["serve", "--port", str(self.port), "--workers", "1", "--threads", "4", "--no-worker"],
            env,
            logs,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=2):
                    return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.tail()}")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One person's browser: one cookie jar (a session), requests to whichever server."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(
        self,
        server: AppServer,
        path: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        url = server.base + path
        body: bytes | None = None
        sent = {"Accept-Language": "en", **(headers or {})}
        if data is not None or files is not None:
            fields = {"csrfmiddlewaretoken": self.cookie("csrftoken") or "", **(data or {})}
            sent["Referer"] = url
            sent["X-CSRFToken"] = fields["csrfmiddlewaretoken"]
            if files:
                boundary = "----borderlink-topology"
                parts = []
                for key, value in fields.items():
                    parts.append(
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                        f"{value}\r\n".encode()
                    )
                for key, (filename, content) in files.items():
                    parts.append(
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; '
                        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                        + content
                        + b"\r\n"
                    )
                body = b"".join(parts) + f"--{boundary}--\r\n".encode()
                sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urllib.parse.urlencode(fields).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=sent)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Reply(
                    response.status,
                    {k.lower(): v for k, v in response.headers.items()},
                    response.read().decode(errors="replace"),
                )
        except urllib.error.HTTPError as error:
            return Reply(
                error.code,
                {k.lower(): v for k, v in error.headers.items()},
                error.read().decode(errors="replace"),
            )

    def log_in(self, server: AppServer, username: str, password: str) -> None:
        self.request(server, "/accounts/login/")  # the CSRF cookie
        reply = self.request(
            server, "/accounts/login/", {"username": username, "password": password}
        )
        assert reply.status == 302, f"login as {username} failed: {reply.status} {reply.body[:500]}"


def first(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not found in: {text[:2000]}"
    return found.group(1)
