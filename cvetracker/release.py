"""The release that is running (settings.RELEASE): a short hash of the code that builds the answers.

Every cache key carries it, so during a rolling deploy servers of two versions sharing one Redis never
hand each other an answer built by the other's code. It hashes the files themselves rather than asking
git: that works from an unpacked archive too, a local edit changes it, and the same code gives the
same release on every server. It is computed once per process, at start-up (a few milliseconds).
"""

import hashlib

# What answers are built from: the apps, settings, templates, catalogues, static files and the pinned
# libraries. Not benchmarks/ (tooling, which also writes its git-ignored results there) nor tests/ or docs/.
SOURCES = [
    "accounts",
    "api",
    "cvetracker",
    "events",
    "imports",
    "recommendations",
    "reminders",
    "security",
    "web",
    "webhooks",
    "notifications",
]
SOURCES += ["templates", "locale", "locale_upstream", "static", "requirements.txt"]


def source_release(base_dir):
    """The first 12 hex digits of a hash over the names and contents of SOURCES under `base_dir`."""
    paths = []
    for source in SOURCES:
        path = base_dir / source
        paths += [path] if path.is_file() else path.rglob("*")
    digest = hashlib.sha256()
    for path in sorted(p for p in paths if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(base_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]
