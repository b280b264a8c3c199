"""Latency and throughput of the main pages and endpoints, at the documents' scale and at L.

    .venv/bin/python benchmarks/run.py            # about 13 minutes; writes docs/benchmarks.md

Two dedicated PostgreSQL databases (dropped and re-created), both migrated with the documents and
the demo data, the second also with the synthetic L data set; each served by gunicorn (DEBUG
off). Every endpoint is measured on both, in alternating rounds, beside the bare /healthz view;
then 32 clients for 30 s on a mix of reads and writes at L, where every error counts: once on the
endpoints above, once spread over many URLs (`--only spread --reuse` runs that one alone).
See benchmarks/README.md.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from importlib.metadata import version
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"  # logs and collected static files (git-ignored)
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"  # the only target
WORKERS, THREADS = 3, 2  # gunicorn on 2 cores: a process per core and one more, two threads each
PASSWORD = "benchmark-" + secrets.token_hex(8)

# At most per endpoint and scale, from one client, one request after another: a cached answer takes
# about a millisecond, so it needs many to give a p95 that one hiccup of the machine does not decide.
LATENCY_REQUESTS = 3000
THROUGHPUT_CLIENTS = 4
# Each endpoint is measured in rounds that alternate between the two scales, so that a change in
# the machine's load (other work on a shared machine) touches both sides of a ratio alike.
ROUNDS = 3
SECONDS = {"latency": 3, "throughput": 2}  # per round
QUICK_SECONDS = {"latency": 0.5, "throughput": 0.5}  # --quick: try the machinery, not a measurement
REQUEST_TIMEOUT = 30
COUNT_CAP = 10_000  # a list's `count` is null past it (cvetracker/paging.py)
WRITE_STATUSES = ["in_progress", "partially_implemented", "stalled", "not_started"]  # none needs evidence


# HTTP -------------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; `request` returns (status, seconds, body)."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def request(self, method, path, token=None, body=None):
        headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return f"{type(error).__name__}", time.perf_counter() - started, b""
        return status, time.perf_counter() - started, data

    def close(self):
        if self.connection:
            self.connection.close()
        self.connection = None


def ok(status, method):
    return status == (201 if method == "POST" else 200)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def every(latencies):
    """The latencies of every method in one list."""
    return [value for values in latencies.values() for value in values]


def run_clients(port, clients, seconds, max_requests, next_request):
    """`clients` threads send next_request() until the time or the request budget runs out.
    Returns (latencies of successful requests as {method: [seconds]}, errors as {status: count},
    elapsed seconds, bytes of the last successful answer)."""
    latencies, errors, lock, size = {}, {}, threading.Lock(), [0]
    budget = iter(range(max_requests))
    deadline = time.monotonic() + seconds

    def work():
        client = Client(port)
        while time.monotonic() < deadline:
            with lock:
                if next(budget, None) is None:
                    break
                method, path, token, body = next_request()
            status, elapsed, answer = client.request(method, path, token, body)
            with lock:
                if ok(status, method):
                    latencies.setdefault(method, []).append(elapsed)
                    size[0] = len(answer)
                else:
                    errors[status] = errors.get(status, 0) + 1
        client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.monotonic() - started, size[0]


class Measurement:
    """One endpoint on one server, measured in several rounds and pooled."""

    def __init__(self):
        self.latencies, self.errors, self.done, self.elapsed, self.size = [], {}, 0, 0.0, 0

    def add_errors(self, errors):
        for status, count in errors.items():
            self.errors[status] = self.errors.get(status, 0) + count

    def round(self, port, make, seconds):
        """Latency of one client sending requests one after another, then throughput of several."""
        run_clients(port, WORKERS * THREADS, 5, 2 * WORKERS * THREADS, make)  # warm every worker thread
        latencies, errors, _, self.size = run_clients(port, 1, seconds["latency"], LATENCY_REQUESTS // ROUNDS, make)
        self.latencies += every(latencies)
        self.add_errors(errors)
        done, errors, elapsed, _ = run_clients(port, THROUGHPUT_CLIENTS, seconds["throughput"], 10_000, make)
        self.done += len(every(done))
        self.elapsed += elapsed
        self.add_errors(errors)

    def figures(self):
        return {
            "p50": 1000 * percentile(self.latencies, 0.5),
            "p95": 1000 * percentile(self.latencies, 0.95),
            "rps": self.done / self.elapsed if self.elapsed else 0.0,
            "errors": self.errors,
            "kib": self.size / 1024,
        }


# The application ----------------------------------------------------------------------------------


class App:
    def __init__(self, database_url, port, read_cache=True):
        self.port = port
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            # The rate limits would answer 429 to a load generator: measure the app, not the limiter.
            "API_THROTTLE_ANON": "off",
            "API_THROTTLE_USER": "off",
            "API_THROTTLE_SIGN_IN": "off",
            "STATIC_ROOT": str(RESULTS / "static"),
            "DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
            "READ_CACHE": "on" if read_cache else "off",
        }
        self.server = None

    def manage(self, *args):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self):
        with socket.socket() as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise SystemExit(f"Port {self.port} is in use: choose another with --port.")
        log = open(RESULTS / "gunicorn.log", "a")  # noqa: SIM115 (closed with the server)
        command = [ROOT / ".venv" / "bin" / "gunicorn", "cvetracker.wsgi", "--bind", f"{HOST}:{self.port}"]
        command += ["--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", "60"]
        self.server = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        client = Client(self.port)
        for _ in range(100):
            if client.request("GET", "/healthz")[0] == 200:
                return
            if self.server.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not start; see {RESULTS / 'gunicorn.log'}")

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=30)
        self.server = None

    def token(self, username):
        status, _, body = Client(self.port).request(
            "POST", "/api/auth/token/", body={"username": username, "password": PASSWORD}
        )
        if status != 200:
            raise SystemExit(f"No API token for {username}: {status} {body[:200]!r}")
        return json.loads(body)["token"]

    def get_json(self, path, token=None):
        status, _, body = Client(self.port).request("GET", path, token)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {body[:200]!r}")
        return json.loads(body)


def recreate_database(database_url):
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.hostname not in (HOST, "localhost") or "bench" not in name:
        raise SystemExit("The benchmark database must be local and have 'bench' in its name: it is dropped first.")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def vacuum(database_url):
    """The steady state of a live database (autovacuum would get there): statistics and visibility maps."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# What is measured ---------------------------------------------------------------------------------


