"""One soak run, from inside the control namespace (main.py puts it there): a bootnode and N
nodes, the paced load, kill -9 of a share of the nodes every kill_every seconds and their
restart on the same data directories, sampling, the pool checks, and the report.

Usage: run.py PLAN.json (written by main.py). Exit status 0 only if nothing acknowledged and
expected is missing, no process exited by itself, and the load got acknowledgements.
"""
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import report
import rpc
from checks import classify
from nodes import SoakProcess, rss_fds_cpu

SAMPLE_FIELDS = ["time", "t", "node", "incarnation", "pid", "rss_kib", "rss_anon_kib", "fds", "threads", "cpu_s", "log_bytes",
                 "pool_txs", "pool_bytes", "peers", "topic_peers", "journal_failures"]


class Interrupted(Exception):
    pass


_signals = []


def _interrupt(signum, frame):
    if not _signals:  # once: a second signal must not break the cleanup the first one started
        _signals.append(signum)
        raise Interrupted(signal.Signals(signum).name)


def _metrics_or_none(url, timeout):
    try:
        return rpc.metrics(url, timeout=timeout)
    except rpc.RPCError:
        return None


def read_acks(path, url_to_node):
    acks = []
    try:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) == 3 and fields[2] in url_to_node:
                    acks.append((float(fields[0]), fields[1], url_to_node[fields[2]]))
    except FileNotFoundError:
        pass
    return acks


