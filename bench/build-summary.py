#!/usr/bin/env python3
"""The tables of `bench/build.sh` from its run log (`bench/out/build-runs.tsv`).

    python3 bench/build-summary.py bench/out/build-runs.tsv

Per corpus size: each tool's runs (median, min and max wall time of the finished runs, the
largest peak RSS, the load average when they started, output size), "Hugo + Pagefind" as
the sum of the Hugo run and the Pagefind run over its output in the same round (peak RSS: the
larger of the two), runs that did not finish (over the memory cap, failed, skipped), jawnik's
phase times, the ratios jawnik / Hugo and jawnik / (Hugo + Pagefind), and the growth of each
tool's median time with the corpus size. Stdlib only.
"""

import re
import statistics
import sys
from collections import defaultdict

MIB = 1024


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(x, digits=1):
    return "–" if x is None else f"{x:,.{digits}f}"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    header, corpus_mib, runs = [], {}, []
    with open(sys.argv[1], encoding="utf-8") as f:
        columns = None
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# corpus "):
                docs, mib = line[len("# corpus ") :].split("\t")
                corpus_mib[int(docs)] = mib.split()[0]
            elif line.startswith("#"):
                header.append(line[2:])
            elif columns is None:
                columns = line.split("\t")
            else:
                runs.append(dict(zip(columns, line.split("\t"))))

    by = defaultdict(list)  # (tool, docs) -> runs
    for r in runs:
        by[(r["tool"], int(r["docs"]))].append(r)
    sizes = sorted({int(r["docs"]) for r in runs})

    print("# Build benchmark: jawnik vs Hugo vs Hugo + Pagefind")
    print()
    for h in header:
        print(f"- {h}")
    print(
        "- Figures from a **shared, loaded 2-core machine** (the load average at the start of "
        "each run is given): compare tools within one size and round, not with other days."
    )
    print()

    def finished(tool, docs):
        return [r for r in by[(tool, docs)] if r["status"] == "ok"]

    def combined(docs):
        """Hugo + Pagefind per round: the two runs added up."""
        hugo = {r["round"]: r for r in finished("hugo", docs)}
        out = []
        for p in finished("pagefind", docs):
            h = hugo.get(p["round"])
            if h:
                out.append(
                    {
                        "wall_s": float(h["wall_s"]) + float(p["wall_s"]),
                        "cpu_s": float(h["cpu_s"]) + float(p["cpu_s"]),
                        "peak_rss_kib": max(int(h["peak_rss_kib"]), int(p["peak_rss_kib"])),
                        "load1": f'{h["load1"]}/{p["load1"]}',
                        "output_mib": int(h["output_mib"]) + int(p["output_mib"]),
                        "html_files": h["html_files"],
                    }
                )
        return out

    medians = {}  # (tool, docs) -> (median s, peak MiB)
    for docs in sizes:
        mib = corpus_mib.get(docs, "?")
        print(f"## {docs:,} documents ({mib} MiB of Markdown)")
        print()
        print(
            "| tool | finished | median s | min s | max s | median CPU s | peak RSS MiB | "
            "load at start | HTML files | output MiB |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|")
        problems = []
        for tool, label in [
            ("jawnik", "jawnik (pages + index + search)"),
            ("hugo", "Hugo (pages)"),
            ("pagefind", "Pagefind (over Hugo's output)"),
            ("hugo+pagefind", "**Hugo + Pagefind**"),
        ]:
            if tool == "hugo+pagefind":
                ok = combined(docs)
                tried = len(by[("pagefind", docs)])
            else:
                ok = finished(tool, docs)
                tried = len(by[(tool, docs)])
                for r in by[(tool, docs)]:
                    if r["status"] != "ok":
                        cap = (
                            f', processes held {int(r["tree_peak_kib"]) // MIB:,} MiB when killed'
                            if r["tree_peak_kib"] not in ("-", "")
                            else ""
                        )
                        problems.append(
                            f'{label} round {r["round"]}: **{r["status"]}** after '
                            f'{r["wall_s"]} s{cap} (load {r["load1"]})'
                        )
            if not tried:
                continue
            walls = [float(r["wall_s"]) for r in ok]
            rss = max((int(r["peak_rss_kib"]) for r in ok), default=None)
            m = median(walls)
            cpu = median([float(r["cpu_s"]) for r in ok])
            medians[(tool, docs)] = (m, rss / MIB if rss else None, cpu)
            html = ok[-1]["html_files"] if ok else "–"
            if tool == "pagefind" and ok:
                html = f"({html} files)"
            print(
                f"| {label} | {len(ok)}/{tried} | {fmt(m, 2)} | {fmt(min(walls) if walls else None, 2)} | "
                f"{fmt(max(walls) if walls else None, 2)} | {fmt(cpu, 1)} | "
                f"{fmt(rss / MIB if rss else None, 0)} | "
                f"{', '.join(r['load1'] for r in ok) or '–'} | {html} | "
                f"{ok[-1]['output_mib'] if ok else '–'} |"
            )
        print()
        for p in problems:
            print(f"- {p}")
        if problems:
            print()
        jw = [r for r in finished("jawnik", docs) if r["phases"] not in ("-", "")]
        if jw:
            phases = defaultdict(list)
            for r in jw:
                for name, secs in re.findall(r"([a-z +]+?) ([0-9.]+) s", r["phases"]):
                    phases[name.strip()].append(float(secs))
            parts = ", ".join(f"{k} {fmt(median(v), 2)} s" for k, v in phases.items())
            print(f"jawnik's phases (median of {len(jw)}): {parts}; index folder {jw[-1]['index_mib']} MiB.")
            print()
        j = medians.get(("jawnik", docs))
        for other, label in [("hugo", "Hugo"), ("hugo+pagefind", "Hugo + Pagefind")]:
            o = medians.get((other, docs))
            if j and o and j[0] and o[0]:
                print(
                    f"- jawnik / {label}: wall time **{j[0] / o[0]:.2f}×**, CPU time "
                    f"**{j[2] / o[2]:.2f}×**, peak RSS **{j[1] / o[1]:.2f}×**"
                )
        print()

    if len(sizes) > 1:
        base = sizes[0]
        print(f"## Growth of the median wall time (CPU time) from {base:,} documents")
        print()
        print("| tool | " + " | ".join(f"{d:,}" for d in sizes[1:]) + " |")
        print("|---|" + "---:|" * (len(sizes) - 1))
        for tool, label in [
            ("jawnik", "jawnik"),
            ("hugo", "Hugo"),
            ("pagefind", "Pagefind"),
            ("hugo+pagefind", "Hugo + Pagefind"),
        ]:
            b = medians.get((tool, base), (None, None, None))
            cells = []
            for d in sizes[1:]:
                m = medians.get((tool, d), (None, None, None))
                cells.append(
                    f"{m[0] / b[0]:.1f}× ({m[2] / b[2]:.1f}×) for {d // base}× the documents"
                    if b[0] and m[0]
                    else "–"
                )
            print(f"| {label} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