def endpoints(ids, tokens):
    """(label, make) pairs; make() gives the next (method, path, token, body)."""
    today = datetime.date.today().isoformat()
    writes = iter(range(10**9))

    def get(path, token=None):
        return lambda: ("GET", path, token, None)

    def record_update():
        # Round-robin over a few of focal-kz's assignments, so concurrent writers rarely wait on one row.
        n = next(writes)
        body = {
            "assignment": ids["kz_assignments"][n % len(ids["kz_assignments"])],
            "status": WRITE_STATUSES[n % len(WRITE_STATUSES)],
            "date": today,
            "note": "Benchmark write.",
        }
        return "POST", "/api/status-updates/", tokens["focal-kz"], body

    return [
        ("bare view `/healthz`", get("/healthz")),
        ("dashboard `/`", get("/")),
        ("recommendation list `/recommendations/?status=in_progress`", get("/recommendations/?status=in_progress")),
        (
            "assignment list `/assignments/?country=KZ&status=in_progress`",
            get("/assignments/?country=KZ&status=in_progress"),
        ),
        ("scorecard `/actors/<KZ>/`", get(f"/actors/{ids['kz']}/")),
        (
            "API `/api/assignments/?country=KZ&status=in_progress`",
            get("/api/assignments/?country=KZ&status=in_progress"),
        ),
        ("API `/api/recommendations/?kind=agreed_step`", get("/api/recommendations/?kind=agreed_step")),
        ("API `/api/status-updates/?country=KZ`", get("/api/status-updates/?country=KZ", tokens["coordinator"])),
        ("API `/api/progress/?by=event`", get("/api/progress/?by=event")),
        ("API POST `/api/status-updates/` (focal-kz)", record_update),
    ]


def lookup_ids(app, tokens):
    kz = [actor["id"] for actor in app.get_json("/api/actors/?search=KZ")["results"] if actor["iso_code"] == "KZ"][0]
    mine = app.get_json(f"/api/assignments/?actor={kz}&page_size=10", tokens["focal-kz"])["results"]
    return {"kz": kz, "kz_assignments": [assignment["id"] for assignment in mine]}


