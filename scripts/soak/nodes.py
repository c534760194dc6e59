"""The processes of a soak run: start, kill -9, restart on the same data directory, and a record
of every incarnation (when it started, became ready, ended, and how)."""
import os
import signal
import subprocess
import time


class Incarnation:
    def __init__(self, pid, start):
        self.pid = pid
        self.start = start
        self.ready = None  # first time the node had a peer on the topic
        self.end = None
        self.how = None  # "killed" (by the soak), "stopped" (at the end) or "exited N" (by itself)

    def to_json(self):
        return {"pid": self.pid, "start": self.start, "ready": self.ready, "end": self.end, "how": self.how}


class SoakProcess:
    """One long-lived program (a node or the bootnode) restarted with the same command line."""

    def __init__(self, name, command, log_path, environment):
        self.name = name
        self.command = command
        self.log_path = log_path
        self.environment = environment
        self.process = None
        self.incarnations = []

    @property
    def current(self):
        return self.incarnations[-1] if self.incarnations and self.incarnations[-1].end is None else None

    def start(self):
        with open(self.log_path, "ab") as log:
            log.write(f"=== soak: start {len(self.incarnations) + 1} at {time.time():.3f}\n".encode())
            log.flush()
            # A session of its own: a Ctrl-C reaches the harness, which stops the nodes itself.
            self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            env=self.environment, start_new_session=True)
        self.incarnations.append(Incarnation(self.process.pid, time.time()))

    def _end(self, how):
        incarnation = self.current
        incarnation.end, incarnation.how = time.time(), how

    def poll(self):
        """Records an exit the soak did not cause; returns True if the process is running."""
        if self.current is None:
            return False
        status = self.process.poll()
        if status is None:
            return True
        self._end(f"exited {status}")
        return False

    def kill9(self):
        if self.current is None:
            return
        self._end("killed")
        try:
            self.process.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def terminate(self):
        """SIGTERM: the node saves its journal and known ENRs, then exits (``finish`` waits)."""
        if self.current is None:
            return
        self._end("stopped")
        try:
            self.process.terminate()
        except ProcessLookupError:
            pass

    def finish(self, deadline):
        """Waits for a terminated process until `deadline`, then SIGKILLs it."""
        try:
            self.process.wait(timeout=max(0.0, deadline - time.time()))
        except subprocess.TimeoutExpired:
            self.incarnations[-1].how = "stopped (SIGKILL after SIGTERM)"
            self.process.kill()
            self.process.wait(timeout=30)
        if self.process.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL):
            self.incarnations[-1].how += f", exit status {self.process.returncode}"

    def up_throughout(self, t0, t1):
        """Whether one incarnation was ready (had a topic peer) from t0 and ran until t1."""
        return any(i.ready is not None and i.ready <= t0 and (i.end is None or i.end >= t1) for i in self.incarnations)

    def alive_throughout(self, t0, t1):
        return any(i.start <= t0 and (i.end is None or i.end >= t1) for i in self.incarnations)

    def to_json(self):
        return {"name": self.name, "command": self.command, "log": self.log_path,
                "incarnations": [i.to_json() for i in self.incarnations]}


def rss_fds_cpu(pid):
    """(RSS in KiB, open file descriptors, threads, CPU seconds, anonymous RSS in KiB) of a running
    process, or None. Anonymous RSS is the process's own memory (heap, stacks); the rest of RSS is
    mapped files, mostly the executable's pages, which grow as more of its code runs."""
    try:
        with open(f"/proc/{pid}/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return int(status["VmRSS"].split()[0]), fds, int(status["Threads"]), cpu, int(status["RssAnon"].split()[0])
    except (OSError, KeyError, ValueError, IndexError):
        return None
