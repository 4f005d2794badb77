"""The benchmark's verdicts: errors that fail a run, every figure against its budget, and
the tables printed and written to target/bench/results.md (for docs/PERFORMANCE.md).
`bench/run.py` measures; this module only reads its results."""

# The pages the phone client and Lighthouse measure, in the order they are reported.
CLIENT_PAGES = ("thread page", "community home", "discussion list", "goals (split chunk)")


def within(value, limit, higher_is_better=False):
    if value is None:
        return "n/a"
    ok = value >= limit if higher_is_better else value <= limit
    return "within" if ok else "OVER"


def check(results):
    """Errors in any scenario mean something is broken (not merely slow)."""
    failures = []
    for name, entry in results["reads"].items():
        for side in ("kindred", "rendered", "ceiling"):
            if side not in entry:
                continue
            for c in ("c32", "c1"):
                if entry[side][c]["errors"]:
                    failures.append(f"{name} ({side}, {c}): {entry[side][c]['errors']} errors {entry[side][c]['first_errors']}")
    if results["download_5mb"]["errors"]:
        failures.append(f"5 MB download: {results['download_5mb']['errors']} errors")
    for name, entry in results["writes"].items():
        if entry["errors"]:
            failures.append(f"{name}: {entry['errors']} errors {entry['first_errors']}")
    return failures


def budgets(r):
    rows = []
    for name, entry in r["reads"].items():
        k = entry["kindred"]
        floor = 0.20 if name in ("thread, first page", "discussion list") else 0.15
        rows.append((f"{name}: rps vs ceiling (rendered)", f"{entry['fraction_of_ceiling']:.0%}", f">= {floor:.0%}", within(entry["fraction_of_ceiling"], floor, True)))
        rows.append((f"{name}: 1 conn p50 / p99", f"{k['c1']['p50_ms']:.2f} / {k['c1']['p99_ms']:.2f} ms", "<= 5 / 10 ms",
                     within(max(k["c1"]["p50_ms"] / 5, k["c1"]["p99_ms"] / 10), 1.0)))
        rows.append((f"{name}: 32 conn p99", f"{k['c32']['p99_ms']:.1f} ms", "<= 50 ms", within(k["c32"]["p99_ms"], 50)))
    mixed = r["writes"]["mixed"]
    rows.append(("mixed: p99, errors, locked", f"{mixed['p99_ms']:.1f} ms, {mixed['errors']}, {r['database_locked']}", "<= 50 ms, 0, 0",
                 "within" if mixed["p99_ms"] <= 50 and mixed["errors"] == 0 and r["database_locked"] == 0 else "OVER"))
    rsvp = r["writes"]["rsvp"]
    rows.append(("RSVPs to one event (32 conn): over capacity, p99", f"{rsvp['over_capacity']}, {rsvp['p99_ms']:.1f} ms", "0, <= 50 ms",
                 "within" if rsvp["over_capacity"] == 0 and rsvp["p99_ms"] <= 50 else "OVER"))
    for mode in ("reply", "contribute"):
        w = r["writes"][mode]
        rows.append((f"writes ({mode}): rps, p99", f"{w['rps']:.0f}/s, {w['p99_ms']:.1f} ms", ">= 2000/s, <= 30 ms",
                     "within" if w["rps"] >= 2000 and w["p99_ms"] <= 30 else "OVER"))
    d = r["download_5mb"]
    rows.append(("5 MB download (8 conn): rps, memory growth", f"{d['rps']:.0f}/s, {d['rss_growth_mb']:.1f} MB", "streams: < 40 MB (8 whole files)",
                 within(d["rss_growth_mb"], 40)))
    rows.append(("memory idle / peak", f"{r['rss_mb']['idle']:.1f} / {r['rss_mb']['peak']:.1f} MB", "<= 30 / 150 MB",
                 "within" if r["rss_mb"]["idle"] <= 30 and r["rss_mb"]["peak"] <= 150 else "OVER"))
    c = r["cold_start_ms"]
    rows.append(("cold start (scale db / first boot)", f"{c['scale_db']:.0f} / {c['first_boot_with_migrations']:.0f} ms", "<= 100 / 500 ms",
                 "within" if c["scale_db"] <= 100 and c["first_boot_with_migrations"] <= 500 else "OVER"))
    wasm = r["wasm_bytes"]
    rows.append(("main WASM raw / gzip / brotli", f"{wasm['raw']/1024:.0f} / {wasm['gzip']/1024:.0f} / {wasm['brotli']/1024:.0f} KB", "brotli <= 300 KB", within(wasm["brotli"] / 1024, 300)))
    rows.append(("split-out chunks (brotli, all)", f"{wasm['chunks']} files, {wasm['chunks_brotli']/1024:.0f} KB", "(fetched per page)", "info"))
    for name in CLIENT_PAGES:
        c = r["client"][name]
        rows.append((f"{name}: bytes to interactive (WASM+JS, br)", f"{c['bytes']/1024:.0f} KB", "<= 300 KB", within(c["bytes"] / 1024, 300)))
        rows.append((f"{name}: hydration at 4x", f"{c['median_ms']:.0f} ms", "<= 250 ms", within(c["median_ms"], 250)))
    nav = r["client_navigation"]
    if nav["median_ms"] is not None:
        rows.append(("client navigation at 4x: list -> thread", f"{nav['median_ms']:.0f} ms", "(reported)", "info"))
    for name, lh in r["lighthouse"].items():
        low = min(lh["scores"].values())
        rows.append((f"lighthouse mobile: {name}", " / ".join(f"{k} {v}" for k, v in lh["scores"].items()), ">= 95 each", within(low, 95, True)))
    served = all(v["encoding"] in ("br", "gzip") for v in r["response_bytes"].values())
    rows.append(("HTML and assets compressed", ", ".join(f"{k} {v['encoding']}" for k, v in r["response_bytes"].items()), "br or gzip", "within" if served else "OVER"))
    if "postgres" in r:
        import fleet
        rows += fleet.budget_rows(r["postgres"], within)
    if "scale10" in r:
        rows.append(("scale-10 / scale-1 thread rps", f"{r['scale10']['ratio_to_scale1']:.2f}", ">= 0.8", within(r["scale10"]["ratio_to_scale1"], 0.8, True)))
    return [{"figure": a, "measured": b, "budget": c, "verdict": d} for a, b, c, d in rows]


