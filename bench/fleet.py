"""The benchmark's PostgreSQL part: the same generated data moved to a throwaway PostgreSQL
cluster with `server migrate-data`, then the read and write scenarios against one instance,
and against two instances on that database (two wrk clients, one per instance, each with
half the connections — what a load balancer in front of them would spread).

Called by run.py with the run module itself (`bench`), whose harness it reuses.
"""

import os
import re
import subprocess
import threading
import time


def start_cluster(bench):
    """A throwaway cluster (scripts/postgres.sh) that keeps fsync on, as production does.
    Returns (url, directory)."""
    out = subprocess.run(
        ["bash", str(bench.ROOT / "scripts" / "postgres.sh"), "start", "--durable"],
        check=True, capture_output=True, text=True,
    ).stdout
    found = dict(re.findall(r"export (\w+)=(\S+)", out))
    return found["KINDRED_TEST_POSTGRES_URL"], found["KINDRED_TEST_POSTGRES_DIR"]


def stop_cluster(bench, directory):
    subprocess.run(["bash", str(bench.ROOT / "scripts" / "postgres.sh"), "stop", directory], check=False)


def instance_env(bench, url, port, folder):
    env = bench.kindred_env(folder / "unused.db")
    env["DATABASE_URL"] = url
    env["LEPTOS_SITE_ADDR"] = f"127.0.0.1:{port}"
    return env


def together(jobs):
    """Runs the wrk calls in `jobs` at the same time; returns their results in order."""
    results = [None] * len(jobs)

    def run(index, job):
        results[index] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def combined(parts):
    """Two clients' figures as one: requests and rates add up; each latency percentile is
    the worse of the two (a conservative reading of the merged distribution)."""
    merged = {"rps": sum(p["rps"] for p in parts), "errors": sum(p["errors"] for p in parts),
              "first_errors": [e for p in parts for e in p["first_errors"]][:4]}
    for key in ("p50_ms", "p90_ms", "p99_ms", "max_ms"):
        merged[key] = max(p[key] for p in parts)
    return merged


def run(bench, db, pages, duration, smoke, reply_thread, yesterday, read_paths, handles):
    """Every PostgreSQL figure: migration time, reads and writes on one instance, reads and
    writes on two. Returns the results' `postgres` entry."""
    base_port = bench.KINDRED_PORT
    second_port = base_port + 1
    folder = bench.OUT / "postgres"
    folder.mkdir(parents=True, exist_ok=True)
    url, directory = start_cluster(bench)
    servers = []
    try:
        bench.log("postgres: moving the generated data over (server migrate-data)")
        started = time.perf_counter()
        subprocess.run(
            [str(bench.SERVER), "migrate-data", "--from", f"sqlite://{db}", "--to", url],
            env=dict(os.environ, DATABASE_URL=f"sqlite://{db}", KINDRED_LOG="warn"),
            check=True, capture_output=True, text=True,
        )
        figures = {"migrate_data_s": time.perf_counter() - started}
        first = bench.Server([], instance_env(bench, url, base_port, folder), base_port, "kindred-postgres")
        servers.append(first)
        figures["cold_start_ms"] = first.ready_after * 1000

        chosen = pages if not smoke else {k: v for k, v in pages.items() if k in ("thread, first page", "community home")}
        reads = {}
        for name, path in chosen.items():
            bench.log(f"postgres read: {name}")
            reads[name] = {
                "c32": bench.wrk(f"http://127.0.0.1:{base_port}{path}", 32, duration),
                "c1": bench.wrk(f"http://127.0.0.1:{base_port}{path}", 1, duration),
                "rendered_c32": bench.wrk(f"http://127.0.0.1:{base_port}{path}", 32, duration,
                                          headers=(bench.RENDER_AFRESH,)),
            }
        figures["reads"] = reads

        members = bench.sign_in(handles)
        cookie_file = folder / "cookies.txt"
        cookie_file.write_text("\n".join(members) + "\n")

        def write(port, mode, connections, tag):
            return bench.wrk(f"http://127.0.0.1:{port}", connections, duration, "writes.lua",
                             (str(cookie_file), mode, read_paths, str(reply_thread), yesterday, tag))

        writes = {}
        for mode in ("reply", "contribute", "mixed"):
            bench.log(f"postgres write: {mode}")
            writes[mode] = write(base_port, mode, 32 if mode != "mixed" else 50, "one")
        figures["writes"] = writes
        figures["rss_mb"] = first.rss_kb("VmHWM") / 1024

        bench.log("postgres: a second instance on the same database")
        second = bench.Server([], instance_env(bench, url, second_port, folder), second_port, "kindred-postgres-b")
        servers.append(second)
        two = {}
        for name in ("thread, first page", "community home"):
            path = pages[name]
            bench.log(f"postgres, two instances, read: {name}")
            two[name] = combined(together([
                lambda port=port: bench.wrk(f"http://127.0.0.1:{port}{path}", 16, duration)
                for port in (base_port, second_port)
            ]))
        for mode in ("reply", "contribute"):
            bench.log(f"postgres, two instances, write: {mode}")
            two[f"{mode} (writes)"] = combined(together([
                lambda port=port, tag=tag: write(port, mode, 16, tag)
                for port, tag in ((base_port, "a"), (second_port, "b"))
            ]))
        figures["two_instances"] = two
        return figures
    finally:
        for server in servers:
            server.stop()
        stop_cluster(bench, directory)


