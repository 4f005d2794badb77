#!/usr/bin/env python3
"""Soak: simulated members use the release server for a long time; nothing may drift.

    python3 scripts/soak.py [--minutes 30] [--members 50] [--port 3600] [--seed 5] [--stall 15]

Starts the release server (`make build`) on a fresh SQLite file with the demo seeded, signs
up `--members` members who join River Keepers, and has each of them browse and write like a
person with a little think time: 80% reads (the community home, discussions, a thread, goals,
the recognition wall, the library, their notifications) and 20% writes (replies and logged
contributions, each form with its form key). It samples the server's resident memory and the
WAL file every 5 seconds. At the end it stops the server with SIGTERM and checks:

- no response was a 5xx, every page came whole (its title and the stylesheet in its head,
  and a lazily loaded page the preload hint for its chunk),
  and the log has no "database is locked", no panic, no error and no Leptos meta tag made
  outside its request (the sign of a reactive owner left on a worker thread, see
  `server/src/task_owner.rs`);
- every acknowledged write is in the database exactly once (0 lost), `integrity_check` is
  ok, `foreign_key_check` is empty, thread counts match and `server verify-ledger` passes;
- resident memory after warm-up (the first fifth of the run, at least 60 s) grew less than
  10%, and the WAL stayed under 64 MB (checkpoints keep up).

With `--stall S` the server process is frozen (SIGSTOP) for S seconds a third of the way
into the warm-up and then let go (SIGCONT), as a VM pause or a swap storm would: every member's request
queued meanwhile must still be answered, with no panic and no 5xx.

`make test` runs 2 minutes with a 15-second stall (`make test-soak`); `make soak` runs 30.
Prints one summary line and exits 1 on any failure.
"""

import http.client
import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash import consistency_problems, start, stop_gracefully  # noqa: E402
from hangups import PASSWORD, SERVER, SLUG, Member, finish, prepare, server_env  # noqa: E402

WAL_LIMIT_MB = 64
GROWTH_LIMIT = 0.10


def say(message):
    print(f"==> {message}", flush=True)


# Pages whose code is a lazily loaded WASM chunk: their head must hint it (server/src/preloads.rs).
LAZY_PAGES = ("/goals", "/recognition", "/library")


def whole_page(path, html):
    """A page as a member must get it: its own title and the site's stylesheet in the head
    (the title is put there by Leptos's meta context, which a page render must find) and,
    for a lazily loaded page, the preload hint for its code's chunk."""
    head = html.split("</head>", 1)[0]
    titled = "<title>" in head and "</title>" in head and "<title></title>" not in head
    hinted = not path.endswith(LAZY_PAGES) or 'href="/pkg/split___' in head
    return titled and "/pkg/kindred.css" in head and hinted


