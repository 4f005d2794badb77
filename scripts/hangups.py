#!/usr/bin/env python3
"""End-to-end cancel-safety test: hundreds of real HTTP writes hung up at random moments.

    python3 scripts/hangups.py [--clients 300] [--port 3400]

Starts the release server (`make build`) on a fresh SQLite file with the demo seeded, keeps
both cores busy, and sends `--clients` write requests of every common kind (founding a
community, signing up, starting a thread, replying, reacting, logging and verifying
contributions, editing a profile), each from its own socket that is reset 2–80 ms after the
request went out. Meanwhile well-behaved members keep reading and writing. Then it checks:

- no well-behaved request got a 5xx;
- the server log has no "non-zero transaction depth", "database is locked" or panic;
- a fresh sign-up succeeds at once, and /healthz says writes are ok;
- after a clean stop, `server verify-ledger` passes and `PRAGMA integrity_check` is ok.

Exits 1 on any failure, printing why; the last line is "N passed, N failed" over the checks.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/kindred/target"))
SERVER = TARGET / "release" / "server"
SITE = ROOT / "target" / "site"
DEMO_PASSWORD = "kindred-demo-password"
PASSWORD = "a long enough password"
SLUG = "river-keepers"
FORBIDDEN_IN_LOG = ("non-zero transaction depth", "database is locked", "panicked")


def say(message):
    print(f"==> {message}", flush=True)


class Member:
    """A signed-in member speaking HTTP/1.1 to the server, one request at a time."""

    def __init__(self, port, cookie=None):
        self.port = port
        self.cookie = cookie

    def post(self, endpoint, fields, timeout=30):
        body = urllib.parse.urlencode(fields, doseq=True)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("POST", endpoint, body, headers)
            response = connection.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("kindred_session="):
                    self.cookie = value.split(";", 1)[0]
            return response.status, data
        finally:
            connection.close()

    def get(self, path, timeout=30):
        return self.page(path, timeout)[0]

    def page(self, path, timeout=30):
        """GETs a page: its status and its HTML."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def json(self, endpoint, fields):
        status, data = self.post(endpoint, fields)
        if status != 200:
            raise SystemExit(f"{endpoint} answered {status}: {data[:300]!r}")
        return json.loads(data)


def sign_in(port, login, password):
    member = Member(port)
    status, data = member.post("/api/auth/sign_in", {"login": login, "password": password})
    if status >= 400 or not member.cookie:
        raise SystemExit(f"signing in {login} failed: {status} {data[:300]!r}")
    return member


def hang_up(port, request_bytes, after_seconds):
    """Sends a request and resets the connection `after_seconds` later, answer or not."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        sock.sendall(request_bytes)
        time.sleep(after_seconds)
        # SO_LINGER with a zero timeout: close() sends RST, the way a dropped phone does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        sock.close()


def raw_post(port, endpoint, fields, cookie):
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    lines = [
        f"POST {endpoint} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/x-www-form-urlencoded",
        "Accept: application/json",
        f"Content-Length: {len(body)}",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def busy_loops(count):
    code = "import time\nend = time.time() + 600\nwhile time.time() < end: pass\n"
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]


def prepare(doc, prefix, options):
    """Reads a fault script's options (name -> default; a type is taken from the default),
    checks the release server is built, and makes the run's scratch folder: (args, folder)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    for name, default in options.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    args = parser.parse_args()
    if not SERVER.exists():
        raise SystemExit(f"{SERVER} is missing: run `make build` first")
    return args, Path(tempfile.mkdtemp(prefix=f"kindred-{prefix}-"))


def finish(failures, work):
    """Exits 1 listing the first failures, if there are any; otherwise removes the run's folder."""
    if failures:
        print("FAILED:\n" + "\n".join(failures[:20]))
        sys.exit(1)
    subprocess.run(["rm", "-rf", str(work)], check=False)


def server_env(work, port, log):
    """The release server's environment for a test: the demo seeded on a fresh file in `work`."""
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite://{work / 'kindred.db'}",
        LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
        LEPTOS_SITE_ROOT=str(SITE),
        KINDRED_DEMO="1",
        KINDRED_LOG=log,
        KINDRED_AUTH_PER_MINUTE="100000",
        KINDRED_AUTH_PER_HOUR="1000000",
        KINDRED_POST_LIMITS="0",
        KINDRED_MAIL_DIR=str(work / "mail"),
    )


