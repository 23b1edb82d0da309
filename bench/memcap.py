#!/usr/bin/env python3
"""Runs a command under a resident-memory cap, so that a benchmark run that needs more memory
than the shared machine can give fails instead of taking the machine.

    python3 bench/memcap.py LIMIT_MIB REPORT_FILE -- COMMAND [ARGS...]

The command runs in its own process group. Every 0.2 s the resident set sizes (VmRSS) of the
whole process tree are added up; when the sum passes LIMIT_MIB the group is killed (SIGKILL),
a line saying so goes to stderr and the exit code is 137. REPORT_FILE gets one line:
`peak_tree_rss_kib killed(0|1)`; the peak is the largest sum seen by the polling (a peak
shorter than 0.2 s can be missed; GNU time's `Maximum resident set size` is the exact peak of
the largest single process).

Why not `systemd-run --scope -p MemoryMax=`: systemd is not PID 1 in the development
containers. Why not `prlimit --as`: an address-space limit counts reservations and mapped
index files, not memory in use, so it fails Go and tantivy processes far below their real use.
Stdlib only.
"""

import os
import signal
import subprocess
import sys
import time

POLL_SECONDS = 0.2


def children_map():
    """Parent pid -> list of child pids, for every process."""
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the ppid follows the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        kids.setdefault(int(fields[1]), []).append(int(name))
    return kids


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    """The children of `pid` from /proc/PID/task/*/children (cheap), else from a scan of /proc."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
    except FileNotFoundError:
        return children_map().get(pid, [])
    except OSError:
        pass
    return found


def tree_rss_kib(root):
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss_kib(pid)
        todo.extend(children(pid))
    return total


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    limit_kib = int(sys.argv[1]) * 1024
    report = sys.argv[2]
    cmd = sys.argv[4:]
    proc = subprocess.Popen(cmd, start_new_session=True)

    def stop(signum, _frame):
        # The benchmark was interrupted: take the command down with us.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    peak, killed = 0, False
    while proc.poll() is None:
        rss = tree_rss_kib(proc.pid)
        peak = max(peak, rss)
        if rss > limit_kib:
            killed = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            print(
                f"memcap: {os.path.basename(cmd[0])} killed: its processes held "
                f"{rss // 1024} MiB, over the limit of {limit_kib // 1024} MiB",
                file=sys.stderr,
            )
            break
        time.sleep(POLL_SECONDS)
    with open(report, "w") as f:
        f.write(f"{peak} {int(killed)}\n")
    if killed:
        sys.exit(137)
    sys.exit(proc.returncode if proc.returncode >= 0 else 128 - proc.returncode)


if __name__ == "__main__":
    main()
