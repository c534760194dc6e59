#!/usr/bin/env python3
"""Turns package-benchmark's text output into the README's tables: each figure next to the
reference measured in the same run, and their ratio.

Usage: scripts/bench_report.py RUN.txt
Figures are medians (p50); throughput is operations per second after the harness's scaling
((K) = thousands, (M) = millions), mallocs are per operation.
"""
import re
import sys

# (figure in the README, measured benchmark, reference benchmark, goal as a minimum ratio or None);
# names are regular expressions matched against whole benchmark names.
PAIRS = [
    ("SSZ encode, ~40 KB transaction (reference: memcpy)", r"SSZ encode \d+ KB transaction",
     r"memcpy \d+ KB \(reference\)", 0.25),
    ("SSZ decode, ~40 KB transaction (reference: memcpy)", r"SSZ decode \d+ KB transaction",
     r"memcpy \d+ KB \(reference\)", 0.25),
    ("hash_tree_root, 1 MiB ByteList (reference: one-shot SHA-256 of as many 64-byte inputs)",
     r"hashTreeRoot 1 MiB ByteList \((\d+) compressions\)", r"SHA256 one-shot 64-byte inputs x{0} \(reference\)", 1.0),
    ("hash_tree_root, transaction (reference: one-shot SHA-256 of as many 64-byte inputs)",
     r"hashTreeRoot transaction \((\d+) compressions\)", r"SHA256 one-shot 64-byte inputs x{0} \(reference\)", 1.0),
    ("Snappy block compress, 40 KB tx", "Snappy block compress 40 KB tx",
     re.escape("Snappy block compress 40 KB tx (reference)"), 0.95),
    ("Snappy block decompress, 40 KB tx", "Snappy block decompress 40 KB tx",
     re.escape("Snappy block decompress 40 KB tx (reference)"), 0.95),
    ("Snappy framing encode, 1 MiB (reference: raw libsnappy, no CRC)", "Snappy framing encode 1 MiB",
     re.escape("Snappy framing encode 1 MiB (reference: libsnappy per 64 KiB chunk, no CRC)"), None),
    ("Snappy framing decode, 1 MiB (reference: raw libsnappy, no CRC)", "Snappy framing decode 1 MiB",
     re.escape("Snappy framing decode 1 MiB (reference: libsnappy per 64 KiB chunk, no CRC)"), None),
    ("ENR decode + verify, text", re.escape("ENR decode + verify (text)"), re.escape("secp256k1 verify (reference)"), None),
    ("ENR decode + verify, RLP", re.escape("ENR decode + verify (RLP)"), re.escape("secp256k1 verify (reference)"), None),
    ("Keccak-256, 40 KB (reference: SHA-256 via swift-crypto)", "Keccak-256 of 40 KB",
     re.escape("SHA-256 of 40 KB (reference)"), None),
    ("Noise + yamux, one stream, sans-IO (reference: ChaCha20-Poly1305 seal + open, 64 KiB frames)",
     r"Noise \+ yamux one stream.*", re.escape("ChaCha20-Poly1305 seal + open 64 KiB frames, MiB (reference)"), 0.5),
    ("Noise + mplex, one stream, sans-IO (reference: ChaCha20-Poly1305 seal + open, 64 KiB frames)",
     r"Noise \+ mplex one stream.*", re.escape("ChaCha20-Poly1305 seal + open 64 KiB frames, MiB (reference)"), 0.5),
    ("Full upgrade, both sides, sans-IO (reference: the X25519 and secp256k1 operations of one upgrade)",
     r"Upgrade: multistream.*", r"2 X25519 keygen.*\(reference\)", 0.5),
    ("GossipSub router: 40 KB tx received, validated, forwarded to D=6",
     re.escape("gossipsub router: 40 KB tx received+validated+forwarded to D=6"),
     re.escape("gossipsub router: 40 KB tx received+validated+forwarded to D=6 (reference)"), None),
    ("GossipSub heartbeat, 1,000 peers over 10 topics", re.escape("gossipsub heartbeat: 1,000 peers over 10 topics"),
     re.escape("gossipsub heartbeat: 1,000 peers over 10 topics (reference)"), None),
    ("DiscV5 PING decrypted, decoded, answered (reference: AES-128-GCM seal + open)",
     re.escape("DiscV5 PING decrypted + decoded + answered (session established)"),
     re.escape("AES-128-GCM seal + open of a PING-sized message (reference)"), None),
    ("DiscV5 handshake, both sides (reference: its secp256k1 operations)", re.escape("DiscV5 handshake, both sides"),
     re.escape("secp256k1 keygen + 2 ECDH + sign + verify (reference)"), None),
    ("Aztec JSON-RPC aztec_sendTransaction, 40 KB (reference: JSON + hex decode only)",
     r"Aztec JSON-RPC aztec_sendTransaction 40 KB accepted.*", r"Aztec JSON-RPC aztec_sendTransaction 40 KB \(reference.*", None),
    ("Aztec pool insert, 100,000 pooled (reference: Dictionary insert)", r"Aztec pool insert with 100,000 pooled \(grows.*",
     r"Aztec pool insert with 100,000 pooled \(reference.*", None),
    ("Aztec pool remove-by-block, per block (reference: Dictionary removal)", r"Aztec pool remove-by-block, 100 included.*",
     r"Aztec pool remove-by-block \(reference.*", None),
]