def resident_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def sqlite_memory_kib(port):
    """SQLite's own count of the memory it holds, from the health check (0 if unreadable)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        body = json.loads(connection.getresponse().read())
        connection.close()
        return int(body.get("sqlite_memory_bytes", 0)) // 1024
    except (OSError, ValueError):
        return 0


def main():
    # --stall freezes the server this many seconds a third of the way into the warm-up.
    options = {"minutes": 30.0, "members": 50, "port": 3600, "seed": 5, "stall": 0.0}
    args, work = prepare(__doc__, "soak", options)
    db = work / "kindred.db"
    wal = work / "kindred.db-wal"
    log_path = work / "server.log"
    env = server_env(work, args.port, "warn")
    env["RUST_BACKTRACE"] = "1"  # a panic, if any, says where
    server = start(env, args.port, log_path)
    failures = []

    say(f"signing up {args.members} members")
    stamp = int(time.time()) % 100000
    members = []
    for i in range(args.members):
        member = Member(args.port)
        handle = f"soak{stamp}m{i}"
        status, body = member.post("/api/auth/sign_up", {
            "handle": handle, "display_name": f"Soak {i}", "email": f"{handle}@example.org",
            "password": PASSWORD})
        if status >= 400 or not member.cookie:
            raise SystemExit(f"sign-up {handle}: {status} {body[:200]!r}")
        status, body = member.post("/api/communities/join", {"slug": SLUG, "affirm": "yes"})
        if status >= 400:
            raise SystemExit(f"join {handle}: {status} {body[:200]!r}")
        members.append(member)
    threads = members[0].json("/api/discussions/threads", {"slug": SLUG})
    every_thread = threads["pinned"] + threads["threads"]
    thread_ids = [t["id"] for t in every_thread if not t["locked"]]
    goal = members[0].json("/api/impact/contribute_options", {"slug": SLUG})["goals"][0][0]
    reads = [f"/c/{SLUG}", f"/c/{SLUG}/discussions", f"/c/{SLUG}/goals", f"/c/{SLUG}/recognition",
             f"/c/{SLUG}/library", "/notifications"] + [f"/c/{SLUG}/d/{t['id']}" for t in every_thread]

    stop = threading.Event()
    lock = threading.Lock()
    counts = {"reads": 0, "writes": 0, "5xx": 0, "other": 0, "incomplete": 0}
    incomplete = []
    acknowledged = []

    def browse(index, member):
        rng = random.Random(args.seed * 1000 + index)
        n = 0
        while not stop.is_set():
            time.sleep(rng.uniform(0.05, 0.5))  # think time
            n += 1
            try:
                if rng.random() < 0.8:
                    path = rng.choice(reads)
                    (status, html), kind = member.page(path), "reads"
                    if status == 200 and not whole_page(path, html):
                        with lock:
                            counts["incomplete"] += 1
                            incomplete.append(path)
                elif rng.random() < 0.5:
                    text = f"soak m{index} n{n}"
                    status, _ = member.post("/api/discussions/reply", {
                        "slug": SLUG, "thread_id": rng.choice(thread_ids), "body": text,
                        "form_key": f"m{index}n{n}"})
                    kind = "writes"
                    if 200 <= status < 400:
                        with lock:
                            acknowledged.append(("reply", text))
                else:
                    text = f"soak m{index} n{n}"
                    status, _ = member.post("/api/impact/log_contribution", {
                        "slug": SLUG, "form[description]": text,
                        "form[done_on]": time.strftime("%Y-%m-%d"), "form[quantity]": "1",
                        "form[hours]": "1", "form[goal_id]": goal, "form[initiative_id]": "",
                        "form[evidence_url]": "", "form[note]": "", "form_key": f"m{index}n{n}"})
                    kind = "writes"
                    if 200 <= status < 400:
                        with lock:
                            acknowledged.append(("contribution", text))
            except OSError as error:
                with lock:
                    failures.append(f"member {index}: {error}")
                return
            with lock:
                counts[kind] += 1
                if status >= 500:
                    counts["5xx"] += 1
                elif status >= 400:
                    counts["other"] += 1

    seconds = args.minutes * 60
    warm_up = max(60.0, seconds / 5)
    say(f"{args.members} members for {args.minutes:g} minutes (warm-up {warm_up:.0f} s)")
    workers = [threading.Thread(target=browse, args=(i, m)) for i, m in enumerate(members)]
    for worker in workers:
        worker.start()
    began = time.time()
    if args.stall:
        def freeze():
            # Within the warm-up: the burst after the stall raises the high-water mark
            # once, which is not the steady growth the memory check is about.
            if stop.wait(warm_up / 3):
                return
            say(f"freezing the server for {args.stall:g} s")
            server.send_signal(signal.SIGSTOP)
            time.sleep(args.stall)
            server.send_signal(signal.SIGCONT)
        threading.Thread(target=freeze, daemon=True).start()
    samples = []  # (seconds since start, RSS KiB, WAL bytes, SQLite's memory KiB)
    while time.time() - began < seconds:
        time.sleep(5)
        if server.poll() is not None:
            failures.append("the server exited during the soak")
            break
        samples.append((time.time() - began, resident_kib(server.pid),
                        wal.stat().st_size if wal.exists() else 0, sqlite_memory_kib(args.port)))
    stop.set()
    for worker in workers:
        worker.join()
    code = stop_gracefully(server)
    if code != 0:
        failures.append(f"after SIGTERM the server exited with {code}")

    log = log_path.read_text(errors="replace")
    for needle in ("database is locked", "panicked", "ERROR", "without `ServerMetaContext` provided"):
        if needle in log:
            line = next(l for l in log.splitlines() if needle in l)
            failures.append(f"the log has {needle!r}: {line[-300:]}")
    if counts["5xx"]:
        failures.append(f"{counts['5xx']} responses were 5xx")
    if counts["incomplete"]:
        failures.append(f"{counts['incomplete']} pages came without their title, stylesheet or chunk hint "
                        f"(first: {incomplete[0]})")
    if counts["other"]:
        failures.append(f"{counts['other']} responses were 4xx")

    problems, lost = consistency_problems(db, acknowledged, prefix="soak")
    failures.extend(problems)
    verify = subprocess.run([str(SERVER), "verify-ledger"], env=env, capture_output=True, text=True)
    if verify.returncode != 0:
        failures.append(f"verify-ledger: {verify.stdout.strip()} {verify.stderr.strip()[-300:]}")

    settled = [rss for at, rss, _, _ in samples if at >= warm_up]
    baseline = settled[0] if settled else 0
    final = sorted(settled[-3:])[len(settled[-3:]) // 2] if settled else 0
    growth = (final - baseline) / baseline if baseline else 0.0
    wal_max = max((w for _, _, w, _ in samples), default=0) / 1e6
    if not settled:
        failures.append("no memory samples after warm-up")
    elif growth >= GROWTH_LIMIT:
        failures.append(f"resident memory grew {growth:.1%} after warm-up ({baseline} → {final} KiB)")
    if wal_max >= WAL_LIMIT_MB:
        failures.append(f"the WAL reached {wal_max:.1f} MB")

    print(
        f"soak {args.minutes:g} min, {args.members} members: {counts['reads']} reads, "
        f"{counts['writes']} writes ({len(acknowledged)} acknowledged, lost {lost}), "
        f"5xx {counts['5xx']}, RSS after warm-up {baseline / 1024:.1f} → {final / 1024:.1f} MB "
        f"({growth:+.1%}), WAL max {wal_max:.1f} MB"
    )
    # The memory curve, in about ten steps, to tell a leak from caches filling up.
    step = max(1, len(samples) // 10)
    curve = ", ".join(f"{at / 60:.0f} min {rss / 1024:.1f} ({sqlite / 1024:.1f})"
                      for at, rss, _, sqlite in samples[::step])
    print(f"resident memory (SQLite's share) in MB by time: {curve}")
    finish(failures, work)


if __name__ == "__main__":
    main()
