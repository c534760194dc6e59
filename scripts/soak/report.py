"""The soak's report: summary.json and soak-report.md in the output directory, from run.json's data
and samples.csv. `python3 report.py OUT_DIR` rewrites them from those files."""
import csv
import json
import os
import re
import statistics
import sys


def _samples(out):
    rows = {}
    with open(os.path.join(out, "samples.csv")) as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["node"], []).append(row)
    return rows


def _at_or_before(rows, t):
    before = [r for r in rows if float(r["t"]) <= t]
    return before[-1] if before else (rows[0] if rows else None)


def _int(row, key):
    return int(row[key]) if row and row.get(key) not in (None, "") else None


def _mib(row, key):
    value = _int(row, key)
    return value / 1024 if value is not None else None


def node_table(out, warmup):
    """Per process: RSS and fds at warm-up, at the end and at most; log bytes; incarnations."""
    table = {}
    for name, rows in sorted(_samples(out).items()):
        warm, end = _at_or_before(rows, warmup), rows[-1]
        table[name] = {
            "rss_mib_warmup": _int(warm, "rss_kib") / 1024, "rss_mib_end": _int(end, "rss_kib") / 1024,
            "rss_mib_max": max(int(r["rss_kib"]) for r in rows) / 1024,
            "rss_anon_mib_warmup": _mib(warm, "rss_anon_kib"), "rss_anon_mib_end": _mib(end, "rss_anon_kib"),
            "fds_warmup": _int(warm, "fds"), "fds_end": _int(end, "fds"), "fds_max": max(int(r["fds"]) for r in rows),
            "threads_end": _int(end, "threads"), "log_bytes": _int(end, "log_bytes"),
            "pool_txs_end": _int(end, "pool_txs"), "topic_peers_end": _int(end, "topic_peers"),
            "journal_failures": _int(end, "journal_failures"), "incarnation_end": _int(end, "incarnation"),
        }
    return table


def checkpoints(out, data):
    """RSS and fds of the nodes never killed, and the log bytes of all processes, just before each kill
    round and at the end: whether they stay flat once the pool is full."""
    samples = _samples(out)
    start = data["load_start"] or 0
    times = [r["time"] - start - 1 for r in data["kill_rounds"]] + [float("inf")]
    never = [n for n, p in data["processes"].items() if n != "boot" and len(p["incarnations"]) == 1 and n in samples]
    rows = []
    for t in times:
        rss = [int(_at_or_before(samples[n], t)["rss_kib"]) / 1024 for n in never]
        anon = [v for v in (_mib(_at_or_before(samples[n], t), "rss_anon_kib") for n in never) if v is not None]
        fds = [int(_at_or_before(samples[n], t)["fds"]) for n in never]
        logs = sum(int(_at_or_before(rows_, t)["log_bytes"]) for rows_ in samples.values())
        at = max(float(_at_or_before(rows_, t)["t"]) for rows_ in samples.values())
        rows.append({"t": at, "rss_mib_median": statistics.median(rss) if rss else None,
                     "rss_anon_mib_median": statistics.median(anon) if anon else None,
                     "rss_anon_mib_min": min(anon, default=None), "rss_anon_mib_max": max(anon, default=None),
                     "rss_mib_min": min(rss, default=None), "rss_mib_max": max(rss, default=None),
                     "fds_median": statistics.median(fds) if fds else None, "fds_min": min(fds, default=None),
                     "fds_max": max(fds, default=None), "log_bytes": logs})
    return {"nodes_never_killed": never, "rows": rows}


def failure_reasons(final, restart, unexpected, load, interrupted):
    """Why a run failed, one line per broken rule; empty when it passed."""
    reasons = []
    if interrupted:
        reasons.append(f"interrupted: {interrupted}")
    if final is None:
        reasons.append("no final check")
    else:
        for title, key in (("in the pool of the node that acknowledged it", "durability"),
                           ("gossip (tx x node pairs)", "gossip")):
            missing = final[key]["missing_list"]
            if final[key]["missing"]:
                first = ", ".join(f"{m['hash'][:18]} at {m['node']}" for m in missing[:3])
                reasons.append(f"{final[key]['missing']} acknowledged missing {title}: {first}")
    if restart["missing"]:
        reasons.append(f"{restart['missing']} acknowledged missing right after a restart")
    if restart["errors"]:
        reasons.append(f"{len(restart['errors'])} restart checks failed: "
                       + "; ".join(str(c.get("error")) for c in restart["errors"][:3]))
    for u in unexpected[:5]:
        reasons.append(f"unexpected exit of {u['node']} (pid {u['pid']}): {u['how']}")
    if load.get("acknowledged", 0) <= 0:
        reasons.append("the load got no acknowledgement")
    return reasons


