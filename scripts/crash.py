#!/usr/bin/env python3
"""Crash consistency: kill -9 the release server under write load, again and again.

    python3 scripts/crash.py [--kills 20] [--port 3500] [--seed 7]

Starts the release server (`make build`) on a fresh SQLite file with the demo seeded. Each
round restarts it on the same file, has four members post replies and log contributions as
fast as it answers (each text unique, each form with its own form key), and `kill -9`s it
0.2–1.2 s in, mid-write; every fifth
round stops it with SIGTERM instead, which must exit 0 within 40 s and log no error (graceful
shutdown: in-flight requests finish, background jobs stop, the write queue drains). After
every stop, with the server down, it checks:

- every write the server acknowledged (a 2xx) in any round is in the database;
- `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` is empty;
- each thread's post count matches its posts, and each contribution has its ledger entry
  (nothing half-written);
- `server verify-ledger` passes.

A write whose connection the kill cut is in doubt: it may or may not have been made. When the
server is back, it is sent again with the same form key, as a browser retrying would, and must
then be there exactly once (no text is ever stored twice).

Prints "kills K, acknowledged writes checked W, retried R (M already made), lost L" and exits 1
on any failure.
`make test` runs 20 kills (`make test-crash`); `make crash` runs 1,000.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hangups import DEMO_PASSWORD, SERVER, SLUG, Member, finish, prepare, server_env, sign_in  # noqa: E402


def say(message):
    print(f"==> {message}", flush=True)


def start(env, port, log_path):
    server = subprocess.Popen([str(SERVER)], env=env, stdout=open(log_path, "a"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log_path.read_text()[-3000:]}")
        try:
            if Member(port).get("/healthz", timeout=2) == 200:
                return server
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("the server did not start")


def consistency_problems(db, acknowledged, prefix="crash"):
    """What is wrong with the database after a stop, for writes whose texts start with
    `prefix`: a list of sentences (empty when sound) and how many acknowledged ones are lost."""
    problems, lost = [], []
    connection = sqlite3.connect(db, timeout=30)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:3]}")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            problems.append(f"foreign_key_check: {broken[:3]}")
        replies = {row[0] for row in connection.execute("SELECT body_source FROM posts WHERE body_source LIKE ?", (f"{prefix} %",))}
        works = {row[0] for row in connection.execute("SELECT description FROM ledger_entries WHERE description LIKE ?", (f"{prefix} %",))}
        lost = [text for kind, text in acknowledged if text not in (replies if kind == "reply" else works)]
        if lost:
            problems.append(f"{len(lost)} acknowledged writes lost, e.g. {lost[:3]}")
        twice = connection.execute(
            "SELECT text FROM (SELECT body_source AS text FROM posts WHERE body_source LIKE ?1"
            " UNION ALL SELECT description FROM ledger_entries WHERE kind = 'reported' AND description LIKE ?1)"
            " GROUP BY text HAVING COUNT(*) > 1",
            (f"{prefix} %",),
        ).fetchall()
        if twice:
            problems.append(f"{len(twice)} writes stored twice, e.g. {twice[:3]}")
        miscounted = connection.execute(
            "SELECT COUNT(*) FROM threads t WHERE t.post_count != (SELECT COUNT(*) FROM posts p WHERE p.thread_id = t.id)"
        ).fetchone()[0]
        if miscounted:
            problems.append(f"{miscounted} threads whose post count does not match their posts")
        orphans = connection.execute(
            "SELECT COUNT(*) FROM contributions c WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.id = c.id)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} contributions without their ledger entry")
    finally:
        connection.close()
    return problems, len(lost)


def stop_gracefully(server, seconds=40):
    """SIGTERM, then the exit code — or a sentence, after a kill, when it took too long."""
    server.send_signal(signal.SIGTERM)
    try:
        return server.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        return f"none (killed after {seconds} s)"


def already_made(db, texts):
    """Which of `texts` the database already holds (as a reply or a reported contribution)."""
    connection = sqlite3.connect(db, timeout=30)
    try:
        found = set()
        for text in texts:
            row = connection.execute(
                "SELECT 1 FROM posts WHERE body_source = ? UNION ALL "
                "SELECT 1 FROM ledger_entries WHERE kind = 'reported' AND description = ?",
                (text, text),
            ).fetchone()
            if row:
                found.add(text)
        return found
    finally:
        connection.close()


def main():
    args, work = prepare(__doc__, "crash", {"kills": 20, "port": 3500, "seed": 7})
    rng = random.Random(args.seed)
    db = work / "kindred.db"
    log_path = work / "server.log"
    env = server_env(work, args.port, "warn")
    server = start(env, args.port, log_path)
    members = [sign_in(args.port, login, DEMO_PASSWORD) for login in ("ada", "grace", "tomas", "ada")]
    threads = members[0].json("/api/discussions/threads", {"slug": SLUG})
    thread = (threads["pinned"] + threads["threads"])[0]["id"]
    goal = members[2].json("/api/impact/contribute_options", {"slug": SLUG})["goals"][0][0]

    acknowledged = []
    in_doubt = []  # (member, kind, text, endpoint, fields): cut off by a kill
    lock = threading.Lock()
    failures = []
    lost_total = 0
    retried = 0
    made_before_retry = 0  # cut off after the commit: the retry must not make them again

    def retry_in_doubt():
        """Sends every write the last stop cut off again, with its form key."""
        nonlocal retried, made_before_retry
        made_before_retry += len(already_made(db, [text for _, _, text, _, _ in in_doubt]))
        for member, kind, text, endpoint, fields in in_doubt:
            status, body = member.post(endpoint, fields, timeout=30)
            if 200 <= status < 300:
                acknowledged.append((kind, text))
                retried += 1
            else:
                failures.append(f"retrying {text!r}: {endpoint} answered {status} {body[:200]!r}")
        in_doubt.clear()

    for round_number in range(args.kills):
        if server is None:
            server = start(env, args.port, log_path)
        retry_in_doubt()
        stop = threading.Event()

        def write(worker, member):
            n = 0
            while not stop.is_set():
                n += 1
                text = f"crash r{round_number} w{worker} n{n}"
                key = f"r{round_number}w{worker}n{n}"
                if n % 2:
                    kind, endpoint, fields = "reply", "/api/discussions/reply", {
                        "slug": SLUG, "thread_id": thread, "body": text, "form_key": key}
                else:
                    kind, endpoint, fields = "contribution", "/api/impact/log_contribution", {
                        "slug": SLUG, "form[description]": text, "form[done_on]": time.strftime("%Y-%m-%d"),
                        "form[quantity]": "2", "form[hours]": "1", "form[goal_id]": goal, "form[initiative_id]": "",
                        "form[evidence_url]": "", "form[note]": "", "form_key": key}
                try:
                    status, _body = member.post(endpoint, fields, timeout=10)
                except OSError:
                    # The server is gone: this write was never acknowledged, and may or
                    # may not have been made. Sent again once the server is back.
                    with lock:
                        in_doubt.append((member, kind, text, endpoint, fields))
                    return
                if 200 <= status < 300:
                    with lock:
                        acknowledged.append((kind, text))
                else:
                    with lock:
                        failures.append(f"round {round_number}: {endpoint} answered {status} {_body[:200]!r}")
                    return

        workers = [threading.Thread(target=write, args=(i, m)) for i, m in enumerate(members)]
        for worker in workers:
            worker.start()
        time.sleep(rng.uniform(0.2, 1.2))
        graceful = round_number % 5 == 4
        log_offset = log_path.stat().st_size
        if graceful:
            # Every fifth round is a clean stop: SIGTERM under the same load.
            code = stop_gracefully(server)
            if code != 0:
                failures.append(f"round {round_number}: after SIGTERM the server exited with {code}")
            with open(log_path, errors="replace") as log:
                log.seek(log_offset)
                shutdown_log = log.read()
            for line in shutdown_log.splitlines():
                if "ERROR" in line or "panicked" in line or "closed" in line.lower() and "pool" in line:
                    failures.append(f"round {round_number}: logged at shutdown: {line[-300:]}")
        else:
            server.send_signal(signal.SIGKILL)
            server.wait()
        server = None
        stop.set()
        for worker in workers:
            worker.join()
        with lock:
            snapshot = list(acknowledged)
        problems, lost = consistency_problems(db, snapshot)
        lost_total += lost
        verify = subprocess.run([str(SERVER), "verify-ledger"], env=env, capture_output=True, text=True)
        if verify.returncode != 0:
            problems.append(f"verify-ledger: {verify.stdout.strip()} {verify.stderr.strip()[-300:]}")
        for problem in problems:
            failures.append(f"after kill {round_number + 1}: {problem}")
        if (round_number + 1) % 50 == 0 or round_number + 1 == args.kills:
            say(f"{round_number + 1} kills, {len(snapshot)} acknowledged writes checked")

    if in_doubt:
        # The last stop's cut-off writes, sent again on a server started for them alone.
        server = start(env, args.port, log_path)
        retry_in_doubt()
        stop_gracefully(server)
        problems, lost = consistency_problems(db, list(acknowledged))
        lost_total += lost
        failures.extend(f"after the last retries: {problem}" for problem in problems)

    print(
        f"kills {args.kills}, acknowledged writes checked {len(acknowledged)}, "
        f"retried {retried} ({made_before_retry} already made), lost {lost_total}"
    )
    if len(acknowledged) < args.kills:
        failures.append(f"only {len(acknowledged)} writes were acknowledged in {args.kills} rounds")
    finish(failures, work)


if __name__ == "__main__":
    main()
