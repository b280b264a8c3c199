"""Tests that need something outside the repository (a browser, the documents' texts) ask here
when it is missing: on a developer's machine the test is skipped, with the reason printed in the
summary (pytest -ra); where CI is set (.ci/run sets it) it fails, so CI cannot pass without it."""

import pytest

from cvetracker.env import env_bool


def unavailable(reason):
    """Stop the current test: `reason` says what is missing and how to provide it."""
    if env_bool("CI", False):
        pytest.fail(f"{reason} (CI is set, so nothing may be skipped)")
    pytest.skip(reason)
