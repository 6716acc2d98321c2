"""Local outside world for delivery tests: an SMTP server (aiosmtpd) and a robot webhook server, both
on 127.0.0.1 random ports in in-process threads, each failing its first N deliveries."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from office.org.models import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in-process: nothing reaches a broker from these tests."""
    from office.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def person(db):
    return make_user(Role.STAFF, user__email="zhang@example.gov.cn")


@pytest.fixture
def other_person(db):
    return make_user(Role.STAFF, user__email="li@example.gov.cn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FlakySMTPHandler:
    """Answers 451 (try again later) to the first ``fail_first`` messages, then accepts."""

    def __init__(self):
        self.fail_first = 0
        self.attempts = 0
        self.accepted: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            if self.attempts <= self.fail_first:
                return "451 4.3.0 temporary failure, try again later"
            self.accepted.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    handler = FlakySMTPHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


class RobotServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RobotHandler)
        self.fail_first = 0
        self.fail_with = "http500"  # or "errcode": HTTP 200 with a non-zero errcode, as the robots do
        self.attempts = 0
        self.accepted: list[dict] = []
        self.paths: list[str] = []
        self.lock = threading.Lock()
        self.hold: threading.Event | None = None  # when set, the first request waits for it
        self.entered = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/cgi-bin/webhook/send?key=k"


class RobotHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        server: RobotServer = self.server
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
        with server.lock:
            server.attempts += 1
            failing = server.attempts <= server.fail_first
            if not failing:
                server.accepted.append(payload)
                server.paths.append(self.path)
        server.entered.set()
        if server.hold is not None:
            server.hold.wait(timeout=10)
        if failing and server.fail_with == "http500":
            body, status = b'{"errcode": -1, "errmsg": "system busy"}', 500
        elif failing:
            body, status = b'{"errcode": 45009, "errmsg": "api freq out of limit"}', 200
        else:
            body, status = b'{"errcode": 0, "errmsg": "ok"}', 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def robot_server(settings):
    server = RobotServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OFFICE_NOTIFY_WEBHOOK_HOSTS = ["127.0.0.1"]
    yield server
    if server.hold is not None:
        server.hold.set()
    server.shutdown()
    server.server_close()
