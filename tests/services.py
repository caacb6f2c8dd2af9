"""Throwaway PostgreSQL, Redis and Celery worker processes for the test suite.

Each server gets its own temporary folder and a free port on 127.0.0.1 and is
stopped by PID when the session ends, so the suite never touches a database or
Redis that already runs on the machine.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    """Skip locally; in CI a missing service is an error, not a skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required services must be present)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


def _postgres_bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class PostgresServer:
    """initdb into a temp dir and run postgres on its own port (as `postgres` when root)."""

    def __init__(self):
        self.bin_dir = _postgres_bin_dir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="lob-pg-"))
        self.data = self.root / "data"
        self.pid: int | None = None

    @property
    def available(self) -> bool:
        return self.bin_dir is not None

    def _run_as_owner(self, args: list[str], **kwargs):
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres", group="postgres")
            os.chmod(self.root, 0o700)
        self._run_as_owner(
            [
                str(self.bin_dir / "initdb"),
                "-D", str(self.data),
                "-U", "postgres",
                "-A", "trust",
                "-E", "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run_as_owner(
            [
                str(self.bin_dir / "pg_ctl"),
                "-D", str(self.data),
                "-o", options,
                "-l", str(self.root / "postgres.log"),
                "-w",
                "-t", "60",
                "start",
            ]
        )
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def database_settings(self) -> dict:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "lobtraject",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.pid:
            _terminate(self.pid, signal.SIGQUIT)  # immediate: the data is thrown away
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def available(self) -> bool:
        return self.binary is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        _stop_child(self.process, signal.SIGTERM)

    def restart(self) -> None:
        """Stop and start on the same port (for resilience tests)."""
        self.stop()
        self.start()


class CeleryWorker:
    """A real `celery worker` process for the project, pointed at the test database."""

    def __init__(self, *, broker_url: str, database_url: str, extra_env: dict | None = None):
        self.broker_url = broker_url
        self.database_url = database_url
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="lob-celery-", suffix=".log")[1])

    def start(self, app) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lobtraject.settings",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            "AXES_ENABLED": "0",
            **self.extra_env,
        }
        log = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "lobtraject", "worker",
                "--pool", "solo", "--loglevel", "INFO", "--without-gossip",
                "--without-mingle", "--hostname", f"test-{os.getpid()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited early:\n{self.log()}")
            if app.control.ping(timeout=0.5):
                return
        raise TimeoutError(f"celery worker did not answer a ping:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @contextlib.contextmanager
    def paused(self):
        """Hold the worker (SIGSTOP) so that a task sent meanwhile waits in the queue, and let
        it go on afterwards (SIGCONT): a page can then be seen while its task is queued."""
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        # Cold shutdown: tasks are acks_late, so an unfinished one would be redelivered.
        _stop_child(self.process, signal.SIGQUIT)
        self.log_path.unlink(missing_ok=True)


class S3Server:
    """moto's S3 in server mode (ThreadedMotoServer) on a free port: a real S3-protocol
    endpoint over HTTP for django-storages and boto3, in a thread of this process."""

    region = "eu-central-1"
    access_key = "lob-test-key"
    secret_key = "lob-test-secret"

    def __init__(self):
        try:
            from moto.server import ThreadedMotoServer
        except ImportError:
            self._server_class = None
        else:
            self._server_class = ThreadedMotoServer
        self.port = free_port()
        self.server = None

    @property
    def available(self) -> bool:
        return self._server_class is not None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = self._server_class(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        wait_for_port(self.port)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def environ(self, bucket: str) -> dict[str, str]:
        """The variables a deployment sets for FILE_STORAGE=s3 (README), for this server."""
        return {
            "FILE_STORAGE": "s3",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": self.region,
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
        }

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def _stop_child(process: subprocess.Popen | None, sig: int) -> None:
    """Signal a child we started and reap it (a zombie would still answer kill 0)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _terminate(pid: int, sig: int) -> None:
    """Signal a process that is not our child (the postmaster) and wait for it to go."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
