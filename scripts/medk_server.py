"""Starting `medk serve` on a data directory for the scripts that drive a real server
(crash.py, schemathesis.py): a free port chosen by the server, its address read from its output."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request


def pdf(tag, size=0):
    """A small valid-looking PDF that differs by `tag`, padded to `size` bytes when asked."""
    head = f"%PDF-1.4\n% {tag}\n".encode()
    return head + b"%" * max(0, size - len(head) - 30) + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def call(url, method="GET", token=None, body=None, raw=None, headers=None, timeout=30):
    """One API request: a JSON body from `body` (or bytes in `raw`), the answer's JSON (bytes when it is not JSON)."""
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        payload = response.read()
        if not payload:
            return None
        return json.loads(payload) if response.headers.get("Content-Type", "").startswith("application/json") else payload


class Server:
    """`port` 0: any free one, read from the server's output; a fixed one when a balancer names it.
    A server may be killed or stopped and started again."""

    def __init__(self, binary, directory, demo=True, extra=(), port=0):
        self.binary, self.directory = binary, directory
        self.arguments = ["serve"] + (["--demo"] if demo else []) + ["--data-dir", directory, "--port", str(port)] + list(extra)
        self.process = None

    def start(self):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.process = subprocess.Popen([self.binary] + self.arguments, stdout=self.log, stderr=subprocess.STDOUT)
        started = time.time()
        while time.time() - started < 60:
            self.log.seek(0)
            found = re.search(r"http://127\.0\.0\.1:\d+", self.log.read())
            if found:
                self.url = found.group(0)
                try:
                    urllib.request.urlopen(self.url + "/health", timeout=5).read()
                    return self
                except OSError:
                    pass
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("server exited: " + self.log.read()[-2000:])
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._forget_log()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            self._forget_log()
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._forget_log()

    def _forget_log(self):
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)
