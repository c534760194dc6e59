"""The soak network: where each process of a soak run lives and how it is reached.

netns mode (root): every process gets a network namespace of its own with one address, on
several /24s of 10.77.0.0/16, joined by veth pairs to a bridge that itself lives in a namespace of
the run (nothing is added to the host's own namespace, so no host firewall or route sees the
traffic, and nothing can route out: the namespaces hold no other interface and no default route).
Every namespace is named aztec-soak-<owner pid>-<role>; deleting them deletes every link.

loopback mode (not root, or no `ip netns`): distinct addresses 127.<x>.<subnet>.<host> on the
host's lo, which need no setup; the subnets are still distinct /24s, but the traffic is loopback.

`python3 network.py --remove-stale` deletes the namespaces of runs whose owner is gone (killing
the processes left in them first), which every run also does before it starts.
"""
import json
import os
import signal
import subprocess
import sys

PREFIX = "aztec-soak-"
NETNS_BASE = "10.77"


def _ip(*args, check=True):
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=30)


def _owner_alive(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"soak" in f.read()
    except OSError:
        return False


def soak_namespaces():
    """Names of the namespaces of every soak run on this machine."""
    try:
        out = _ip("netns", "list", check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split()[0] for line in out.splitlines() if line.startswith(PREFIX)]


def delete_namespace(name):
    """Kills the processes still in namespace `name` (the soak started them), then deletes it."""
    pids = _ip("netns", "pids", name, check=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError):
            pass
    _ip("netns", "del", name, check=False)


def remove_stale(except_owner=None):
    """Deletes the namespaces of soak runs whose owner process is gone; returns their names."""
    removed = []
    for name in soak_namespaces():
        owner = name[len(PREFIX):].split("-")[0]
        if not owner.isdigit() or int(owner) == except_owner or _owner_alive(int(owner)):
            continue
        delete_namespace(name)
        removed.append(name)
    return removed


def netns_available():
    if os.geteuid() != 0:
        return False
    probe = f"{PREFIX}{os.getpid()}-probe"
    try:
        ok = _ip("netns", "add", probe, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    if ok:
        _ip("netns", "del", probe, check=False)
    return ok


class SoakNetwork:
    """The plan (names, addresses, how to run a command inside) and its setup and teardown."""

    def __init__(self, nodes, subnets, mode, owner=None):
        self.mode = mode
        self.owner = owner or os.getpid()
        subnets = max(1, min(subnets, nodes, 200))
        if mode == "netns":
            base = NETNS_BASE
        else:  # a second /16 of 127/8 per owner, so two runs on one machine do not collide
            base = f"127.{20 + self.owner % 200}"
        self.hosts = {"boot": f"{base}.0.2", "ctl": f"{base}.0.3"}
        for i in range(nodes):
            self.hosts[f"n{i:02d}"] = f"{base}.{1 + i % subnets}.{10 + i // subnets}"
        self.subnets = subnets

    def namespace(self, role):
        return f"{PREFIX}{self.owner}-{role}" if self.mode == "netns" else None

    def prefix(self, role):
        """The command prefix that runs a program in `role`'s namespace (none in loopback mode)."""
        return ["ip", "netns", "exec", self.namespace(role)] if self.mode == "netns" else []

    def to_json(self):
        return {"mode": self.mode, "owner": self.owner, "subnets": self.subnets, "hosts": self.hosts,
                "namespaces": {role: self.namespace(role) for role in self.hosts}}

    def up(self):
        if self.mode != "netns":
            return
        switch = self.namespace("sw")
        _ip("netns", "add", switch)
        _ip("-n", switch, "link", "add", "br0", "type", "bridge")
        _ip("-n", switch, "link", "set", "br0", "up")
        for index, (role, address) in enumerate(self.hosts.items()):
            ns = self.namespace(role)
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
            port = f"v{index}"
            _ip("-n", switch, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns)
            _ip("-n", switch, "link", "set", port, "master", "br0")
            _ip("-n", switch, "link", "set", port, "up")
            _ip("-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
            _ip("-n", ns, "link", "set", "eth0", "up")
            # Every /24 of the run is on the one bridge: reach the others directly, nothing else.
            _ip("-n", ns, "route", "add", f"{NETNS_BASE}.0.0/16", "dev", "eth0")

    def down(self):
        if self.mode != "netns":
            return
        for role in [*self.hosts, "sw"]:
            delete_namespace(self.namespace(role))


if __name__ == "__main__":
    if sys.argv[1:] == ["--remove-stale"]:
        for name in remove_stale():
            print(f"soak: removed stale namespace {name}")
    elif sys.argv[1:2] == ["--down"] and len(sys.argv) == 3:
        plan = json.load(open(sys.argv[2]))
        for name in [*plan["namespaces"].values(), f"{PREFIX}{plan['owner']}-sw"]:
            if name:
                delete_namespace(name)
    else:
        sys.exit("usage: network.py --remove-stale | --down PLAN.json")
