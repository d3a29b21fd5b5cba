"""Shared pieces of the fault and load scripts: a throw-away PostgreSQL database, a seeded site, and
gunicorn on loopback in production settings, started and always stopped by the script itself."""

import contextlib
import html
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
DATABASE = os.environ.get("BENCH_DATABASE", "newsroom_bench_hardening")
DATABASE_URL = f"postgres://postgres@{HOST}:5432/{DATABASE}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", f"redis://{HOST}:6379/7")
EDITOR = ("bench-editor", "bench-editor-password-" + "x" * 8)
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else ""
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_env(port, **extra):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_ACCESSLOG": "/dev/null",
        "DJANGO_LOG_LEVEL": "ERROR",
        "NEWSROOM_BENCH": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600)


def prepare_database(env, *, stories=200):
    created = subprocess.run(
        ["createdb", "-h", HOST, "-U", "postgres", DATABASE], capture_output=True, text=True
    )
    if created.returncode and "already exists" not in created.stderr:
        raise RuntimeError(created.stderr.strip())
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "seed.py"), str(stories)], cwd=ROOT, env=env, check=True
    )


@contextlib.contextmanager
def gunicorn(env, *, log_name):
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / f"{log_name}.log", "w") as output:
        master = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if get(port, "/healthz")[0] == 200:
                    break
                time.sleep(0.5)
            else:
                raise RuntimeError(f"gunicorn did not become healthy; see {output.name}")
            yield master
        finally:
            master.send_signal(signal.SIGTERM)
            try:
                master.wait(timeout=40)
            except subprocess.TimeoutExpired:
                master.kill()
                master.wait()


def worker_pids(master):
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []


def get(port, path, *, timeout=10, headers=None):
    """(status, body, seconds); status is an error name when no answer came back."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read(), time.monotonic() - started
    except (OSError, http.client.HTTPException) as exc:
        return type(exc).__name__, b"", time.monotonic() - started
    finally:
        connection.close()


def reader_paths():
    """A mix of reader pages, written by bench/seed.py from the seeded site's own links."""
    return json.loads((RESULTS / "paths.json").read_text())


class Editor:
    """A desk editor saving stories through the admin over HTTP, as a browser would."""

    def __init__(self, port):
        self.port = port
        self.cookies = SimpleCookie()
        self.origin = f"https://{HOST}:{port}"

    def _request(self, method, path, data=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items()),
            "Origin": self.origin,
            "Referer": self.origin + path,
        }
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.read().decode(), response.getheader("Location")
        finally:
            connection.close()

    def csrf(self):
        return self.cookies["csrftoken"].value

    def login(self):
        self._request("GET", "/admin/login/")
        status, _, _ = self._request(
            "POST",
            "/admin/login/",
            {"username": EDITOR[0], "password": EDITOR[1], "next": "/admin/",
             "csrfmiddlewaretoken": self.csrf()},
        )  # fmt: skip
        if status != 302:
            raise RuntimeError(f"editor login answered {status}")

    def _post(self, path, data):
        try:
            status, _, location = self._request("POST", path, data)
        except (OSError, http.client.HTTPException) as exc:
            return type(exc).__name__, None
        return status, location

    def create(self, fields, *, section, author):
        """Add a story with one byline and press Publish, as the add form's buttons would."""
        data = {"csrfmiddlewaretoken": self.csrf(), "section": section, "_publish": "1", **fields}
        data.update(_management("bylines", 0, 1))
        data.update(
            {"bylines-0-author": author, "bylines-0-role": "reporter", "bylines-0-position": 0}
        )
        data.update(_management("corrections", 0, 0))
        data.update(_management("teasers", 0, 0))
        return self._post("/admin/articles/article/add/", data)

    def update(self, path, fields):
        """Open the change form, then save a silent fix on top of the version it showed."""
        try:
            status, page, _ = self._request("GET", path)
        except (OSError, http.client.HTTPException) as exc:
            return type(exc).__name__, None
        if status != 200:
            return status, None
        data = {"csrfmiddlewaretoken": self.csrf(), **_form_values(page), **fields}
        data.update({"change_kind": "silent", "_continue": "1"})
        return self._post(path, data)


def _management(prefix, initial, total):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


_INPUT = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
_SELECT = re.compile(r'<select\b[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', re.DOTALL)
_SELECTED = re.compile(r'<option value="([^"]*)"[^>]*\bselected')
_TEXTAREA = re.compile(r'<textarea\b[^>]*\sname="([^"]+)"[^>]*>(.*?)</textarea>', re.DOTALL)


def _form_values(page):
    """What a browser would send back for the change form's inputs and selects, left as shown."""
    values = {}
    for tag in _INPUT.findall(page):
        attrs = dict(_ATTRIBUTE.findall(tag))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind in {"submit", "file", "button", "radio"}:
            continue
        if kind == "checkbox":
            if "checked" in tag:
                values[attrs["name"]] = attrs.get("value", "on")
            continue
        values[attrs["name"]] = html.unescape(attrs.get("value", ""))
    for name, options in _SELECT.findall(page):
        chosen = _SELECTED.search(options)
        values[name] = html.unescape(chosen.group(1)) if chosen else ""
    for name, text in _TEXTAREA.findall(page):
        # A browser drops the one newline that may follow the opening tag.
        values[name] = html.unescape(text.removeprefix("\n"))
    return values


def pg_ctl(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", action],
        check=True,
        timeout=60,
    )


def wait_for(check, *, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit("Run bench/faults.py or bench/load.py.")
