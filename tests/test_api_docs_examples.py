"""Every example in docs/api.md works as written against `make demo`'s data.

The shell blocks are run in the document's order, as a reader would paste them: variable
assignments, then each curl command through the test client. A comment that is JSON right after a
command, or a ```json block right after a shell block, is the documented answer of the last command:
every field it shows must be there, with that value; `[...]` stands for any list, and a token
(new on every run) for any string, which the later commands' `$AUTH` then carries. An inline
`/api/…?…` address in the text must answer 200 too.
"""

import io
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from api.export import CSVRenderer, XLSXRenderer

DOC = Path(settings.BASE_DIR, "docs", "api.md")
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
ANY_LIST = "[...]"
PER_RUN = {"token", "expires"}  # answer fields whose value differs on every run
# The reader's own files that the evidence example sends: a PDF and a JPEG, as far as their content goes.
OWN_FILES = {"decree.pdf": b"%PDF-1.7\n%%EOF\n", "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xd9"}

# Real ids (the doc's examples name them) on either database, and the roles' groups kept.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True, serialized_rollback=True)


def _blocks(text):
    """(language, body, follows_previous_block) for every fenced block."""
    found, end = [], None
    for match in BLOCK.finditer(text):
        found.append((match[1], match[2], end is not None and not text[end : match.start()].strip()))
        end = match.end()
    return found


def _commands(body):
    """A shell block's commands and comments, with continuations and quoted newlines joined."""
    commands, pending = [], ""
    for line in body.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            commands.append(line.strip())
            continue
        pending = f"{pending}\n{line}" if pending else line
        if pending.endswith("\\"):
            pending = pending[:-1]
            continue
        try:
            shlex.split(pending)
        except ValueError:  # a quote still open: the command goes on
            continue
        commands.append(pending)
        pending = ""
    assert not pending, f"unfinished command in docs/api.md: {pending}"
    return [command for command in commands if command]


def _answer(text):
    return json.loads(text.replace(ANY_LIST, json.dumps(ANY_LIST)))


class Reader:
    """A reader pasting the doc's examples: shell variables, curl through the test client."""

    def __init__(self, client):
        self.client = client
        self.variables = {}
        self.stand_ins = {}  # a value the doc shows for one that is new on every run → the real one
        # What the commands wrote with -o, by name, beside the reader's own files.
        self.files = {name: SimpleUploadedFile(name, content) for name, content in OWN_FILES.items()}
        self.last = None

    def run(self, command):
        if command.startswith("#"):
            comment = command.lstrip("# ")
            if comment.startswith(("{", "[")):
                self.check(_answer(comment))
            return
        for shown, real in self.stand_ins.items():
            command = command.replace(shown, real)
        words = [self.expand(word) for word in shlex.split(command)]
        if words[0] == "export":
            words = words[1:]
        if words[0] == "curl":
            self.last = self.curl(words[1:])
        else:
            assert len(words) == 1 and "=" in words[0], f"not understood: {command}"
            name, value = words[0].split("=", 1)
            self.variables[name] = value

    def expand(self, word):
        def value(match):
            assert match[1] in self.variables, f"${match[1]} is used before it is set"
            return self.variables[match[1]]

        return re.sub(r"\$(\w+)", value, word)

    def curl(self, args):
        method, headers, body, url, output, form = None, {}, None, None, None, {}
        args = iter(args)
        for arg in args:
            if arg == "-s":
                continue
            if arg == "-X":
                method = next(args)
            elif arg == "-H":
                name, value = next(args).split(":", 1)
                headers[name.strip()] = value.strip()
            elif arg == "-d":
                body = next(args)
            elif arg == "-o":
                output = next(args)
            elif arg == "-F":  # a multipart form field, repeated for several; @name is one of self.files
                name, value = next(args).split("=", 1)
                if value.startswith("@"):
                    value = self.files[value[1:]]
                    value.seek(0)  # as curl reads the file afresh for each command
                form.setdefault(name, []).append(value)
            else:
                assert url is None and arg.startswith("http"), f"curl argument not understood: {arg}"
                url = urlsplit(arg)
        method = method or ("POST" if body is not None else "GET")
        content_type = headers.pop("Content-Type", "application/x-www-form-urlencoded")
        path = f"{url.path}?{url.query}" if url.query else url.path
        if form:
            response = self.client.post(path, form, headers={**headers, "host": url.netloc})
        else:
            response = self.client.generic(
                method, path, body or "", content_type=content_type, headers={**headers, "host": url.netloc}
            )
        where = f"{method} {path}"
        assert 200 <= response.status_code < 300, f"{where}: {response.status_code} {_text(response)[:300]}"
        if output:
            media_type = {".csv": CSVRenderer.media_type, ".xlsx": XLSXRenderer.media_type}[Path(output).suffix]
            assert response["Content-Type"].startswith(media_type), where
            self.files[output] = SimpleUploadedFile(output, _body(response))
            return (where, None)
        return (where, response.json() if response.content else None)

    def check(self, documented):
        assert self.last, "an answer is documented before any command"
        where, actual = self.last
        _same(documented, actual, where)
        _stand_ins(documented, actual, self.stand_ins)
        self.last = None


def _body(response):
    return b"".join(response.streaming_content if response.streaming else [response.content])


def _text(response):
    return _body(response).decode()


def _same(documented, actual, where, key=None):
    if documented == ANY_LIST:
        assert isinstance(actual, list), where
    elif isinstance(documented, dict):
        assert isinstance(actual, dict), where
        assert not documented.keys() - actual.keys(), f"{where}: missing {documented.keys() - actual.keys()}"
        for name, value in documented.items():
            _same(value, actual[name], f"{where} .{name}", name)
    elif isinstance(documented, list):
        assert isinstance(actual, list) and len(actual) == len(documented), f"{where}: {actual}"
        for index, (shown, real) in enumerate(zip(documented, actual, strict=True)):
            _same(shown, real, f"{where} [{index}]")
    elif key in PER_RUN:
        assert type(actual) is type(documented), where
    else:
        assert actual == documented, f"{where}: the doc shows {documented!r}, the API answers {actual!r}"


def _stand_ins(documented, actual, found):
    """Note the real value of each per-run field the doc shows, keyed by the value shown."""
    if isinstance(documented, dict):
        for name, value in documented.items():
            if name in PER_RUN:
                found[value] = actual[name]
            else:
                _stand_ins(value, actual[name], found)


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)  # the doc uses the default password
    call_command("load_demo", stdout=io.StringIO())


def test_every_example_in_docs_api_md_works_as_written(client, demo, evidence_storage):
    reader = Reader(client)
    ran = 0
    for language, body, follows_block in _blocks(DOC.read_text(encoding="utf-8")):
        if language == "sh":
            for command in _commands(body):
                reader.run(command)
                ran += command.startswith("curl")
        elif language == "json" and follows_block:
            reader.check(_answer(body))
    assert ran >= 10  # the examples were found


def test_every_address_in_the_text_answers(client, demo):
    addresses = set(re.findall(r"`(/api/[^`\s]*\?[^`\s]*)`", DOC.read_text(encoding="utf-8")))
    assert addresses
    for address in sorted(addresses):
        assert client.get(address).status_code == 200, address