def failures(figures):
    """Errors in any PostgreSQL scenario."""
    found = []
    scenarios = [(f"postgres read {n} {c}", e[c]) for n, e in figures["reads"].items() for c in ("c32", "c1", "rendered_c32")]
    scenarios += [(f"postgres write {n}", w) for n, w in figures["writes"].items()]
    scenarios += [(f"postgres two instances {n}", w) for n, w in figures["two_instances"].items()]
    for name, figure in scenarios:
        if figure["errors"]:
            found.append(f"{name}: {figure['errors']} errors {figure['first_errors']}")
    return found


def budget_rows(figures, within):
    """The read-page budgets on PostgreSQL, and the write and two-instance figures."""
    rows = []
    reads = figures["reads"]
    worst_p50 = max(e["c1"]["p50_ms"] for e in reads.values())
    worst_p99 = max(e["c32"]["p99_ms"] for e in reads.values())
    rows.append(("postgres: slowest page, 1 conn p50", f"{worst_p50:.2f} ms", "<= 5 ms", within(worst_p50, 5)))
    rows.append(("postgres: slowest page, 32 conn p99", f"{worst_p99:.1f} ms", "<= 50 ms", within(worst_p99, 50)))
    worst_rendered = max(e["rendered_c32"]["p99_ms"] for e in reads.values())
    rows.append(("postgres: slowest page rendered afresh, 32 conn p99", f"{worst_rendered:.1f} ms", "(reported)", "info"))
    for mode, w in figures["writes"].items():
        rows.append((f"postgres writes ({mode}): rps, p99", f"{w['rps']:.0f}/s, {w['p99_ms']:.1f} ms", "(reported)", "info"))
    for name, w in figures["two_instances"].items():
        rows.append((f"postgres x2: {name}: rps, p99", f"{w['rps']:.0f}/s, {w['p99_ms']:.1f} ms", "(reported)", "info"))
    return rows


def markdown(figures):
    """The PostgreSQL figures as Markdown tables."""
    lines = [
        "",
        f"PostgreSQL 15 (fsync on), the same data moved over by `server migrate-data` in "
        f"{figures['migrate_data_s']:.1f} s; cold start {figures['cold_start_ms']:.0f} ms; "
        f"peak memory of the first instance {figures['rss_mb']:.1f} MB.",
        "",
        "| page (one instance) | rps (32 conn) | p50 / p90 / p99 at 32 (ms) | p50 / p99 at 1 (ms) | rendered afresh: rps, p99 at 32 (ms) |",
        "|---|---:|---|---|---|",
    ]
    for name, e in figures["reads"].items():
        k32, k1, r32 = e["c32"], e["c1"], e["rendered_c32"]
        lines.append(f"| {name} | {k32['rps']:.0f} | {k32['p50_ms']:.1f} / {k32['p90_ms']:.1f} / {k32['p99_ms']:.1f} | "
                     f"{k1['p50_ms']:.2f} / {k1['p99_ms']:.2f} | {r32['rps']:.0f}, {r32['p99_ms']:.1f} |")
    lines += ["", "| scenario | one instance rps | p99 (ms) | two instances rps | p99 (ms) |", "|---|---:|---:|---:|---:|"]
    one = dict(figures["writes"])
    for name in ("thread, first page", "community home"):
        if name in figures["reads"]:
            one[name] = figures["reads"][name]["c32"]
    for name, w in figures["two_instances"].items():
        key = name.replace(" (writes)", "")
        single = one.get(key)
        lines.append(f"| {name} | {single['rps']:.0f} | {single['p99_ms']:.1f} | {w['rps']:.0f} | {w['p99_ms']:.1f} |"
                     if single else f"| {name} | | | {w['rps']:.0f} | {w['p99_ms']:.1f} |")
    return "\n".join(lines) + "\n"