def summarize(out, data):
    p = data["params"]
    warmup = p["warmup"]
    nodes = node_table(out, warmup)
    aztec = {n: v for n, v in nodes.items() if n != "boot"}
    processes = data["processes"]
    unexpected = [{"node": name, **i} for name, proc in processes.items() for i in proc["incarnations"]
                  if (i["how"] or "").startswith("exited") or "SIGKILL after SIGTERM" in (i["how"] or "")]
    kills = [e for e in data["events"] if e["what"] == "kill -9"]
    restarts = [e for e in data["events"] if e["what"] == "restarted"]
    checks = data["restart_checks"]
    restart_missing = [m for c in checks for m in c.get("durability", {}).get("missing_list", [])]
    timings = sorted(c["rpc_after_s"] for c in checks if "rpc_after_s" in c)
    restart = {"checks": len(checks), "errors": [c for c in checks if "error" in c],
               "skipped": [c for c in checks if "skipped" in c],
               "rpc_after_restart_s_median": statistics.median(timings) if timings else None,
               "expected": sum(c.get("durability", {}).get("expected", 0) for c in checks),
               "present": sum(c.get("durability", {}).get("present", 0) for c in checks),
               "missing": sum(c.get("durability", {}).get("missing", 0) for c in checks),
               "missing_list": restart_missing,
               "rpc_after_restart_s_max": timings[-1] if timings else None}
    final = data["final_check"]
    load = data["load"]
    reasons = failure_reasons(final, restart, unexpected, load, data["interrupted"])
    ok = not reasons

    def median(key):
        values = [v[key] for v in aztec.values() if v[key] is not None]
        return statistics.median(values) if values else None

    return {
        "verdict": "pass" if ok else "FAIL", "failure_reasons": reasons, "params": p, "mode": data["network"]["mode"], "load": load,
        "kills": len(kills), "kill_rounds": len(data["kill_rounds"]), "restarts": len(restarts),
        "unexpected_exits": unexpected, "restart_checks": restart, "final_check": final,
        "final_check_errors": data["final_check_errors"], "interrupted": data["interrupted"],
        "nodes": nodes, "checkpoints": checkpoints(out, data),
        "medians": {k: median(k) for k in ["rss_mib_warmup", "rss_mib_end", "rss_mib_max", "rss_anon_mib_warmup",
                                           "rss_anon_mib_end", "fds_warmup", "fds_end", "fds_max", "log_bytes"]},
        "log_bytes_total": sum(v["log_bytes"] or 0 for v in nodes.values()),
    }


