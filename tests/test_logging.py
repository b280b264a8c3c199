"""What a refused request writes to the log: one line, once, even with DEBUG on (runserver);
a server error keeps its traceback."""

import os
import subprocess
import sys

from django.conf import settings

REQUESTS = """
import django
django.setup()
from django.http import HttpResponseServerError
from django.test import Client
from django.utils.log import log_response
Client().post("/", HTTP_HOST="localhost")  # anonymous, PUBLIC_READ off: 403
Client().get("/", HTTP_HOST="elsewhere.example")  # a host not allowed: 400
try:
    raise ValueError("boom")
except ValueError as error:  # as Django logs an uncaught exception
    log_response("Internal Server Error: %s", "/boom", response=HttpResponseServerError(), exception=error)
"""


def test_a_refused_request_is_one_line_with_its_reason_and_a_server_error_keeps_its_traceback(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cvetracker.settings",
        "DEBUG": "1",
        "PUBLIC_READ": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", REQUESTS], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    log = done.stderr.splitlines()
    assert log[:4] == [
        "Forbidden (Permission denied): / (Sign in to use this page.)",
        "Invalid HTTP_HOST header: 'elsewhere.example'. You may need to add 'elsewhere.example' to ALLOWED_HOSTS.",
        "Internal Server Error: /boom",
        "Traceback (most recent call last):",
    ]
    assert log[-1] == "ValueError: boom"
    assert done.stderr.count("Internal Server Error") == 1
