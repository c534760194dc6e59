#!/usr/bin/env python3
"""The test suites tagged `.integration` (they run other processes: py-libp2p and go-libp2p peers,
or our own binary), as a regular expression for `swift test --filter` / `--skip`.

  scripts/integration_suites.py            prints the regex, e.g. `\\.(CLIInteropTests|...)/`
  scripts/integration_suites.py --check    fails when a test file that starts processes (uses
                                           InteropPeers or ExternalPeer) has an untagged suite

`make test-unit` skips these suites, `make test-integration` runs only them; `make test` runs all.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "Tests"
DECLARATION = re.compile(r"\s*(?:struct|final class|class|enum)\s+(\w+)")
STARTS_PROCESSES = re.compile(r"\b(InteropPeers\.launch|ExternalPeer\.launch|InteropPeers\.\w+Peer|launchAztecP2P|launchPython)")


def suites():
    """(file, suite name, tagged, file text) for every suite under Tests/."""
    for path in sorted(ROOT.rglob("*.swift")):
        text = path.read_text()
        for start in (m.end() for m in re.finditer(r"@Suite\b", text)):
            traits, end = "", start
            if text.startswith("(", start):  # the traits, up to the balancing parenthesis
                depth = 0
                for end in range(start, len(text)):
                    depth += {"(": 1, ")": -1}.get(text[end], 0)
                    if depth == 0:
                        break
                traits, end = text[start:end + 1], end + 1
            declaration = DECLARATION.match(text, end)
            if declaration:
                yield path, declaration.group(1), ".integration" in traits, text


def main():
    found = list(suites())
    if "--check" in sys.argv[1:]:
        untagged = [f"{path.relative_to(ROOT.parent)}: {name}" for path, name, tagged, text in found
                    if not tagged and STARTS_PROCESSES.search(text)]
        if untagged:
            sys.exit("suites that start processes but lack .tags(.integration):\n  " + "\n  ".join(untagged))
        return
    names = sorted({name for _, name, tagged, _ in found if tagged})
    print(r"\.(" + "|".join(names) + r")/")


if __name__ == "__main__":
    main()