SCALE = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}
ROW = re.compile(r"^│\s*(?P<metric>[^│]+?)\s*│(?P<values>.*)│\s*$")


def parse(path):
    runs, target, name, lines = {}, None, None, open(path, encoding="utf-8").read().splitlines()
    for index, line in enumerate(lines):
        if line.startswith("╒") and index > 0:
            name = lines[index - 1].strip()
            runs[name] = {"target": target}
        elif set(line.strip()) == {"="} and index + 2 < len(lines) and set(lines[index + 2].strip()) == {"="}:
            target = lines[index + 1].strip()
        match = ROW.match(line)
        if match and name:
            metric = match["metric"]
            values = [v.strip() for v in match["values"].split("│")]
            if len(values) < 3 or not values[2].replace(",", "").isdigit():
                continue
            suffix = re.search(r"\((K|M|G)\)", metric)
            value = float(values[2].replace(",", "")) * SCALE[suffix.group(1) if suffix else ""]
            if metric.startswith("Throughput"):
                runs[name]["throughput"] = value
            elif metric.startswith("Malloc (total)"):
                runs[name]["mallocs"] = value
    return runs


def main():
    runs = parse(sys.argv[1])
    print("| figure | measured (ops/s) | reference (ops/s) | ratio | goal |")
    print("|---|---:|---:|---:|---|")
    for label, measured, reference, goal in PAIRS:
        m = r = None
        for name, run in runs.items():
            match = re.fullmatch(measured, name)
            if match and "throughput" in run:
                m = run["throughput"]
                wanted = reference.format(*[re.escape(g) for g in match.groups()])
                r = next((other["throughput"] for other_name, other in runs.items()
                          if re.fullmatch(wanted, other_name) and "throughput" in other), None)
                break
        if m is None or r is None:
            print(f"| {label} | not run | not run | | |")
            continue
        ratio = m / r
        verdict = "" if goal is None else f"≥ {goal:.2f}: {'met' if ratio >= goal else 'not met'}"
        print(f"| {label} | {m:,.0f} | {r:,.0f} | {ratio:.2f} | {verdict} |")
    print()
    print("| benchmark | ops/s (p50) | mallocs per op (p50) |")
    print("|---|---:|---:|")
    for name, run in runs.items():
        if "throughput" not in run:
            continue
        mallocs = run.get("mallocs")
        print(f"| {run['target']}: {name} | {run['throughput']:,.0f} | {'' if mallocs is None else f'{mallocs:,.0f}'} |")


if __name__ == "__main__":
    main()
