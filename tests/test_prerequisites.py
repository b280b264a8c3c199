"""A missing browser or source-text folder: skipped on a developer's machine, a failure in CI."""

import pytest

from tests.prerequisites import unavailable


@pytest.mark.parametrize("ci", [None, "", "0", "false"])
def test_a_missing_prerequisite_is_a_skip_with_its_reason_outside_ci(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="no Chromium at /nowhere"):
        unavailable("no Chromium at /nowhere")


@pytest.mark.parametrize("ci", ["1", "true"])
def test_a_missing_prerequisite_is_a_failure_in_ci(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="no Chromium at /nowhere.*CI is set"):
        unavailable("no Chromium at /nowhere")