def _f(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(s):
    p, load, final, restart = s["params"], s["load"], s["final_check"], s["restart_checks"]
    lines = [f"# Soak report: {s['verdict']}", ""]
    if s["failure_reasons"]:
        lines += [f"- **{r}**" for r in s["failure_reasons"]] + [""]
    lines += [
             f"{p['nodes']} nodes + 1 bootnode ({s['mode']} mode, {p['subnets']} /24 subnets), {p['minutes']} min at "
             f"{p['tps']} tx/s of {p['size']} B, kill -9 of {p['kill_share']:.0%} of the nodes every {p['kill_every']} s "
             f"(restart on the same data directory {p['down']} s later), pool max age {p['pool_max_age']} s.", "",
             "## Transactions", "",
             f"- load: {load.get('planned', '-')} planned, **{load.get('acknowledged', '-')} acknowledged**, "
             f"{load.get('failed', '-')} failed, {load.get('skipped', '-')} skipped "
             f"({_f(load.get('acknowledged_per_second'))} acknowledged/s)"]
    reasons = {}
    for reason, count in load.get("failures", {}).items():  # one line per kind, whichever node it was
        key = re.sub(r"\d+\.\d+\.\d+\.\d+", "<node>", reason)
        reasons[key] = reasons.get(key, 0) + count
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])[:8]:
        lines.append(f"  - {count} x {reason}")
    lines += [f"- kills: {s['kills']} kill -9 in {s['kill_rounds']} rounds, {s['restarts']} restarts, "
              f"{len(s['unexpected_exits'])} unexpected exits",
              f"- right after each restart, the restarted node's pool against what it acknowledged before its kill "
              f"(not expired): {restart['checks']} checks, expected {restart['expected']}, present {restart['present']}, "
              f"**missing {restart['missing']}**" + (f", {len(restart['errors'])} checks failed" if restart["errors"] else "")
              + (f", {len(restart['skipped'])} skipped (killed again before its JSON-RPC answered)" if restart["skipped"] else ""),
              f"- restart to JSON-RPC answering (journal replay and compaction): median "
              f"{_f(restart['rpc_after_restart_s_median'])} s, max {_f(restart['rpc_after_restart_s_max'])} s"]
    if final:
        d, g, n = final["durability"], final["gossip"], final["not_expected"]
        lines += ["", "At the end (every surviving pool against every acknowledgement younger than the max age "
                  f"minus {p['margin']} s):", "",
                  "| category | expected | present | missing |", "| --- | ---: | ---: | ---: |",
                  f"| in the pool of the node that acknowledged it | {d['expected']} | {d['present']} | **{d['missing']}** |",
                  f"| in every node up throughout [ack - {p['window_before']} s, ack + {p['window_after']} s] "
                  f"(tx x node pairs) | {g['expected']} | {g['present']} | **{g['missing']}** |", "",
                  f"Not expected (tx x node pairs): missed while down or not yet on the topic {n['missed_while_down']} "
                  f"(present anyway: {n['missed_while_down_but_present']}), acknowledging node killed within "
                  f"{p['origin_grace']} s of the ack {n['origin_killed_within_grace']}, expired {n['expired']} "
                  f"(transactions), acknowledging node not checked {n['acknowledging_node_not_checked']}."]
        for title, cat in (("durability", d), ("gossip", g)):
            if cat["missing_list"]:
                lines += ["", f"Missing ({title}), first {len(cat['missing_list'])}:", ""]
                lines += [f"- {m['hash']} at {m['node']}, acknowledged at {m['ack_time']:.3f}" for m in cat["missing_list"]]
    else:
        lines += ["", "No final check (the run did not get that far)."]
    if restart["missing_list"]:
        lines += ["", "Missing right after a restart:", ""]
        lines += [f"- {m['hash']} at {m['node']}, acknowledged at {m['ack_time']:.3f}" for m in restart["missing_list"][:200]]
    if s["unexpected_exits"]:
        lines += ["", "Unexpected exits:", ""] + [f"- {u['node']} pid {u['pid']}: {u['how']}" for u in s["unexpected_exits"]]
    m = s["medians"]
    lines += ["", "## Resources", "",
              f"Warm-up is the last sample at or before {p['warmup']} s into the load; end is the last sample of the load. "
              f"Median over the nodes: RSS {_f(m['rss_mib_warmup'])} MiB at warm-up, {_f(m['rss_mib_end'])} MiB at the "
              f"end (max {_f(m['rss_mib_max'])}), of which anonymous (heap and stacks, not the executable's mapped pages) "
              f"{_f(m['rss_anon_mib_warmup'])} MiB at warm-up and {_f(m['rss_anon_mib_end'])} MiB at the end; fds {_f(m['fds_warmup'], 0)} at warm-up, {_f(m['fds_end'], 0)} at the end "
              f"(max {_f(m['fds_max'], 0)}). Logs: {s['log_bytes_total']} bytes in all.", "",
              "![RSS per node](rss.png)", "", "![anonymous RSS per node](rss-anon.png)", "", "![open fds per node](fds.png)", "", "![pool size per node](pool.png)", ""]
    c = s["checkpoints"]
    if c["nodes_never_killed"]:
        lines += [f"Just before each kill round and at the end, the {len(c['nodes_never_killed'])} nodes never killed "
                  f"({', '.join(c['nodes_never_killed'])}), and the logs of all processes:", "",
                  "| s into the load | RSS MiB median (min - max) | anonymous RSS MiB median (min - max) | fds median (min - max) | log bytes, all |",
                  "| ---: | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r['t']:.0f} | {_f(r['rss_mib_median'])} ({_f(r['rss_mib_min'])} - {_f(r['rss_mib_max'])}) | "
                  f"{_f(r['rss_anon_mib_median'])} ({_f(r['rss_anon_mib_min'])} - {_f(r['rss_anon_mib_max'])}) | "
                  f"{_f(r['fds_median'], 0)} ({r['fds_min']} - {r['fds_max']}) | {r['log_bytes']} |" for r in c["rows"]]
        lines.append("")
    lines += [
              "| process | starts | RSS MiB warm-up | end | max | fds warm-up | end | max | threads | log bytes | pool txs | topic peers |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, v in s["nodes"].items():
        lines.append(f"| {name} | {v['incarnation_end']} | {_f(v['rss_mib_warmup'])} | {_f(v['rss_mib_end'])} | "
                     f"{_f(v['rss_mib_max'])} | {v['fds_warmup']} | {v['fds_end']} | {v['fds_max']} | {v['threads_end']} | "
                     f"{v['log_bytes']} | {v['pool_txs_end'] if v['pool_txs_end'] is not None else '-'} | "
                     f"{v['topic_peers_end'] if v['topic_peers_end'] is not None else '-'} |")
    if s["interrupted"]:
        lines += ["", f"Interrupted: {s['interrupted']}"]
    return "\n".join(lines) + "\n"


def write(out, data):
    """Writes summary.json and soak-report.md; returns whether the run passed."""
    summary = summarize(out, data)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(out, "soak-report.md"), "w") as f:
        f.write(markdown(summary))
    return summary["verdict"] == "pass"


if __name__ == "__main__":
    directory = sys.argv[1]
    with open(os.path.join(directory, "run.json")) as f:
        sys.exit(0 if write(directory, json.load(f)) else 1)
