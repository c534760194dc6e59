"""Which acknowledged transactions must be in which pool, and whether they are.

Categories, for one check of the pools at time `now`, of every acknowledgement (time t, hash,
the node that acknowledged it) young enough to be pooled still (t > now - max_age + margin):
- durability: the acknowledging node's own pool, whatever happened to it since (kill -9 and a
  restart on the same data directory must keep it: the journal);
- gossip: every other node that was ready (a peer on the topic) during all of [t - before,
  t + after], when the acknowledging node ran on for `origin_grace` seconds after t;
- not expected, counted apart: nodes down or not ready at some time in that window ("missed while
  down": gossip does not backfill), acknowledging node killed within origin_grace of t (its
  messages may have died in its queues), or too old (expired). A transaction absent from a pool
  whose window [t - before, t + after] has not closed yet is counted as window_still_open.
"""
from dataclasses import dataclass, field


@dataclass
class Category:
    expected: int = 0
    present: int = 0
    missing: list = field(default_factory=list)  # (hash, node, ack time)

    def add(self, present, hash_, node, t):
        self.expected += 1
        if present:
            self.present += 1
        else:
            self.missing.append((hash_, node, t))

    def to_json(self, limit=200):
        return {"expected": self.expected, "present": self.present, "missing": len(self.missing),
                "missing_list": [{"hash": h, "node": n, "ack_time": t} for h, n, t in self.missing[:limit]]}


@dataclass
class CheckResult:
    now: float
    durability: Category = field(default_factory=Category)
    gossip: Category = field(default_factory=Category)
    missed_while_down: int = 0
    missed_while_down_present: int = 0
    origin_killed: int = 0
    window_open: int = 0
    expired: int = 0
    origin_not_checked: int = 0

    @property
    def missing(self):
        return len(self.durability.missing) + len(self.gossip.missing)

    def to_json(self):
        return {"time": self.now, "durability": self.durability.to_json(), "gossip": self.gossip.to_json(),
                "not_expected": {"missed_while_down": self.missed_while_down,
                                 "missed_while_down_but_present": self.missed_while_down_present,
                                 "origin_killed_within_grace": self.origin_killed,
                                 "window_still_open": self.window_open, "expired": self.expired,
                                 "acknowledging_node_not_checked": self.origin_not_checked}}


def classify(acks, pools, nodes, now, max_age, margin=30.0, before=2.0, after=30.0, origin_grace=5.0,
             gossip=True):
    """acks: [(t, hash, node name)]; pools: {node name: set of hashes} of the nodes checked;
    nodes: {name: object with up_throughout(t0, t1) and alive_throughout(t0, t1)}."""
    result = CheckResult(now)
    for t, hash_, origin in acks:
        if now - t > max_age - margin:
            result.expired += 1
            continue
        if origin in pools:
            result.durability.add(hash_ in pools[origin], hash_, origin, t)
        elif gossip:
            result.origin_not_checked += 1  # its node was down (or did not answer) at the check
        if not gossip:
            continue
        for name, pool in pools.items():
            if name == origin:
                continue
            present = hash_ in pool
            if not nodes[origin].alive_throughout(t, min(t + origin_grace, now)):
                result.origin_killed += 1
            elif not nodes[name].up_throughout(t - before, min(t + after, now)):
                result.missed_while_down += 1
                result.missed_while_down_present += present
            elif present:
                result.gossip.add(True, hash_, name, t)
            elif t + after > now:
                result.window_open += 1  # absent, but gossip has until t + after
            else:
                result.gossip.add(False, hash_, name, t)
    return result