def mixed_run(app, ids, tokens, clients, seconds):
    """Readers on every endpoint, and coordinators writing to assignments all over the database."""
    reads = [make for label, make in endpoints(ids, tokens)[1:-1]]
    assignments = [row["id"] for row in app.get_json("/api/assignments/?ordering=-updated_at&page_size=500")["results"]]
    today = datetime.date.today().isoformat()
    rng = random.Random(1)  # noqa: S311 (a workload, not a secret)

    def next_request():
        if rng.random() < 0.2:
            body = {"assignment": rng.choice(assignments), "status": rng.choice(WRITE_STATUSES), "date": today}
            return "POST", "/api/status-updates/", tokens["coordinator"], body
        return rng.choice(reads)()

    latencies, errors, elapsed, _ = run_clients(app.port, clients, seconds, 10**6, next_request)
    latencies = every(latencies)
    return {
        "requests": len(latencies) + sum(errors.values()),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": 1000 * percentile(latencies, 0.5),
        "p95": 1000 * percentile(latencies, 0.95),
    }


def sample(app, rng, path, size=500):
    """Ids from a random page of an API list (`size` rows a page)."""
    count = app.get_json(f"{path}&page_size=1")["count"] or COUNT_CAP  # null: more than the cap
    page = rng.randint(1, max(1, -(-count // size)))
    return [row["id"] for row in app.get_json(f"{path}&page_size={size}&page={page}")["results"]]


def spread_urls(app, tokens, rng):
    """Reads as real traffic spreads them: random actors' scorecards, random recommendations, list
    pages with varied filters and page numbers, API lists and progress. Each entry is (path, token)."""

    def pages(path, per_page):
        """Page numbers of a list, the first ones likelier (as people read them), at most 40."""
        separator = "&" if "?" in path else "?"
        api = path if path.startswith("/api/") else f"/api{path}"  # the same FilterSet counts the same rows
        count = app.get_json(f"{api}{separator}page_size=1")["count"] or COUNT_CAP
        last = max(1, min(40, -(-count // per_page)))
        return [f"{path}{separator}page={min(last, int(rng.expovariate(0.2)) + 1)}" for _ in range(5)]

    actors = sample(app, rng, "/api/actors/?ordering=name") + sample(app, rng, "/api/actors/?ordering=-name")
    recommendations = [pk for _ in range(2) for pk in sample(app, rng, "/api/recommendations/?ordering=code")]
    events = sample(app, rng, "/api/events/?ordering=start_date", 200)
    statuses = ["in_progress", "not_started", "implemented", "stalled", "partially_implemented"]
    lists = []
    for status in statuses:
        lists += pages(f"/recommendations/?status={status}", 25) + pages(f"/assignments/?status={status}", 25)
        lists += pages(f"/api/assignments/?status={status}", 50) + pages(f"/api/recommendations/?status={status}", 50)
    for kind in ("agreed_step", "proposal", "recommendation"):
        lists += pages(f"/recommendations/?kind={kind}", 25) + pages(f"/api/recommendations/?kind={kind}", 50)
    lists += pages("/events/", 25) + pages("/actors/", 25) + pages("/api/events/", 50) + pages("/api/actors/", 50)
    lists += [f"/api/status-updates/?page={n}" for n in range(1, 6)]
    lists += [f"/api/progress/?by={by}&page={n}" for by in ("event", "actor", "recommendation") for n in (1, 2, 3)]
    lists += ["/", "/api/progress/"]
    return {
        "scorecards": [(f"/actors/{pk}/", None) for pk in actors],
        "recommendations": [(f"/recommendations/{pk}/", None) for pk in recommendations]
        + [(f"/api/recommendations/{pk}/", None) for pk in recommendations[::4]],
        "events": [(f"/events/{pk}/", None) for pk in events],
        "progress": [(f"/api/progress/?actor={pk}", None) for pk in actors[::4]]
        + [(f"/api/progress/?event={pk}&by=recommendation", None) for pk in events[::4]],
        "lists": [(path, None) for path in lists]
        + [(f"/api/status-updates/?actor={pk}", tokens["coordinator"]) for pk in actors[::10]],
    }


def spread_run(app, tokens, clients, seconds):
    """The issue's mixed run: 32 clients, reads spread over many URLs, one request in five a status
    update on assignments all over the database; beside the bare view under the same client."""
    rng = random.Random(2)  # noqa: S311 (a workload, not a secret)
    urls = spread_urls(app, tokens, rng)
    assignments = [pk for _ in range(4) for pk in sample(app, rng, "/api/assignments/?ordering=recommendation")]
    today = datetime.date.today().isoformat()

    def next_request():
        if rng.random() < 0.2:
            body = {"assignment": rng.choice(assignments), "status": rng.choice(WRITE_STATUSES), "date": today}
            return "POST", "/api/status-updates/", tokens["coordinator"], body
        path, token = rng.choice(urls[rng.choice(list(urls))])  # each kind of read alike, then a URL of it
        return "GET", path, token, None

    bare, bare_errors, bare_elapsed, _ = run_clients(
        app.port, clients, seconds, 10**7, lambda: ("GET", "/healthz", None, None)
    )
    latencies, errors, elapsed, _ = run_clients(app.port, clients, seconds, 10**6, next_request)
    reads, writes = latencies.get("GET", []), latencies.get("POST", [])
    rps = (len(reads) + len(writes)) / elapsed
    bare_rps = len(every(bare)) / bare_elapsed
    return {
        "clients": clients,
        "seconds": seconds,
        "urls": sum(len(paths) for paths in urls.values()),
        "spread": len(set(assignments)),
        "requests": len(reads) + len(writes) + sum(errors.values()),
        "errors": {**errors, **{f"bare {status}": n for status, n in bare_errors.items()}},
        "rps": rps,
        "bare_rps": bare_rps,
        "share": rps / bare_rps,
        "reads": {"n": len(reads), "p50": 1000 * percentile(reads, 0.5), "p95": 1000 * percentile(reads, 0.95)},
        "writes": {"n": len(writes), "p50": 1000 * percentile(writes, 0.5), "p95": 1000 * percentile(writes, 0.95)},
        "p95": 1000 * percentile(reads + writes, 0.95),
    }


def spread_lines(spread, scale):
    reads, writes = spread["reads"], spread["writes"]
    met = spread["share"] >= 0.25 and spread["p95"] <= 250 and not spread["errors"]
    return [
        f"## Spread mixed run at {scale}",
        "",
        f"{spread['clients']} clients for {spread['seconds']} s against the production configuration: reads spread "
        f"over {spread['urls']} URLs (random scorecards, recommendations and events, list pages with varied filters "
        f"and page numbers, API lists and progress), one request in five a status update by the coordinator on one "
        f"of {spread['spread']:,} assignments all over the database. The bare view `/healthz` is measured first "
        "under the same client.",
        "",
        "| | requests | req/s | share of bare | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| bare view `/healthz` | | {spread['bare_rps']:.0f} | 1 | | |",
        f"| mixed, all | {spread['requests']:,} | {spread['rps']:.0f} | **{spread['share']:.3f}** | | "
        f"{spread['p95']:.0f} |",
        f"| mixed, reads | {reads['n']:,} | | | {reads['p50']:.0f} | {reads['p95']:.0f} |",
        f"| mixed, writes | {writes['n']:,} | | | {writes['p50']:.0f} | {writes['p95']:.0f} |",
        "",
        f"**Errors: {sum(spread['errors'].values())}** {spread['errors'] or ''}".rstrip()
        + f". Goals (share ≥ 0.25, p95 ≤ 250 ms, no errors): {'met' if met else 'not met'}.",
        "",
    ]


def measure_all(apps, seconds):
    """{scale: {label: figures}}, every endpoint measured on every app in alternating rounds."""
    plans = {scale: endpoints(ids, tokens) for scale, (app, ids, tokens) in apps.items()}
    results = {scale: {} for scale in apps}
    for index, (label, _) in enumerate(next(iter(plans.values()))):
        measurements = {scale: Measurement() for scale in apps}
        for _ in range(ROUNDS):
            for scale, (app, _, _) in apps.items():
                measurements[scale].round(app.port, plans[scale][index][1], seconds)
        for scale, measurement in measurements.items():
            results[scale][label] = figures = measurement.figures()
            print(
                f"  {scale:5} {label}: p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, {figures['rps']:.0f}/s"
            )
    return results


# Report ---------------------------------------------------------------------------------------------


def machine():
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    cpus = [
        line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line
    ]
    memory_gib = int(memory.split()[1]) / 1024**2
    return f"{os.cpu_count()} CPUs ({cpus[0] if cpus else '?'}), {memory_gib:.0f} GiB memory, {platform.platform()}"


def versions(database_url):
    with psycopg.connect(database_url) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    packages = ", ".join(f"{name} {version(name)}" for name in ("Django", "djangorestframework", "gunicorn", "psycopg"))
    return f"Python {platform.python_version()}, {packages}, PostgreSQL {server}"


def load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


MODES = {
    "cached": "Served as in production: figures and read answers cached under the data version "
    "(docs/performance.md). Between writes, a repeated request is a cache hit.",
    "computed": "`READ_CACHE=off`: every figure and answer computed from the database each time, as "
    "for the first request after any write.",
}


def table(small, large):
    """The Markdown table of one mode, and the labels outside the goals."""
    bare = large[next(iter(large))]
    lines = [
        "| endpoint | small p50 | small p95 | small req/s | L p50 | L p95 | L req/s "
        "| L/small p50 | L/small p95 | L p95 / bare | KiB small → L |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    failing = []
    for label, s in small.items():
        figures = large[label]
        ratio50, ratio95, to_bare = figures["p50"] / s["p50"], figures["p95"] / s["p95"], figures["p95"] / bare["p95"]
        if max(ratio50, ratio95) > 1.5 or to_bare > 10 or s["errors"] or figures["errors"]:
            failing.append(label)
        lines.append(
            f"| {label} | {s['p50']:.1f} | {s['p95']:.1f} | {s['rps']:.0f} "
            f"| {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['rps']:.0f} "
            f"| {ratio50:.2f} | {ratio95:.2f} | {to_bare:.1f} | {s['kib']:.1f} → {figures['kib']:.1f} |"
        )
    errors = {label: r["errors"] for label, r in {**small, **large}.items() if r["errors"]}
    lines += ["", f"Errors: {errors or 'none'}. Outside the goals: {', '.join(failing) or 'none'}."]
    return lines


def report(results, scale, mixed, spread, notes):
    lines = []
    for mode, explanation in MODES.items():
        lines += [
            f"## {mode.capitalize()}",
            "",
            explanation,
            "",
            *table(results[mode]["small"], results[mode][scale]),
            "",
        ]
    lines += [
        "Latencies in milliseconds (one client, one request after another); req/s with "
        f"{THROUGHPUT_CLIENTS} concurrent clients; KiB: the size of the answer (a list at the documents' "
        "scale has fewer rows than a page). Both scales are served side by side and measured in "
        f"{ROUNDS} alternating rounds. Goals: L/small ≤ 1.5, L p95 ≤ 10 × bare, no errors.",
        "",
        f"## Mixed run at {scale}",
        "",
        f"{mixed['clients']} clients for {mixed['seconds']} s against the production configuration (cached), "
        f"80 % reads of the endpoints above (bare view excepted), 20 % status updates by the coordinator on "
        f"{mixed['spread']} assignments: {mixed['requests']:,} requests, {mixed['rps']:.0f}/s, "
        f"p50 {mixed['p50']:.0f} ms, p95 {mixed['p95']:.0f} ms, "
        f"**errors: {sum(mixed['errors'].values())}** {mixed['errors'] or ''}".rstrip(),
        "",
        *spread_lines(spread, scale),
        "## Conditions",
        "",
        *notes,
    ]
    return "\n".join(lines)


# Sections of docs/benchmarks.md that other scripts write (benchmarks/import_updates.py): kept as they are.
KEPT_SECTIONS = ["## Import of status updates"]


def kept_sections(path):
    text = path.read_text() if path.exists() else ""
    kept = []
    for heading in KEPT_SECTIONS:
        if heading in text:
            section = text[text.index(heading) :]
            end = section.find("\n## ", len(heading))
            kept.append(section if end < 0 else section[: end + 1])
    return "".join("\n" + section.rstrip("\n") + "\n" for section in kept)


def prepare(databases, scale, notes):
    """Re-create the databases: migrations, documents and demo data; the synthetic set in the large one."""
    for name, database in databases.items():
        print(f"Database {database}: re-create, migrate, documents and demo data.")
        recreate_database(database)
        app = App(database, port=None)
        app.manage("migrate", "--noinput")
        app.manage("load_demo")
        if name == scale:
            print(f"Generating the synthetic {scale} data set.")
            generated = time.monotonic()
            app.manage("generate_synthetic", "--scale", scale, "--seed", "1")
            notes.append(f"- `generate_synthetic --scale {scale}` took {time.monotonic() - generated:.0f} s.")
        vacuum(database)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/cvetracker_bench")
    parser.add_argument("--port", type=int, default=8817, help="first of four ports (default 8817)")
    parser.add_argument("--scale", default="L", help="generate_synthetic's scale for the large run (default L)")
    parser.add_argument("--clients", type=int, default=32, help="clients in the mixed runs (default 32)")
    parser.add_argument("--seconds", type=int, default=30, help="length of each mixed run (default 30)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--quick", action="store_true", help="half a second per measurement, to try the machinery")
    parser.add_argument("--reuse", action="store_true", help="keep the databases of an earlier run (to iterate)")
    parser.add_argument(
        "--only", choices=["spread"], help="only the spread mixed run at the large scale (printed, not written)"
    )
    options = parser.parse_args()
    seconds = QUICK_SECONDS if options.quick else SECONDS
    RESULTS.mkdir(exist_ok=True)
    notes = [f"- Machine: {machine()}.", f"- Load average (1/5/15 min) at the start: {load()}."]
    started = time.monotonic()

    databases = {"small": options.database, options.scale: f"{options.database}_{options.scale.lower()}"}
    if options.reuse:
        notes.append("- Databases kept from an earlier run (`--reuse`).")
        for database in databases.values():
            App(database, port=None).manage("migrate", "--noinput")
            App(database, port=None).manage("load_demo")  # this run's password for the demo users
    else:
        prepare(databases, options.scale, notes)
    notes.insert(1, f"- Software: {versions(options.database)}; gunicorn {WORKERS} workers × {THREADS} threads.")
    if options.only:
        return spread_alone(App(databases[options.scale], options.port), options, notes)
    # Every mode and scale has its own server, all running side by side.
    apps = {
        (mode, scale): App(database, options.port + 2 * m + s, read_cache=(mode == "cached"))
        for m, mode in enumerate(MODES)
        for s, (scale, database) in enumerate(databases.items())
    }
    next(iter(apps.values())).manage("collectstatic", "--noinput")
    notes.append(f"- Load average before measuring: {load()}.")
    try:
        measured = {}
        for key, app in apps.items():
            app.start()
            tokens = {name: app.token(name) for name in ("focal-kz", "coordinator")}
            measured[key] = (app, lookup_ids(app, tokens), tokens)
        results = {}
        for mode in MODES:
            print(f"Measuring, {mode}:")
            results[mode] = measure_all({scale: measured[(mode, scale)] for scale in databases}, seconds)
        notes.append(f"- Load average after measuring: {load()}.")
        print(f"Mixed run: {options.clients} clients for {options.seconds} s.")
        mixed = mixed_run(*measured[("cached", options.scale)], options.clients, options.seconds)
        mixed.update(clients=options.clients, seconds=options.seconds, spread=500)
        notes.append(f"- Load average after the mixed run: {load()}.")
        for key, (app, _, _) in measured.items():  # the spread run has the machine to itself
            if key != ("cached", options.scale):
                app.stop()
        print(f"Spread mixed run: {options.clients} clients for {options.seconds} s.")
        app, _, tokens = measured[("cached", options.scale)]
        spread = spread_run(app, tokens, options.clients, options.seconds)
        notes.append(f"- Load average after the spread mixed run: {load()}.")
    finally:
        for app in apps.values():
            app.stop()
    notes.append(f"- Whole run: {(time.monotonic() - started) / 60:.0f} minutes, {datetime.date.today()}.")
    document = report(results, options.scale, mixed, spread, notes)
    print(document)
    header = (
        "# Benchmarks\n\nWritten by `.venv/bin/python benchmarks/run.py` (see benchmarks/README.md). "
        f"small = the documents and the demo data; {options.scale} = the same plus "
        f"`generate_synthetic --scale {options.scale}`.\n\n"
    )
    Path(options.output).write_text(header + document + "\n" + kept_sections(Path(options.output)))
    return 1 if sum(mixed["errors"].values()) or spread["errors"] else 0


def spread_alone(app, options, notes):
    """`--only spread`: the spread mixed run on the large database, printed (docs/benchmarks.md is left alone)."""
    app.manage("collectstatic", "--noinput")
    try:
        app.start()
        tokens = {name: app.token(name) for name in ("focal-kz", "coordinator")}
        notes.append(f"- Load average before measuring: {load()}.")
        spread = spread_run(app, tokens, options.clients, options.seconds)
        notes.append(f"- Load average after the spread mixed run: {load()}.")
    finally:
        app.stop()
    print("\n".join([*spread_lines(spread, options.scale), *notes]))
    return 1 if spread["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
