"""Two app servers behind one load balancer share everything that must be shared (docs/operations.md).

Two gunicorn instances, two workers each, on two loopback ports, serve the pytest test database
(its data committed for real, so they see it) through the connection pool (DB_POOL) and share one
Redis (REDIS_URL, under a release of this test's own): a write through one is read through the
other at once, failed sign-ins spread over both lock out at the configured count, and an anonymous
client spread over both meets the configured rate limit. Without REDIS_URL (counters in each
process) the last would allow up to four times the rate; the lockout counts in the database either way.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.conftest import PASSWORD, REDIS_TEST_URL, forget
from tests.factories import assignment
from tests.helpers import postgresql_only

pytestmark = [
    postgresql_only("the servers share the test database, which on SQLite lives in this process's memory"),
    # Real commits, so the servers see the data; the roles' groups (migration data) are restored afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # One worker runs the whole module under pytest-xdist, so the servers start once.
    pytest.mark.xdist_group("several_servers"),
]

HOST = "127.0.0.1"
FAILURE_LIMIT = 3
ANON_RATE = 10  # per minute
STARTUP_SECONDS = 30


def _production_env(**extra):
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",  # plain http on the loopback
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files collected once, as a deployment does (DEBUG=0 serves them from the manifest)."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=_production_env(STATIC_ROOT=str(root)),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


def _free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, token=None, address=None):
        """(status, parsed JSON or text) of one request; `address` is the client's, as a proxy reports it."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Token {token}"
        if address:
            headers["X-Forwarded-For"] = address
        client = http.client.HTTPConnection(HOST, self.port, timeout=20)
        try:
            client.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = client.getresponse()
            text = response.read().decode()
        finally:
            client.close()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return response.status, json.loads(text) if is_json else text


@pytest.fixture(scope="module")
def servers(django_db_setup, static_root, redis_release, tmp_path_factory):
    """Two gunicorn instances sharing the test database and one Redis, ready once /healthz answers;
    started once for the tests below, which leave the database as they found it (serialized_rollback)."""
    env = _production_env(
        DATABASE_URL=_database_url(),
        DB_POOL="on",
        DB_POOL_MIN_SIZE="1",
        DB_POOL_MAX_SIZE="2",
        REDIS_URL=REDIS_TEST_URL,
        RELEASE=redis_release,
        STATIC_ROOT=str(static_root),
        TRUSTED_PROXY_COUNT="1",  # the tests tell their clients apart by X-Forwarded-For
        LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
        API_THROTTLE_ANON=f"{ANON_RATE}/minute",
        API_THROTTLE_USER="1000/minute",
        API_THROTTLE_SIGN_IN="20/minute",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    ports, processes, logs = [_free_port(), _free_port()], [], tmp_path_factory.mktemp("gunicorn")
    try:
        for port in ports:
            log = open(logs / f"{port}.log", "w")  # noqa: SIM115 - the child writes to it until killed
            command = [gunicorn, "cvetracker.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2", "--timeout", "30"]
            command += ["--no-control-socket"]  # else both would take the default path
            processes.append(subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log))
        pair = [Server(port) for port in ports]
        for server, process in zip(pair, processes, strict=True):
            _wait_until_ready(server, process, logs / f"{server.port}.log")
        yield pair
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; TERM waits for the workers
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(autouse=True)
def _fresh_shared_cache(redis_release):
    """No answer cached for one test's data is served in the next (its records are gone)."""
    yield
    forget(redis_release)


def _wait_until_ready(server, process, log):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on port {server.port} exited: {log.read_text()[-2000:]}")
        try:
            if server.request("GET", "/healthz")[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn on port {server.port} did not answer /healthz in {STARTUP_SECONDS} s")


@pytest.fixture
def focal_point(focal_kz):
    """focal-kz, with a password the servers' own hasher reads (the suite's fast MD5 is not among theirs)."""
    focal_kz.password = PBKDF2PasswordHasher().encode(PASSWORD, "salt" + secrets.token_hex(8), iterations=1000)
    focal_kz.save(update_fields=["password"])
    return focal_kz


def test_a_write_through_one_server_is_read_through_the_other_at_once(servers, coordinator, focal_point):
    one, other = servers
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    status, body = one.request("POST", "/api/auth/token/", {"username": "focal-kz", "password": PASSWORD})
    assert status == 200, body
    token = body["token"]
    reads = [f"/api/status-updates/?assignment={target.pk}", f"/api/assignments/{target.pk}/"]
    page = f"/assignments/{target.pk}/"
    for _ in range(2):  # the second read of each is the other server's cached answer, if it caches
        before = [other.request("GET", path, token=token) for path in reads]
        page_before = other.request("GET", page)
    assert [status for status, _ in before] == [200, 200] and page_before[0] == 200
    assert before[0][1]["count"] == 0 and before[1][1]["last_update"] is None

    note = f"Working group set up ({secrets.token_hex(4)})."
    status, created = one.request(
        "POST",
        "/api/status-updates/",
        {"assignment": target.pk, "status": "in_progress", "date": "2016-03-01", "note": note},
        token=token,
    )
    assert status == 201, created

    (_, listed), (_, shown) = (other.request("GET", path, token=token) for path in reads)
    detail = other.request("GET", f"/api/status-updates/{created['id']}/", token=token)
    page_after = other.request("GET", page)
    assert [update["id"] for update in listed["results"]] == [created["id"]]
    assert (shown["status"], shown["last_update"]["id"]) == ("in_progress", created["id"])
    assert detail == (200, {**detail[1], "note": note})
    assert page_after[0] == 200 and note in page_after[1]


def test_failed_sign_ins_spread_over_both_servers_lock_out_at_the_configured_count(servers, focal_point):
    address = "198.51.100.7"

    def sign_in(server, password):
        credentials = {"username": "focal-kz", "password": password}
        return server.request("POST", "/api/auth/token/", credentials, address=address)

    failures = [sign_in(servers[n % 2], "wrong") for n in range(FAILURE_LIMIT)]
    right_password = [sign_in(server, PASSWORD) for server in servers]

    assert [status for status, _ in failures] == [400] * (FAILURE_LIMIT - 1) + [429]
    assert failures[-1][1]["code"] == "locked_out"
    assert [status for status, _ in right_password] == [429, 429]
    # The same password from another address signs in: the lockout holds the pair, not the account.
    assert servers[0].request("POST", "/api/auth/token/", {"username": "focal-kz", "password": PASSWORD})[0] == 200


def test_an_anonymous_client_spread_over_both_servers_meets_the_configured_rate(servers, documents):
    address = "198.51.100.9"

    answers = [servers[n % 2].request("GET", "/api/events/", address=address) for n in range(2 * ANON_RATE)]

    assert [status for status, _ in answers] == [200] * ANON_RATE + [429] * ANON_RATE
    assert answers[-1][1]["code"] == "throttled"
    assert servers[1].request("GET", "/api/events/", address="198.51.100.10")[0] == 200  # another client


def test_the_servers_keep_their_database_connections_in_the_pool(servers, documents):
    for server in servers:
        assert server.request("GET", "/events/")[0] == 200

    with connection.cursor() as cursor:
        others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        cursor.execute(others)
        held = cursor.fetchone()[0]

    # Without the pool each request would close its connection (DB_CONN_MAX_AGE is 0 with DB_POOL on);
    # with it, each worker keeps between DB_POOL_MIN_SIZE (1) and DB_POOL_MAX_SIZE (2) open.
    assert 2 <= held <= 2 * 2 * 2
