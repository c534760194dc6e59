#!/usr/bin/env python3
"""Fails when a module reaches a dependency it promises to do without.

The sans-IO routers are for researchers who import one module: GossipSub (the router) builds
without libsecp256k1, NIO or the libp2p host, and DiscV5 without NIO. The rules below are checked
against `swift package describe`, over each target's whole dependency closure.
Usage: scripts/check_dependencies.py
"""
import json
import subprocess
import sys

FORBIDDEN = {
    "GossipSub": {"CSecp256k1", "P2PCrypto", "LibP2PCore", "LibP2P", "NIOCore", "NIOPosix"},
    "Multiformats": {"CSecp256k1", "P2PCrypto", "NIOCore"},
    "DiscV5": {"NIOCore", "NIOPosix"},
}


def main() -> int:
    description = json.loads(subprocess.run(
        ["swift", "package", "describe", "--type", "json"], check=True, capture_output=True, text=True).stdout)
    targets = {target["name"]: target for target in description["targets"]}

    def closure(name: str) -> set[str]:
        seen: set[str] = set()
        pending = [name]
        while pending:
            target = targets.get(pending.pop())
            if target is None:
                continue
            for dependency in target.get("target_dependencies", []) + target.get("product_dependencies", []):
                if dependency not in seen:
                    seen.add(dependency)
                    pending.append(dependency)
        return seen

    failures = [f"{name} depends on {', '.join(sorted(closure(name) & forbidden))}"
                for name, forbidden in FORBIDDEN.items() if closure(name) & forbidden]
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