def print_table(r):
    print(f"\nKindred benchmark — scale {r['scale']:g}, {r['seconds_per_scenario']:g} s per scenario, {r['machine']['cpus']} CPUs")
    print(f"data: {r['data']}")
    print(f"\n{'page':<22} {'kindred rps':>12} {'ceiling rps':>12} {'share':>6} {'p50/p90/p99 @32 ms':>22} {'p50/p99 @1 ms':>15}")
    print(f"{'hello (bare axum)':<22} {'':>12} {r['hello']['rps']:>12.0f}")
    for name, e in r["reads"].items():
        k32, k1 = e["kindred"]["c32"], e["kindred"]["c1"]
        print(f"{name:<22} {k32['rps']:>12.0f} {e['ceiling']['c32']['rps']:>12.0f} {e['fraction_of_ceiling']:>6.0%} "
              f"{k32['p50_ms']:>6.1f}/{k32['p90_ms']:.1f}/{k32['p99_ms']:.1f}{'':>4} {k1['p50_ms']:>6.2f}/{k1['p99_ms']:.2f}")
    for name, w in r["writes"].items():
        print(f"{name + ' (writes)' if name != 'mixed' else 'mixed 80/20, 50 users':<22} {w['rps']:>12.0f} {'':>12} {'':>6} {w['p50_ms']:>6.1f}/{w['p90_ms']:.1f}/{w['p99_ms']:.1f}   errors {w['errors']}")
    print(f"\n{'budget':<38} {'measured':<40} {'limit':<22} verdict")
    for row in r["budgets"]:
        print(f"{row['figure']:<38} {row['measured']:<40} {row['budget']:<22} {row['verdict']}")


def markdown(r):
    """The same figures as Markdown tables, for docs/PERFORMANCE.md."""
    lines = [
        f"Run {r['when']}: scale {r['scale']:g}, {r['seconds_per_scenario']:g} s per scenario, "
        f"{r['machine']['cpus']} CPUs, {r['machine']['memory_gb']} GB, Linux {r['machine']['kernel']}.",
        "",
        "Anonymous pages as served (from the anonymous page cache while nothing is written); "
        "\"rendered\" is the same page rendered afresh for every request (a cookie skips the cache), "
        "which the share of the ceiling compares. Member pages are always rendered.",
        "",
        "| page | Kindred rps (32 conn) | p50 / p90 / p99 at 32 (ms) | p50 / p99 at 1 (ms) | rendered: rps, p99 at 32 / p50 at 1 (ms) | ceiling rps | share of ceiling |",
        "|---|---:|---|---|---|---:|---:|",
        f"| bare `hello` | | | | | {r['hello']['rps']:.0f} | |",
    ]
    for name, e in r["reads"].items():
        k32, k1 = e["kindred"]["c32"], e["kindred"]["c1"]
        rendered = e.get("rendered")
        afresh = (f"{rendered['c32']['rps']:.0f}, {rendered['c32']['p99_ms']:.1f} / {rendered['c1']['p50_ms']:.2f}"
                  if rendered else "(always)")
        lines.append(
            f"| {name} | {k32['rps']:.0f} | {k32['p50_ms']:.1f} / {k32['p90_ms']:.1f} / {k32['p99_ms']:.1f} | "
            f"{k1['p50_ms']:.2f} / {k1['p99_ms']:.2f} | {afresh} | {e['ceiling']['c32']['rps']:.0f} | {e['fraction_of_ceiling']:.0%} |"
        )
    lines += ["", "| writes | rps | p50 / p90 / p99 (ms) | errors |", "|---|---:|---|---:|"]
    for name, w in r["writes"].items():
        lines.append(f"| {name} | {w['rps']:.0f} | {w['p50_ms']:.1f} / {w['p90_ms']:.1f} / {w['p99_ms']:.1f} | {w['errors']} |")
    if "postgres" in r:
        import fleet
        lines.append(fleet.markdown(r["postgres"]))
    lines += ["", "| budget | measured | limit | verdict |", "|---|---|---|---|"]

    for row in r["budgets"]:
        lines.append(f"| {row['figure']} | {row['measured']} | {row['budget']} | {row['verdict']} |")
    lines += ["", "Lighthouse (mobile) — where points were lost:", ""]
    for name, lh in r.get("lighthouse", {}).items():
        lines.append(f"- {name}: {'; '.join(lh['lost']) or 'nothing'}")
    return "\n".join(lines) + "\n"
