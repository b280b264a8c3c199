"""Helpers several test modules share: the PostgreSQL-only marker, the query counter and its baselines."""

import fcntl
import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def postgresql_only(reason):
    """Skip on SQLite; `reason` says what PostgreSQL has that SQLite lacks."""
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=reason)


def count_queries(client, url, method="get", warm_up=False, **extra):
    """The number of queries one request costs, a streamed answer read to its end.

    `warm_up` sends the request once first, so per-process caches (content types, permissions)
    are filled and, on PostgreSQL, the counted request is the one served from the read cache."""
    send = getattr(client, method)
    if warm_up:
        send(url, **extra)
    with CaptureQueriesContext(connection) as captured:
        response = send(url, **extra)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code in (200, 201), (url, response.status_code)
    return len(captured)


QUERY_COUNTS = Path(__file__).with_name("query_counts.json")


def expected_query_counts(test, case, measured):
    """Check `measured` ({request: queries}) against tests/query_counts.json, per database vendor.

    QUERY_COUNTS=update writes the measured counts there instead: a change that costs a query more
    or less shows in that file's diff, and docs/pages.md quotes the pages' counts from it."""
    if os.environ.get("QUERY_COUNTS") == "update":
        with QUERY_COUNTS.open("r+") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # pytest-xdist's workers update the file side by side
            counts = json.load(file)
            counts.setdefault(test, {}).setdefault(connection.vendor, {})[case] = measured
            file.seek(0)
            file.truncate()
            file.write(json.dumps(counts, indent=2) + "\n")
    expected = json.loads(QUERY_COUNTS.read_text()).get(test, {}).get(connection.vendor, {})
    assert measured == expected.get(case), f"{test}/{connection.vendor}/{case}: see tests/query_counts.json"
