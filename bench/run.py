#!/usr/bin/env python3
"""Kindred's benchmark: generated data at scale, the release server under wrk, a bare-axum
ceiling measured in the same run, and the budgets from issue #6.

    python3 bench/run.py            # full run (make bench)
    python3 bench/run.py --smoke    # tiny scale, short scenarios (make bench-smoke)

Needs the release build (`make build`), wrk, brotli, gzip, node with Playwright and
/usr/bin/chromium (`scripts/setup.sh` installs them). Writes target/bench/results.json and
prints a table. It reports budgets as within/over; it never fails because of a figure, only
when something does not work (a server that will not start, an error answer in a scenario).
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import sqlite3
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from report import CLIENT_PAGES, budgets, check, markdown, print_table, within

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/kindred/target"))
SERVER = TARGET / "release" / "server"
SITE = ROOT / "target" / "site"
OUT = ROOT / "target" / "bench"
PASSWORD = "bench-password-kindred"
KINDRED_PORT = 3300
CEILING_PORT = 3200


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def free_port(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Server:
    """A server process with its log, stopped on exit."""

    def __init__(self, args, env, port, name):
        self.name = name
        self.port = port
        self.log_path = OUT / f"{name}.log"
        if not free_port(port):
            raise SystemExit(f"port {port} is busy; stop whatever listens there")
        full_env = dict(os.environ, **env)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(SERVER), *args], env=full_env, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT
        )
        self.ready_after = self.wait_ready()

    def wait_ready(self):
        path = "/healthz" if self.name.startswith("kindred") else "/hello"
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.002)
        raise SystemExit(f"{self.name} did not become ready")

    def rss_kb(self, field="VmRSS"):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def kindred_env(db):
    return {
        "DATABASE_URL": f"sqlite://{db}",
        # Mail (none is sent to bench members: their addresses are unverified) stays beside the copy.
        "KINDRED_MAIL_DIR": str(Path(db).parent / "mail"),
        "KINDRED_FILES_DIR": str(Path(db).parent / "files"),
        "LEPTOS_SITE_ADDR": f"127.0.0.1:{KINDRED_PORT}",
        "LEPTOS_SITE_ROOT": str(SITE),
        "KINDRED_DEMO": "0",
        "KINDRED_LOG": os.environ.get("KLOG", "warn"),
        # The benchmark signs many members in from one address and posts fast on purpose.
        "KINDRED_AUTH_PER_MINUTE": "100000",
        "KINDRED_AUTH_PER_HOUR": "1000000",
        "KINDRED_POST_LIMITS": "0",
    }


def working_copy(db, use="run"):
    """A fresh copy of a generated database for one use (`use` names the copy), so runs —
    and the two engines' parts of one run — do not see each other's writes."""
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = db.with_name(f"{db.stem}-{use}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    return copy


def generate(scale, db):
    """Generates (or reuses) the database for a scale. Returns the generator's report."""
    meta = db.with_suffix(".json")
    if db.exists() and meta.exists():
        report = json.loads(meta.read_text())
        if "library_resource_id" in report:
            log(f"reusing {db} (delete it to regenerate)")
            return report
        log(f"{db} predates the library: regenerating")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    log(f"generating scale {scale} into {db}")
    out = subprocess.run(
        [str(SERVER), "seed-bench", "--scale", str(scale), "--seed", "42"],
        env=dict(os.environ, DATABASE_URL=f"sqlite://{db}", KINDRED_LOG="warn"),
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    meta.write_text(json.dumps(report))
    log(f"generated in {report['seconds']:.1f} s: {report}")
    return report


def wrk(url, connections, duration, script="report.lua", args=(), headers=()):
    threads = max(1, min(connections, 2))
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", "5s", "--latency",
        "-s", str(ROOT / "bench" / script), url,
    ]
    for header in headers:
        command[1:1] = ["-H", header]
    if args:
        command += ["--", *args]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    line = [l for l in finished.stdout.splitlines() if l.startswith("{")][-1]
    result = json.loads(line)
    result["first_errors"] = finished.stderr.strip().splitlines()[:4]
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    result["errors"] = sum(result[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    for key in ("p50", "p90", "p99", "max"):
        result[f"{key}_ms"] = result.pop(f"{key}_us") / 1000
    return result


# Sent with an anonymous read to skip the anonymous page cache: any cookie does, and this one
# names no session, so the page is rendered afresh for a visitor who is not signed in.
RENDER_AFRESH = "Cookie: kindred_bench=render"


def read_entry(path, hello, duration, headers=()):
    """One read scenario: `path` at 32 connections and at 1 on Kindred (with `headers`) and on
    the ceiling, with Kindred's share of the ceiling's and of bare `hello`'s throughput.
    An anonymous page is read twice: as served (from the anonymous page cache while nothing
    is written) and rendered afresh for every request; the share of the ceiling, which
    renders every time too, compares the second."""
    entry = {}
    sides = [("kindred", KINDRED_PORT, headers), ("ceiling", CEILING_PORT, ())]
    if not headers:
        sides.insert(1, ("rendered", KINDRED_PORT, (RENDER_AFRESH,)))
    for label, port, sent in sides:
        entry[label] = {
            "c32": wrk(f"http://127.0.0.1:{port}{path}", 32, duration, headers=sent),
            "c1": wrk(f"http://127.0.0.1:{port}{path}", 1, duration, headers=sent),
        }
    rendered = entry.get("rendered", entry["kindred"])
    entry["fraction_of_ceiling"] = rendered["c32"]["rps"] / max(entry["ceiling"]["c32"]["rps"], 1e-9)
    entry["fraction_of_hello"] = entry["kindred"]["c32"]["rps"] / max(hello["rps"], 1e-9)
    return entry


def sign_in(handles):
    """Signs members in; returns their session cookies."""
    cookies = []
    for handle in handles:
        body = urllib.parse.urlencode({"login": handle, "password": PASSWORD}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{KINDRED_PORT}/api/auth/sign_in", data=body, headers={"Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            cookie = response.headers.get("Set-Cookie", "").split(";")[0]
            if not cookie:
                raise SystemExit(f"signing in {handle} set no cookie")
            cookies.append(cookie)
    return cookies


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def upload_pdf(cookie, slug, size):
    """Uploads a `size`-byte PDF to a community's library as a member; returns its file URL path."""
    boundary = "kindredbenchboundary"
    fields = {"title": "Survey maps", "summary": "Every survey map, scanned.", "tags": "maps",
              "licence": "CC BY 4.0", "attribution": "Bench", "initiative_id": "", "goal_id": "", "review_by": ""}
    body = b"".join(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode() for k, v in fields.items())
    pdf = b"%PDF-1.4\n" + b"0" * (size - 16) + b"\n%%EOF\n"
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"maps.pdf\"\r\n"
             "Content-Type: application/pdf\r\n\r\n").encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{KINDRED_PORT}/c/{slug}/library/upload", data=body, method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie, "Accept": "text/html"})
    try:
        urllib.request.build_opener(_NoRedirect).open(request, timeout=60)
        raise SystemExit("the upload did not redirect")
    except urllib.error.HTTPError as answer:
        location = answer.headers.get("Location", "")
        if answer.code != 303 or "upload_error" in location:
            raise SystemExit(f"the upload failed: {answer.code} {location}")
        return location + "/file"


def download_memory(server, url, duration):
    """Downloads `url` from 8 connections for `duration` seconds while sampling the server's
    resident memory; returns wrk's figures and the growth over the idle figure in MB."""
    before = server.rss_kb()
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(server.rss_kb())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        figures = wrk(url, 8, duration)
    finally:
        done.set()
        sampler.join()
    figures["rss_growth_mb"] = (max(samples or [before]) - before) / 1024
    return figures


def compressed_size(url, encoding):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read()), response.headers.get("Content-Encoding") or "identity"


def brotli_size(path):
    return len(subprocess.run(["brotli", "-c", "-q", "11", str(path)], capture_output=True, check=True).stdout)


def bundle_sizes():
    """The main WASM bundle every page loads, and the split-out chunks (`--split`)
    that only the less-visited pages fetch."""
    pkg = SITE / "pkg"
    wasm = pkg / "kindred.wasm"
    data = wasm.read_bytes()
    chunks = sorted(p for p in pkg.glob("*.wasm") if p.name != wasm.name)
    return {
        "file": wasm.name, "raw": len(data), "gzip": len(gzip.compress(data, 9)), "brotli": brotli_size(wasm),
        "chunks": len(chunks), "chunks_brotli": sum(brotli_size(p) for p in chunks),
    }


# The four pages the phone budgets name: a thread, the community home, the discussion
# list, and a leaders' page (goals, a split-out chunk).


def client(base, paths, runs):
    """Bytes to interactive and hydration time at 4x throttling for each page, and the
    client-side navigation from the discussion list to a thread (bench/client.mjs)."""
    out = subprocess.run(
        ["node", str(ROOT / "bench" / "client.mjs"), str(runs), r"/d/\d+$", *(base + p for p in paths)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def lighthouse(url):
    """Lighthouse 12.2.3 in its default mobile mode against the local Chromium: the
    Performance, Accessibility and Best Practices scores, and every audit that lost points."""
    report = OUT / "lighthouse.json"
    subprocess.run(
        [str(ROOT / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--output=json", f"--output-path={report}",
         "--only-categories=performance,accessibility,best-practices", "--chrome-path=/usr/bin/chromium",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    data = json.loads(report.read_text())
    scores = {key: round(cat["score"] * 100) for key, cat in data["categories"].items()}
    lost = []
    for key, cat in data["categories"].items():
        for ref in cat["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{key}: {audit['title']} ({audit.get('displayValue', audit['score'])})")
    return {"scores": scores, "lost": lost}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny scale, 2-second scenarios, no scale-10 run")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds per scenario")
    parser.add_argument("--no-scale10", action="store_true", help="skip the scale-10 thread-page comparison")
    options = parser.parse_args()
    scale = options.scale or (0.02 if options.smoke else 1.0)
    duration = options.duration or (2 if options.smoke else 5)
    OUT.mkdir(parents=True, exist_ok=True)
    for tool in ("wrk", "brotli", "node"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run scripts/setup.sh")
    if not SERVER.exists() or not (SITE / "pkg").exists():
        raise SystemExit("no release build: run `make build` first")

    results = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "kernel": platform.release(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        },
        "scale": scale,
        "seconds_per_scenario": duration,
    }
    db = OUT / f"scale-{scale:g}.db"
    data = generate(scale, db)
    db = working_copy(db)
    results["data"] = data
    big = data["big_thread_id"]
    with sqlite3.connect(db) as connection:
        (reply_thread,) = connection.execute(
            "SELECT id FROM threads WHERE community_id = (SELECT id FROM communities WHERE slug = 'bench-00')"
            " AND id != ? ORDER BY id LIMIT 1", (big,)).fetchone() or (big,)
    deep = max(0, (data["big_thread_replies"] // 2) // 50 * 50)
    pages = {
        "community home": "/c/bench-00",
        "discussion list": "/c/bench-00/discussions",
        "thread, first page": f"/c/bench-00/d/{big}",
        "thread, deep page": f"/c/bench-00/d/{big}?after={deep}",
        "profile": "/u/m00002",
        "search": "/search?q=kingfisher+otters",
        "impact": "/c/bench-00/impact",
        "events list": "/c/bench-00/events",
        "recognition wall": "/c/bench-00/recognition",
        "library": "/c/bench-00/library",
        "library resource": f"/c/bench-00/library/{data['library_resource_id']}",
    }

    servers = []
    try:
        # Cold starts: a fresh database (migrations run), then the generated one.
        fresh = OUT / "fresh.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(fresh) + suffix).unlink(missing_ok=True)
        first = Server([], kindred_env(fresh), KINDRED_PORT, "kindred-first-boot")
        first.stop()
        kindred = Server([], kindred_env(db), KINDRED_PORT, "kindred")
        servers.append(kindred)
        ceiling = Server(["ceiling", "--addr", f"127.0.0.1:{CEILING_PORT}"], {"DATABASE_URL": f"sqlite://{db}", "KINDRED_LOG": "warn"}, CEILING_PORT, "ceiling")
        servers.append(ceiling)
        results["cold_start_ms"] = {"first_boot_with_migrations": first.ready_after * 1000, "scale_db": kindred.ready_after * 1000}
        time.sleep(1)
        results["rss_mb"] = {"idle": kindred.rss_kb() / 1024}

        # Reads: each page at 32 connections and at 1, on Kindred and on the ceiling.
        reads = {}
        hello32 = wrk(f"http://127.0.0.1:{CEILING_PORT}/hello", 32, duration)
        results["hello"] = hello32
        for name, path in pages.items():
            log(f"read: {name}")
            reads[name] = read_entry(path, hello32, duration)
        results["reads"] = reads

        # Signed-in writes and the mixed scenario.
        members = min(50, data["members"])
        handles = [f"m{n:05d}" for n in range(2, members + 2)] if data["members"] > members else [f"m{n:05d}" for n in range(1, members + 1)]
        cookies = sign_in(handles)
        cookie_file = OUT / "cookies.txt"
        cookie_file.write_text("\n".join(cookies) + "\n")
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()

        # An event page with 200 people going, read as a member (who sees their names).
        log("read: event page, 200 going (member)")
        member_cookie = f"Cookie: {cookies[0]}"
        reads["event page, 200 going (member)"] = read_entry(
            f"/c/bench-00/e/{data['big_event_id']}", hello32, duration, [member_cookie])
        # The thread page as a member's browser asks for it: with the member's reaction,
        # quote and flag tools on every post, compressed on the way out (wrk sends no
        # Accept-Encoding, so the other pages are measured uncompressed).
        log("read: thread, first page (member, compressed)")
        reads["thread, first page (member, compressed)"] = read_entry(
            pages["thread, first page"], hello32, duration, [member_cookie, "Accept-Encoding: gzip, deflate, br"])
        # A 5 MB file downloaded from 8 connections: streamed, so memory hardly moves.
        log("download: a 5 MB file from 8 connections")
        file_path = upload_pdf(cookies[0], "bench-00", 5 * 1024 * 1024)
        results["download_5mb"] = download_memory(kindred, f"http://127.0.0.1:{KINDRED_PORT}{file_path}", duration)
        read_paths = ",".join(p for n, p in pages.items() if n != "impact")
        writes = {}
        for mode in ("reply", "contribute"):
            log(f"write: {mode}")
            writes[mode] = wrk(f"http://127.0.0.1:{KINDRED_PORT}", 32, duration, "writes.lua", (str(cookie_file), mode, read_paths, str(reply_thread), yesterday))
        log("write: RSVPs from 32 connections to one event")
        contended = data["contended_event_id"]
        writes["rsvp"] = wrk(f"http://127.0.0.1:{KINDRED_PORT}", 32, duration, "writes.lua", (str(cookie_file), "rsvp", read_paths, str(contended), yesterday))
        with sqlite3.connect(db) as connection:
            (taken,) = connection.execute(
                "SELECT COALESCE(SUM(1 + guests), 0) FROM event_rsvps WHERE occurrence_id = ? AND status IN ('going', 'offered')",
                (contended,)).fetchone()
        writes["rsvp"]["seats_taken"] = taken
        writes["rsvp"]["over_capacity"] = max(0, taken - data["contended_event_capacity"])
        log("mixed: 50 members, 80% reads / 20% writes")
        writes["mixed"] = wrk(f"http://127.0.0.1:{KINDRED_PORT}", 50, duration, "writes.lua", (str(cookie_file), "mixed", read_paths, str(reply_thread), yesterday))
        results["writes"] = writes
        results["database_locked"] = len(re.findall(r"database is locked", kindred.log_text()))
        results["rss_mb"]["peak"] = kindred.rss_kb("VmHWM") / 1024

        # What a browser downloads, and how long hydration takes on a slow phone.
        base = f"http://127.0.0.1:{KINDRED_PORT}"
        results["wasm_bytes"] = bundle_sizes()
        sizes = {}
        # Asked for as a browser does (every browser offers both); pages come back gzipped,
        # static files with brotli.
        browser = "gzip, deflate, br"
        for name, path in (("thread page", pages["thread, first page"]), ("discussion list", pages["discussion list"])):
            raw, _ = compressed_size(base + path, "identity")
            compressed, encoding = compressed_size(base + path, browser)
            sizes[name] = {"raw": raw, "compressed": compressed, "encoding": encoding}
        for asset in ("/pkg/kindred.css", "/pkg/kindred.js", f"/pkg/{results['wasm_bytes']['file']}"):
            raw, _ = compressed_size(base + asset, "identity")
            compressed, encoding = compressed_size(base + asset, browser)
            sizes[asset] = {"raw": raw, "compressed": compressed, "encoding": encoding}
        results["response_bytes"] = sizes
        log("the phone client: bytes to interactive, hydration at 4x CPU throttling, navigation")
        client_paths = (pages["thread, first page"], pages["community home"], pages["discussion list"], "/c/bench-00/goals")
        measured = client(base, (pages["discussion list"], *client_paths), 1 if options.smoke else 3)
        results["client"] = {name: measured["pages"][base + path] for name, path in zip(CLIENT_PAGES, client_paths)}
        results["client_navigation"] = measured["navigation"]
        log("lighthouse (mobile)")
        results["lighthouse"] = {name: lighthouse(base + path) for name, path in zip(CLIENT_PAGES, client_paths)}

        # Flat cost: the same thread page on ten times the data.
        if not options.smoke and not options.no_scale10 and scale == 1.0:
            for server in servers:
                server.stop()
            servers.clear()
            db10 = OUT / "scale-10.db"
            data10 = generate(10.0, db10)
            db10 = working_copy(db10)
            kindred10 = Server([], kindred_env(db10), KINDRED_PORT, "kindred-scale10")
            servers.append(kindred10)
            path10 = f"/c/bench-00/d/{data10['big_thread_id']}"
            ten = wrk(f"http://127.0.0.1:{KINDRED_PORT}{path10}", 32, duration)
            results["scale10"] = {
                "data": data10,
                "thread_first_page_rps": ten["rps"],
                "ratio_to_scale1": ten["rps"] / max(reads["thread, first page"]["kindred"]["c32"]["rps"], 1e-9),
            }
    finally:
        for server in servers:
            server.stop()

    # The same data and scenarios on PostgreSQL, with one instance and with two, moved over
    # from the data as generated: the SQLite working copy now also holds its write
    # scenarios' thousands of posts and contributions, which the SQLite reads never saw.
    import fleet
    source = working_copy(OUT / f"scale-{scale:g}.db", "postgres")
    results["postgres"] = fleet.run(sys.modules[__name__], source, pages, duration, options.smoke,
                                    reply_thread, yesterday, read_paths, handles)

    failures = check(results) + fleet.failures(results["postgres"])
    results["budgets"] = budgets(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print_table(results)
    (OUT / "results.md").write_text(markdown(results))
    print(f"\nresults: {OUT / 'results.json'} (and results.md, for docs/PERFORMANCE.md)")
    if failures:
        raise SystemExit("the benchmark saw errors: " + "; ".join(failures))


if __name__ == "__main__":
    main()