def main():
    args, work = prepare(__doc__, "hangups", {"clients": 300, "port": 3400, "seed": 13})
    rng = random.Random(args.seed)
    db = work / "kindred.db"
    log_path = work / "server.log"
    env = server_env(work, args.port, "info,sqlx=warn")
    server = subprocess.Popen([str(SERVER)], env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    load = []
    checks = {}
    try:
        deadline = time.time() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the server exited:\n{log_path.read_text()[-3000:]}")
            try:
                if Member(args.port).get("/healthz", timeout=2) == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.1)

        ada = sign_in(args.port, "ada", DEMO_PASSWORD)
        grace = sign_in(args.port, "grace", DEMO_PASSWORD)
        tomas = sign_in(args.port, "tomas", DEMO_PASSWORD)
        threads = ada.json("/api/discussions/threads", {"slug": SLUG})
        thread = (threads["pinned"] + threads["threads"])[0]["id"]
        options = tomas.json("/api/impact/contribute_options", {"slug": SLUG})
        goal = options["goals"][0][0]
        initiative = options["initiatives"][0][0] if options["initiatives"] else ""
        page = ada.json("/api/discussions/thread", {"slug": SLUG, "thread_id": thread})
        first_post = page["posts"][0]["id"]

        def contribution(n):
            return {
                "slug": SLUG,
                "form[description]": f"Litter picked, hang-up round {n}",
                "form[done_on]": time.strftime("%Y-%m-%d"),
                "form[quantity]": "3",
                "form[hours]": "1",
                "form[goal_id]": goal,
                "form[initiative_id]": initiative,
                "form[evidence_url]": "",
                "form[note]": "",
            }

        def request_for(n):
            kind = n % 8
            if kind == 0:
                return raw_post(args.port, "/api/communities/create", {
                    "form[name]": f"Hang-up Circle {n}", "form[slug]": "",
                    "form[mission]": "Testing what a dropped phone does.",
                    "form[vision]": "Nothing half-written.", "form[values]": "Care\nCourage",
                    "form[visibility]": "public", "form[join_policy]": "open",
                    "form[join_questions]": "",
                }, ada.cookie)
            if kind == 1:
                return raw_post(args.port, "/api/auth/sign_up", {
                    "handle": f"dropped{n}", "display_name": "Dropped Caller",
                    "email": f"dropped{n}@example.org", "password": PASSWORD,
                }, None)
            if kind == 2:
                return raw_post(args.port, "/api/discussions/start", {
                    "slug": SLUG, "title": f"Hang-up thread {n}", "body": "Who is in?",
                }, grace.cookie)
            if kind == 3:
                return raw_post(args.port, "/api/discussions/reply", {
                    "slug": SLUG, "thread_id": thread, "body": f"Reply {n} from a bad signal",
                }, tomas.cookie)
            if kind == 4:
                return raw_post(args.port, "/api/discussions/react", {
                    "slug": SLUG, "post_id": first_post, "kind": "heart",
                }, tomas.cookie)
            if kind == 5:
                return raw_post(args.port, "/api/impact/log_contribution", contribution(n), tomas.cookie)
            if kind == 6:
                return raw_post(args.port, "/api/users/update_profile", {
                    "display_name": f"Tomás {n}", "bio": "Van driver.", "skills": "driving", "interests": "",
                }, tomas.cookie)
            return raw_post(args.port, "/api/auth/sign_in", {"login": "grace", "password": DEMO_PASSWORD}, None)

        bystander_statuses = []
        bystander_errors = []
        storm_over = threading.Event()

        def bystander(member, index):
            n = 0
            while not storm_over.is_set():
                n += 1
                try:
                    if n % 3 == 0:
                        status, data = member.post("/api/discussions/reply", {
                            "slug": SLUG, "thread_id": thread, "body": f"Steady reply {index}-{n}",
                        })
                    elif n % 3 == 1:
                        status, data = member.post("/api/impact/log_contribution", contribution(f"{index}-{n}"))
                    else:
                        status, data = member.get(f"/c/{SLUG}/d/{thread}"), b""
                except OSError as error:
                    bystander_errors.append(f"{type(error).__name__}: {error}")
                    continue
                bystander_statuses.append(status)
                if status >= 500:
                    bystander_errors.append(f"{status}: {data[:200]!r}")

        say(f"hanging up {args.clients} writes at random moments with both cores busy")
        load = busy_loops(max(2, os.cpu_count() or 2))
        watchers = [
            threading.Thread(target=bystander, args=(sign_in(args.port, "ada", DEMO_PASSWORD), 0)),
            threading.Thread(target=bystander, args=(sign_in(args.port, "grace", DEMO_PASSWORD), 1)),
        ]
        for watcher in watchers:
            watcher.start()
        callers = []
        for n in range(args.clients):
            request = request_for(n)
            after = rng.uniform(0.002, 0.080)
            caller = threading.Thread(target=hang_up, args=(args.port, request, after))
            caller.start()
            callers.append(caller)
            if len(callers) % 25 == 0:
                time.sleep(0.05)
        for caller in callers:
            caller.join()
        time.sleep(1)
        storm_over.set()
        for watcher in watchers:
            watcher.join()
        for process in load:
            process.kill()
        load = []

        checks["bystanders got no 5xx"] = (
            not bystander_errors,
            f"{len(bystander_statuses)} requests, errors: {bystander_errors[:5]}",
        )

        started = time.time()
        fresh = Member(args.port)
        status, data = fresh.post("/api/auth/sign_up", {
            "handle": "after-the-storm", "display_name": "After", "email": "after@example.org",
            "password": PASSWORD,
        }, timeout=10)
        took = time.time() - started
        checks["a fresh sign-up succeeds at once"] = (
            status < 400 and took < 5,
            f"{status} in {took:.2f} s {data[:200]!r}",
        )
        status, data = tomas.post("/api/impact/log_contribution", contribution("final"), timeout=10)
        checks["a fresh contribution is logged"] = (status < 400, f"{status} {data[:200]!r}")
        health_connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        health_connection.request("GET", "/healthz")
        health_response = health_connection.getresponse()
        health = json.loads(health_response.read() or b"{}")
        checks["/healthz: writes ok"] = (
            health_response.status == 200 and health.get("writes") == "ok",
            f"{health_response.status} {health}",
        )
    finally:
        for process in load:
            process.kill()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()

    log_text = log_path.read_text(errors="replace")
    found = [line for line in log_text.splitlines() if any(bad in line for bad in FORBIDDEN_IN_LOG)]
    checks["log free of lock and transaction errors"] = (not found, "; ".join(found[:5]))
    verify = subprocess.run(
        [str(SERVER), "verify-ledger"], env=dict(env, KINDRED_DEMO="0"), capture_output=True, text=True
    )
    checks["verify-ledger passes"] = (verify.returncode == 0, (verify.stdout + verify.stderr).strip()[-300:])
    with sqlite3.connect(db) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = connection.execute(
            "SELECT COUNT(*) FROM contributions c WHERE NOT EXISTS "
            "(SELECT 1 FROM ledger_entries e WHERE e.id = c.id AND e.kind = 'reported')"
        ).fetchone()[0]
        communities = connection.execute("SELECT COUNT(*) FROM communities").fetchone()[0]
        ownerless = connection.execute(
            "SELECT COUNT(*) FROM communities c WHERE NOT EXISTS "
            "(SELECT 1 FROM memberships m WHERE m.community_id = c.id AND m.role = 'owner')"
        ).fetchone()[0]
    checks["integrity_check ok"] = (integrity == "ok", integrity)
    checks["no half-written rows"] = (
        orphans == 0 and ownerless == 0,
        f"{orphans} contributions without their ledger entry, {ownerless} of {communities} communities without an owner",
    )

    failed = 0
    for name, (ok, detail) in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
        failed += 0 if ok else 1
    if failed:
        print(f"server log kept at {log_path}")
    print(f"hangups: {len(checks) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
