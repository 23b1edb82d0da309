#!/usr/bin/env python3
"""Edit-to-served latency of `jawnik serve` against `hugo server`, on the same corpus.

    python3 bench/serve.py --jawnik target/release/jawnik --site bench/out/site-10000-1 \
        [--hugo-site bench/out/hugo-10000-1] [--edits 20] [--seed 1]

For each server: start it, wait for its first build, then make --edits edits, one at a time:
append a sentence with a unique marker to the body of a document chosen at random (seeded),
and measure the time from the moment the file is written until the page served at the
document's URL contains the marker (polling every 2 ms), and the CPU time the server's
process used meanwhile (/proc/PID/stat, 10 ms ticks: the figure to compare on a shared
machine). For jawnik the same response also
proves the search is updated: pages and the patched search folder are swapped in together, and
the script then checks that `search/meta.json` names a new build. Every edit is undone at the
end (the original file is written back). Standard library only; prints a table and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return 0, b""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far, every thread counted (Linux
    /proc; 0 elsewhere): on a shared machine the comparable figure, as wall time waits for
    the other loads."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def wait_until(predicate, timeout: float, step: float = 0.002) -> float:
    start = time.perf_counter()
    while True:
        if predicate():
            return time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(step)


def documents(content: Path, rng: random.Random, n: int) -> list[Path]:
    files = sorted(
        p for section in ("strategie", "programy", "raporty")
        for p in (content / section).glob("*.md") if p.name != "_index.md"
    )
    return rng.sample(files, n)


def run(name: str, cmd: list[str], cwd: Path, port: int, site: Path, edits: list[Path],
        check_search: bool, log: Path) -> dict:
    base = f"http://127.0.0.1:{port}/"
    with open(log, "w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            first_build = wait_until(lambda: get(base)[0] == 200, 900, 0.05)
            print(f"{name}: first build served after {first_build:.1f} s", file=sys.stderr)
            times = []
            cpu = []
            for i, path in enumerate(edits):
                rel = path.relative_to(site / "content").with_suffix("")
                url = f"{base}{rel.as_posix()}/"
                # A server still busy with the previous rebuild may not answer at once.
                try:
                    wait_until(lambda: get(url)[0] == 200, 120, 0.05)
                except TimeoutError:
                    raise SystemExit(f"{name}: {url} does not answer 200")
                build_before = get(base + "search/meta.json")[1] if check_search else b""
                original = path.read_bytes()
                marker = f"Dopisek redakcyjny {i} {os.getpid()}."
                c0 = cpu_seconds(proc.pid)
                t0 = time.perf_counter()
                path.write_bytes(original + f"\n\n{marker}\n".encode())
                try:
                    elapsed = wait_until(lambda: marker.encode() in get(url)[1], 120)
                    # perf_counter from the write, not from the first poll.
                    elapsed = time.perf_counter() - t0
                    used = cpu_seconds(proc.pid) - c0
                    if check_search:
                        meta = get(base + "search/meta.json")[1]
                        assert meta != build_before, "the search folder was not updated"
                        name_of = json.loads(meta)["meta"]
                        assert get(base + "search/" + name_of)[0] == 200
                    times.append(elapsed)
                    cpu.append(used)
                    print(f"{name}: edit {i + 1}: {elapsed * 1000:.0f} ms, CPU "
                          f"{used * 1000:.0f} ms, load {load_average()} ({rel})",
                          file=sys.stderr)
                finally:
                    path.write_bytes(original)
                    # Let the undo be rebuilt before the next edit.
                    wait_until(lambda: marker.encode() not in get(url)[1], 120)
            return {"first_build_s": first_build, "times_ms": [t * 1000 for t in times],
                    "cpu_ms": [c * 1000 for c in cpu],
                    "total_s": time.perf_counter() - started}
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def summary(times: list[float]) -> str:
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    return f"median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, max {times[-1]:.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jawnik", required=True)
    ap.add_argument("--site", required=True, type=Path)
    ap.add_argument("--hugo-site", type=Path)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    args = ap.parse_args()
    site = args.site.resolve()
    rng = random.Random(args.seed)
    edits = documents(site / "content", rng, args.edits)
    results = {}
    port = free_port()
    results["jawnik"] = run(
        "jawnik", [str(Path(args.jawnik).resolve()), "serve", "--root", str(site), "--port",
                   str(port)], site, port, site, edits, True, args.out / "serve-jawnik.log")
    if args.hugo_site:
        hugo = args.hugo_site.resolve()
        hugo_edits = [hugo / p.relative_to(site) for p in edits]
        port = free_port()
        results["hugo"] = run(
            "hugo", ["hugo", "server", "--source", str(hugo), "--port", str(port),
                     "--bind", "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/",
                     "--appendPort=false"],
            hugo, port, hugo, hugo_edits, False, args.out / "serve-hugo.log")
    print(f"\n{args.edits} edits, documents chosen with seed {args.seed}:")
    for name, r in results.items():
        print(f"  {name:7} first build {r['first_build_s']:.1f} s; edit → served: "
              f"{summary(r['times_ms'])}")
        print(f"  {'':7} CPU per edit (the server's process, write → served, its HTTP "
              f"answers to the polls included): {summary(r['cpu_ms'])}")
    print(f"  load average at the end: {load_average()} ({os.cpu_count()} CPUs)")
    if "hugo" in results:
        ratio = statistics.median(results["jawnik"]["times_ms"]) / statistics.median(
            results["hugo"]["times_ms"])
        print(f"  median ratio jawnik / hugo: {ratio:.2f}")
    (args.out / "serve-results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
