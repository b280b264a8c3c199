"""Shared fixtures: the documents' data and one user per role of the brief."""

import email
import email.policy
import ipaddress
import secrets
import socket
import time

import pytest
import redis
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from events.models import Actor
from recommendations import permissions
from tests.documents import load_documents
from tests.prerequisites import unavailable


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """A request leaves its language active in the thread (LocaleMiddleware activates, never resets)."""
    translation.activate("en")
    yield
    translation.activate("en")


PASSWORD = "a-test-password-1"
# The tests' own database in the local Redis (.ci/run starts it); each test keys under a release of its own.
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def pytest_configure(config):
    from django.conf import settings

    # A deliberately fast hasher: tests create many users and log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Webhook receivers in the tests listen on loopback, which production refuses (webhooks/addresses.py).
    settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]
    # Login lockout and API rate limits are off for the suite, which logs in and calls the API
    # often (and Client.login passes django-axes no request); tests/test_throttling.py turns them on.
    settings.AXES_ENABLED = False
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": None,
            "user": None,
            "sign_in": None,
            "password_reset_address": None,
            "password_reset_client": None,
            "invitations_coordinator": None,
            "invitations_address": None,
        },
    }
    from rest_framework.settings import api_settings

    api_settings.reload()  # DRF may have read its settings already, as the apps were loaded


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: LocaleMiddleware leaves a request's language active
    in the thread after the answer, which carried one test's Kazakh into the next test's figures."""
    translation.deactivate()


@pytest.fixture
def source_texts():
    """The folder of the documents' texts (settings.SOURCE_TEXTS_DIR), if it is there."""
    from django.conf import settings

    folder = settings.SOURCE_TEXTS_DIR
    if not folder.is_dir():
        unavailable(f"no source texts at {folder}: set SOURCE_TEXTS_DIR to the folder holding them")
    return folder


@pytest.fixture
def documents(db):
    """The documents' fixture, as `make demo` loads it (tests/documents.py)."""
    load_documents()


def _user(username, group=None, countries=(), **flags):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if countries:
        user.reporting_actors.set(Actor.objects.filter(iso_code__in=countries))
    return user


@pytest.fixture
def coordinator(documents):
    return _user("coordinator", permissions.COORDINATORS, is_staff=True)


@pytest.fixture
def focal_kz(documents):
    return _user("focal-kz", permissions.FOCAL_POINTS, ["KZ"])


@pytest.fixture
def focal_kg(documents):
    return _user("focal-kg", permissions.FOCAL_POINTS, ["KG"])


@pytest.fixture
def viewer(documents):
    return _user("viewer", permissions.VIEWERS)


@pytest.fixture
def superuser(documents):
    return _user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def evidence_storage(tmp_path, settings):
    """The evidence files' storage in a folder of the test's own (recommendations/evidence.py): its path."""
    folder = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


@pytest.fixture
def api(db):
    """api() is an anonymous REST client; api(user) is one signed in as `user` (a session, as in a browser)."""
    from rest_framework.test import APIClient

    def client(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client


@pytest.fixture(scope="module")
def redis_release():
    """A release name no other test run uses, for settings pointed at REDIS_TEST_URL: every cache key
    starts with it, and what was stored under it is deleted afterwards (runs beside it keep theirs)."""
    server = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        unavailable("no Redis at 127.0.0.1:6379: start one (redis-server --daemonize yes --port 6379, as .ci/run does)")
    release = f"test-{secrets.token_hex(6)}"
    yield release
    forget(release)
    server.close()


def forget(release):
    """Delete what caches configured with RELEASE=`release` stored in REDIS_TEST_URL."""
    with redis.Redis.from_url(REDIS_TEST_URL) as server:
        for key in server.scan_iter(f"{release}*"):
            server.delete(key)


class MailBox:
    """What a real SMTP server (aiosmtpd, on 127.0.0.1) received: each message parsed, with its envelope."""

    def __init__(self):
        self.messages = []
        self.delay = 0  # seconds the server takes before accepting a message
        self.refused = set()  # addresses the server refuses, as it would an unknown mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - the name aiosmtpd calls
        time.sleep(self.delay)  # blocks the server's own loop only, as a slow server would
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "from": envelope.mail_from, "message": message})
        return "250 Message accepted"

    def wait_for(self, count, timeout=10):
        """The messages once `count` have arrived (mails may be sent on a thread of their own)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server for the test, and Django's SMTP backend pointed at it."""
    box = MailBox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield box
    controller.stop()