class SoakRun:
    def __init__(self, plan):
        self.plan = plan
        self.p = plan["params"]
        self.out = plan["out"]
        self.hosts = plan["network"]["hosts"]
        self.prefixes = plan["prefixes"]
        self.ports = plan["ports"]
        self.rng = random.Random(self.p["seed"])
        self.environment = dict(os.environ, AZTEC_P2P_EXIT_WITH_PARENT="1")
        self.nodes = {}
        self.events = []  # (unix time, node, what)
        self.restart_checks = []
        self.kill_rounds = []
        self.pending_checks = {}  # node -> (restart time, deadline)
        self.samples = open(os.path.join(self.out, "samples.csv"), "w", newline="")
        self.sample_writer = csv.DictWriter(self.samples, SAMPLE_FIELDS)
        self.sample_writer.writeheader()
        self.load_start = None
        self.loader = None
        self.last_metrics = {}
        self.parent = os.getppid()
        self.workers = ThreadPoolExecutor(max_workers=32)

    # -- processes ---------------------------------------------------------------------------

    def rpc_url(self, name):
        return f"http://{self.hosts[name]}:{self.ports['rpc']}/"

    def metrics_url(self, name):
        return f"http://{self.hosts[name]}:{self.ports['metrics']}/metrics"

    def event(self, node, what):
        self.events.append((time.time(), node, what))
        print(f"soak: {self.clock()} {node} {what}", flush=True)

    def clock(self):
        if self.load_start is None:
            return "[setup]"
        return f"[{time.time() - self.load_start:7.1f} s]"

    def start_bootnode(self):
        directory = os.path.join(self.out, "boot")
        os.makedirs(directory, exist_ok=True)
        ip = self.hosts["boot"]
        command = self.prefixes["boot"] + [
            self.plan["binary"], "bootnode", "--listen", f"{ip}:{self.ports['boot']}", "--announce", ip,
            "--key", os.path.join(directory, "boot.key"), "--nodes-file", os.path.join(directory, "nodes.txt")]
        boot = SoakProcess("boot", command, os.path.join(directory, "boot.log"), self.environment)
        boot.start()
        self.nodes["boot"] = boot
        deadline = time.time() + 60
        while time.time() < deadline and boot.poll():
            with open(boot.log_path) as f:
                for line in f:
                    if line.startswith("enr:"):
                        return line.strip()
            time.sleep(0.2)
        raise RuntimeError(f"the bootnode printed no ENR (see {boot.log_path})")

    def start_nodes(self, enr):
        for i in range(self.p["nodes"]):
            name = f"n{i:02d}"
            directory = os.path.join(self.out, "nodes", name)
            os.makedirs(directory, exist_ok=True)
            ip = self.hosts[name]
            command = self.prefixes[name] + [
                self.plan["binary"], "node", "--listen", f"{ip}:{self.ports['p2p']}", "--announce", ip,
                "--rpc", f"{ip}:{self.ports['rpc']}", "--metrics", f"{ip}:{self.ports['metrics']}",
                "--bootnode", enr, "--data-dir", os.path.join(directory, "data"),
                "--target-peers", str(self.p["target_peers"]), "--pool-max-age", str(self.p["pool_max_age"])]
            node = SoakProcess(name, command, os.path.join(directory, "node.log"), self.environment)
            node.start()
            self.nodes[name] = node

    @property
    def aztec_nodes(self):
        return {name: node for name, node in self.nodes.items() if name != "boot"}

    def poll_processes(self):
        if os.getppid() != self.parent:
            raise Interrupted("main.py is gone")
        for name, node in self.nodes.items():
            was = node.current
            if was is not None and not node.poll():
                self.event(name, was.how)

    def refresh_ready(self, needed=1):
        """Marks running incarnations ready once they have `needed` peers on the topic."""
        waiting = {name: node.current for name, node in self.aztec_nodes.items()
                   if node.current is not None and node.current.ready is None}
        urls = [self.metrics_url(name) for name in waiting]
        for (name, current), values in zip(waiting.items(), self.workers.map(lambda url: _metrics_or_none(url, 1.0), urls)):
            if values is not None and values.get("aztec_node_topic_peers", 0) >= needed:
                current.ready = time.time()

    def wait_until_connected(self, timeout):
        """Until every node has min(4, N-1) peers on the topic (bounded by `timeout`)."""
        needed = min(4, self.p["nodes"] - 1)
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.poll_processes()
            self.refresh_ready()
            counts = []
            for name in self.aztec_nodes:
                try:
                    counts.append(rpc.metrics(self.metrics_url(name), timeout=1.0).get("aztec_node_topic_peers", 0))
                except rpc.RPCError:
                    counts.append(0)
            if min(counts) >= needed:
                print(f"soak: every node has at least {needed} topic peers (min {min(counts):.0f}, "
                      f"max {max(counts):.0f})", flush=True)
                return True
            time.sleep(1)
        print(f"soak: after {timeout} s, topic peers per node: {counts} (wanted {needed} each); going on",
              flush=True)
        return False

    # -- sampling ----------------------------------------------------------------------------

    def sample(self):
        """One row per running process: /proc figures, log bytes, and the node's gauges (fetched in parallel:
        on a loaded machine 20 sequential calls would stall the schedule)."""
        now = time.time()
        running = {name: node.current for name, node in self.nodes.items() if node.current is not None}
        urls = {name: self.metrics_url(name) for name in running if name != "boot"}
        gauges = dict(zip(urls, self.workers.map(lambda url: _metrics_or_none(url, 2.0), urls.values())))
        for name, current in running.items():
            usage = rss_fds_cpu(current.pid)
            if usage is None:
                continue
            node = self.nodes[name]
            row = {"time": f"{now:.3f}", "t": f"{now - self.load_start:.1f}", "node": name,
                   "incarnation": len(node.incarnations), "pid": current.pid, "rss_kib": usage[0], "rss_anon_kib": usage[4], "fds": usage[1],
                   "threads": usage[2], "cpu_s": f"{usage[3]:.2f}", "log_bytes": os.path.getsize(node.log_path)}
            values = gauges.get(name)
            if values is not None:
                self.last_metrics[name] = values
                row.update(pool_txs=int(values.get("aztec_tx_pool_transactions", 0)),
                           pool_bytes=int(values.get("aztec_tx_pool_bytes", 0)),
                           peers=int(values.get("aztec_node_peers", 0)),
                           topic_peers=int(values.get("aztec_node_topic_peers", 0)),
                           journal_failures=int(values.get("aztec_tx_pool_journal_failures_total", 0)))
            self.sample_writer.writerow(row)
        self.samples.flush()

    # -- faults ------------------------------------------------------------------------------

    def kill_round(self):
        running = sorted(name for name, node in self.aztec_nodes.items() if node.current is not None)
        victims = self.rng.sample(running, min(len(running), round(self.p["kill_share"] * self.p["nodes"])))
        self.kill_rounds.append({"time": time.time(), "nodes": victims})
        for name in victims:
            self.nodes[name].kill9()
            self.event(name, "kill -9")
        return victims

    def restart(self, name):
        self.nodes[name].start()
        self.event(name, "restarted")
        self.pending_checks[name] = (time.time(), time.time() + self.p["restart_timeout"])

    def run_restart_checks(self, url_to_node):
        """Right after a restart: is everything the node acknowledged before (and not expired) in its pool?"""
        for name, (restarted, deadline) in list(self.pending_checks.items()):
            if self.nodes[name].current is None:  # killed again before its RPC answered
                del self.pending_checks[name]
                self.restart_checks.append({"node": name, "restarted": restarted,
                                            "skipped": "killed again before its JSON-RPC answered"})
                continue
            try:
                pool = rpc.pending_hashes(self.rpc_url(name), timeout=10.0)
            except rpc.RPCError as error:
                if time.time() > deadline:
                    del self.pending_checks[name]
                    self.restart_checks.append({"node": name, "restarted": restarted, "error": str(error)})
                    self.event(name, f"restart check failed: {error}")
                continue
            del self.pending_checks[name]
            now = time.time()
            acks = [a for a in read_acks(self.plan["acks"], url_to_node) if a[2] == name and a[0] < restarted]
            result = classify(acks, {name: pool}, self.nodes, now, self.p["pool_max_age"], self.p["margin"],
                              gossip=False)
            self.restart_checks.append({"node": name, "restarted": restarted, "rpc_after_s": now - restarted,
                                        "pool": len(pool), **result.to_json()})
            d = result.durability
            self.event(name, f"restart check: {d.present}/{d.expected} of its acknowledged transactions in its pool"
                             + (f", MISSING {len(d.missing)}" if d.missing else ""))

    # -- the run -----------------------------------------------------------------------------

    def start_load(self):
        urls = [self.rpc_url(name) for name in self.aztec_nodes]
        command = [self.plan["binary"], "tx", "soak-load", "--rate", str(self.p["tps"]),
                   "--duration", str(self.p["minutes"] * 60), "--size", str(self.p["size"]),
                   "--acks", self.plan["acks"], "--seed", str(self.p["seed"])]
        for url in urls:
            command += ["--rpc", url]
        self.load_out = open(os.path.join(self.out, "load.json"), "wb")
        self.load_err = open(os.path.join(self.out, "load.log"), "wb")
        self.loader = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.load_out, stderr=self.load_err,
                                       env=self.environment, start_new_session=True)
        self.load_start = time.time()
        print(f"soak: load started: {self.p['tps']} tx/s of {self.p['size']} B for {self.p['minutes']} min "
              f"over {len(urls)} nodes", flush=True)
        return {url: name for url, name in zip(urls, self.aztec_nodes)}

    def main_loop(self, url_to_node):
        duration = self.p["minutes"] * 60
        next_sample = self.load_start
        next_kill = self.load_start + self.p["kill_every"]
        next_progress = self.load_start + 30
        restarts = {}  # node -> due time
        deadline = self.load_start + duration + 180
        while time.time() < deadline:
            now = time.time()
            self.poll_processes()
            self.refresh_ready()
            if now >= next_sample:
                self.sample()
                while next_sample <= time.time():  # after a stall: the next slot, not a burst of catch-up samples
                    next_sample += self.p["sample_every"]
            if now >= next_kill and next_kill < self.load_start + duration:
                for name in self.kill_round():
                    restarts[name] = now + self.p["down"]
                next_kill += self.p["kill_every"]
            for name, due in list(restarts.items()):
                if now >= due:
                    del restarts[name]
                    self.restart(name)
            self.run_restart_checks(url_to_node)
            if now >= next_progress:
                acked = len(read_acks(self.plan["acks"], url_to_node))
                running = sum(n.current is not None for n in self.aztec_nodes.values())
                print(f"soak: {self.clock()} {acked} acknowledged, {running}/{self.p['nodes']} nodes running",
                      flush=True)
                next_progress += 30
            if self.loader.poll() is not None and not restarts and not self.pending_checks:
                break
            time.sleep(0.5)
        if self.loader.poll() is None:
            self.loader.kill()
            self.loader.wait()
            self.event("load", "killed: still running at the deadline")
        self.sample()

    def final_check(self, url_to_node):
        """The pools of every running node against every acknowledgement, until nothing expected is
        missing or every gossip window has closed (and a little more)."""
        acks = read_acks(self.plan["acks"], url_to_node)
        last_ack = max((a[0] for a in acks), default=time.time())
        deadline = max(time.time(), last_ack + self.p["window_after"]) + 10
        for attempt in range(1000):
            pools, errors = {}, {}
            for name, node in self.aztec_nodes.items():
                if node.current is None:
                    continue
                try:
                    pools[name] = rpc.pending_hashes(self.rpc_url(name), timeout=20.0)
                except rpc.RPCError as error:
                    errors[name] = str(error)
            result = classify(acks, pools, self.nodes, time.time(), self.p["pool_max_age"], self.p["margin"],
                              self.p["window_before"], self.p["window_after"], self.p["origin_grace"])
            if (result.missing == 0 and result.window_open == 0) or time.time() > deadline:
                break
            time.sleep(2)
        print(f"soak: final check after {attempt + 1} look(s): durability {result.durability.present}/"
              f"{result.durability.expected}, gossip {result.gossip.present}/{result.gossip.expected}, "
              f"missed while down {result.missed_while_down}", flush=True)
        return result, {name: len(pool) for name, pool in pools.items()}, errors

    def stop_all(self):
        """SIGTERM to every process at once (each saves its journal), SIGKILL to those left after 15 s."""
        running = [node for node in self.nodes.values() if node.current is not None and node.poll()]
        for node in running:
            node.terminate()
        deadline = time.time() + 15
        for node in running:
            node.finish(deadline)
        if self.loader is not None and self.loader.poll() is None:
            self.loader.kill()
            self.loader.wait()

    def write_outputs(self, final, pool_sizes, errors, interrupted):
        self.samples.close()
        load = {}
        try:
            with open(os.path.join(self.out, "load.json")) as f:
                load = json.loads(f.read() or "{}")
        except (OSError, ValueError):
            pass
        data = {"params": self.p, "network": self.plan["network"], "load_start": self.load_start, "load": load,
                "events": [{"time": t, "node": n, "what": w} for t, n, w in self.events],
                "processes": {name: node.to_json() for name, node in self.nodes.items()},
                "restart_checks": self.restart_checks, "kill_rounds": self.kill_rounds,
                "final_check": final.to_json() if final else None, "final_pool_sizes": pool_sizes,
                "final_check_errors": errors, "interrupted": interrupted,
                "last_metrics": self.last_metrics}
        with open(os.path.join(self.out, "run.json"), "w") as f:
            json.dump(data, f, indent=1)
        return report.write(self.out, data)


def main(plan_path):
    with open(plan_path) as f:
        plan = json.load(f)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    run = SoakRun(plan)
    final, pool_sizes, errors, interrupted = None, {}, {}, None
    try:
        enr = run.start_bootnode()
        run.start_nodes(enr)
        run.wait_until_connected(timeout=90)
        url_to_node = run.start_load()
        run.main_loop(url_to_node)
        final, pool_sizes, errors = run.final_check(url_to_node)
    except Interrupted as signal_name:
        interrupted = str(signal_name)
        print(f"soak: interrupted ({interrupted}), stopping", flush=True)
    except Exception as error:  # still stop everything and write what there is
        interrupted = f"error: {error!r}"
        print(f"soak: {interrupted}, stopping", flush=True)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        run.stop_all()
    ok = run.write_outputs(final, pool_sizes, errors, interrupted)
    return 0 if ok and not interrupted else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
