#!/usr/bin/env python3
"""Tables of the browser-search benchmark (bench/README.md, "Browser search").

    python3 bench/browser-search-summary.py OUT_DIR STATS_FILE REV PAGEFIND_VERSION [NAME...]

Reads OUT_DIR/bs-NAME.json (written by bench/browser-search.mjs) for every site of
STATS_FILE (lines "name docs build_s build_rss_kb jw_files jw_bytes pf_s pf_rss_kb pf_files
pf_bytes", written by browser-search.sh) or, when NAMEs are given, for those (the build table
and folder columns then come from STATS_FILE where it has them). Prints Markdown.
Transfer headline = "wire": body bytes the server actually sent (compressed where the
server's --encoding and the file type allow it; see browser-search.mjs); "raw" = file bytes,
"gzip estimate" = every file gzipped at level 6 (the old headline, kept for comparison).
"""
import json
import os
import sys

out, stats_file, rev, pfver = sys.argv[1:5]
names = sys.argv[5:]
rows, skip = [], None
if os.path.exists(stats_file):
    for line in open(stats_file):
        f = line.split()
        if not f:
            continue
        if f[0] == "skip-50000":
            skip = f[1:]
            continue
        rows.append(f)
build = {r[0]: r for r in rows}
if not names:
    names = [r[0] for r in rows]

res, enc = {}, set()
for n in names:
    p = os.path.join(out, f"bs-{n}.json")
    if os.path.exists(p):
        d = json.load(open(p))
        res[n] = d["engines"]
        enc.add(d.get("encoding", "identity (before --encoding existed)"))


def kb(x): return "-" if x is None else f"{x / 1024:,.0f}"
def ms(x): return "-" if x is None else f"{x:,.0f}"
def ratio(a, b): return "-" if a in (None, 0) or b in (None, 0) else f"{a / b:.2f}"
def mb(x): return "-" if x in ("-", None) else f"{int(x) / 1e6:,.1f}"
def st(e, k, s): return (e.get(k) or {}).get(s)


def med(v):
    v = sorted(x for x in v if x is not None)
    n = len(v)
    return None if not n else (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2)


def engines(name):
    for eng in ("jawnik", "pagefind"):
        e = res.get(name, {}).get(eng)
        if e:
            yield eng, e


def nav_recs(e): return [x for x in e["records"] if not x.get("extra") and x.get("state") == "done" and "files" in x]
def typed_recs(e): return [x["typed"] for x in e["records"] if not x.get("extra") and x.get("typed", {}).get("state") == "done"]


print(f"Server encoding: {', '.join(sorted(enc)) or '-'} (transfer = body bytes on the wire; HTTP headers not counted).\n")

if rows:
    print("#### Index build\n")
    print("| site | docs | jawnik build s | peak RSS MiB | search/ files | search/ MB | Pagefind s | peak RSS MiB | pagefind/ files | pagefind/ MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        name, docs, bs, brss, jf, jb, ps, prss, pff, pfb = r
        print(f"| {name} | {int(docs):,} | {float(bs):.1f} | {int(brss) // 1024:,} | {int(jf):,} | {mb(jb)} | "
              f"{'-' if ps == '-' else f'{float(ps):.1f}'} | {'-' if prss == '-' else f'{int(prss) // 1024:,}'} | "
              f"{'-' if pff == '-' else f'{int(pff):,}'} | {mb(pfb)} |")
    if skip:
        print(f"\n50,000 documents skipped: estimated {skip[0]} GiB peak RSS / {skip[1]} s build.")

print("\n#### Query in the URL, fresh browser (navigation start → results; KB on the wire unless raw)\n")
print("| site | engine | ok | all files median KB | max | queries ≤ 300 KB | all raw / gzip-estimate median | search files median | max "
      "| time to results median ms | p95 | max | first search request → results median ms | fetch rounds median |")
print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for name in names:
    for eng, e in engines(name):
        if "allWire" not in e:
            continue
        recs = nav_recs(e)
        le300 = sum(1 for x in recs if x["allWire"] <= 300 * 1024)
        print(f"| {name} | {eng} | {e['ok']}/{e['queries']} | {kb(st(e, 'allWire', 'median'))} | {kb(st(e, 'allWire', 'max'))} | "
              f"{le300}/{len(recs)} | {kb(st(e, 'allRaw', 'median'))} / {kb(st(e, 'allGz', 'median'))} | {kb(st(e, 'searchWire', 'median'))} | "
              f"{kb(st(e, 'searchWire', 'max'))} | {ms(st(e, 'toDone', 'median'))} | {ms(st(e, 'toDone', 'p95'))} | "
              f"{ms(st(e, 'toDone', 'max'))} | {ms(st(e, 'fromFirst', 'median'))} | {ms(st(e, 'rounds', 'median'))} |")

print("\nFetch rounds (until the results): jawnik's are exact (the page's fetch() batches); Pagefind fetches "
      "from a worker, so its are grouped by timing at the server and only approximate.")

print("\n#### Typed into an idle search page, fresh browser (the query in the box → results; KB on the wire)\n")
print("The query is put in the box at once, as when pasted (jawnik searches that at once; a letter typed "
      "at a time waits for a 120 ms pause); \"engine\" = from the start of the search "
      "(jawnik: data-state loading; Pagefind: the `search()` call) to results. \"Page load\" = what "
      "the page fetched before the query was typed (jawnik: page, CSS, search.js, meta.json — which "
      "carries the meta file since b4b072e, meta-*.bin before —, wasm; Pagefind: bench page, pagefind.js + worker, entry, wasm, pf_meta via `init()`).\n")
print("| site | engine | ok | page load median KB | after typing median KB | of which before the results | max | queries ≤ 300 KB (load + after typing) "
      "| typed → results median ms | p95 | max | engine median ms | p95 | fetch rounds median |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for name in names:
    for eng, e in engines(name):
        if "typed_allWire" not in e:
            continue
        recs = typed_recs(e)
        le300 = sum(1 for x in recs if x["allWire"] + x["loadWire"] <= 300 * 1024)
        print(f"| {name} | {eng} | {e['typedOk']}/{e['queries']} | {kb(st(e, 'typed_loadWire', 'median'))} | "
              f"{kb(st(e, 'typed_allWire', 'median'))} | {kb(st(e, 'typed_allWireToDone', 'median'))} | "
              f"{kb(st(e, 'typed_allWire', 'max'))} | {le300}/{len(recs)} | "
              f"{ms(st(e, 'typed_typedToDone', 'median'))} | {ms(st(e, 'typed_typedToDone', 'p95'))} | "
              f"{ms(st(e, 'typed_typedToDone', 'max'))} | {ms(st(e, 'typed_typedEngine', 'median'))} | "
              f"{ms(st(e, 'typed_typedEngine', 'p95'))} | {ms(st(e, 'typed_rounds', 'median'))} |")

print("\n#### jawnik / Pagefind ratios\n")
print("| site | all wire median (URL) | all wire max (URL) | after typing wire median | time median (URL) | time p95 (URL) | engine time median (typed) | folder files | folder size |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name in names:
    j, p = res.get(name, {}).get("jawnik"), res.get(name, {}).get("pagefind")
    if not (j and p):
        continue
    b = build.get(name)
    files = ratio(int(b[4]), None if b[8] == "-" else int(b[8])) if b else "-"
    size = ratio(int(b[5]), None if b[9] == "-" else int(b[9])) if b else "-"
    print(f"| {name} | {ratio(st(j, 'allWire', 'median'), st(p, 'allWire', 'median'))} | "
          f"{ratio(st(j, 'allWire', 'max'), st(p, 'allWire', 'max'))} | "
          f"{ratio(st(j, 'typed_allWire', 'median'), st(p, 'typed_allWire', 'median'))} | "
          f"{ratio(st(j, 'toDone', 'median'), st(p, 'toDone', 'median'))} | {ratio(st(j, 'toDone', 'p95'), st(p, 'toDone', 'p95'))} | "
          f"{ratio(st(j, 'typed_typedEngine', 'median'), st(p, 'typed_typedEngine', 'median'))} | {files} | {size} |")

print("\n#### Growth of the median transfer (all files, wire) from 1,000 documents\n")
base = res.get("gen-1000", {})
for eng in ("jawnik", "pagefind"):
    if eng not in base:
        continue
    parts = []
    for n in ("gen-10000", "gen-50000"):
        e = res.get(n, {}).get(eng)
        if e:
            parts.append(f"{n}: query in the URL {ratio(st(e, 'allWire', 'median'), st(base[eng], 'allWire', 'median'))}×, "
                         f"after typing {ratio(st(e, 'typed_allWire', 'median'), st(base[eng], 'typed_allWire', 'median'))}×")
    print(f"- {eng}: " + ("; ".join(parts) if parts else "-"))

print("\n#### Polish forms (number of results)\n")
checks = ["łódź", "lodz", "mieszkańców", "mieszkańcy", "konsultacjach", "konsultacje"]
print("| site | engine | " + " | ".join(checks) + " |")
print("|---|---|" + "---:|" * len(checks))
for name in names:
    for eng, e in engines(name):
        by = {x["q"]: x.get("total") for x in e["records"]}
        print(f"| {name} | {eng} | " + " | ".join("-" if by.get(c) is None else f"{by[c]:,}" for c in checks) + " |")


def kind(path, eng):
    if eng == "jawnik":
        if not path.startswith("/search/"):
            return "page (HTML, CSS, JS)"
        rest = path[len("/search/"):]
        if ".wasm" in rest:
            return "wasm"
        if rest.startswith("meta"):
            return "meta.json + meta-*.bin"
        if "/" in rest:
            return {"t": "t/ terms", "p": "p/ positions", "l": "l/ lexicon", "d": "d/ documents"}.get(rest.split("/")[0], rest.split("/")[0])
        return "f-*.bin facets"
    if not path.startswith("/pagefind/"):
        return "page (HTML)"
    rest = path[len("/pagefind/"):]
    if rest.endswith(".js"):
        return "pagefind*.js"
    if rest.startswith("wasm"):
        return "wasm"
    if rest.endswith(".pf_meta") or rest.endswith(".json"):
        return "entry + pf_meta"
    return rest.split("/")[0] + "/"


def breakdown(recs, eng):
    """Per kind of file: median files, KB raw / wire, ms from its first request to its last response."""
    kinds = []
    for x in recs:
        for f in x["files"]:
            k = kind(f[0], eng)
            if k not in kinds:
                kinds.append(k)
    parts = []
    for k in kinds:
        # Medians over the queries that fetched this kind at all (how many: in brackets
        # when not every query did).
        fs = [v for v in ([f for f in x["files"] if kind(f[0], eng) == k] for x in recs) if v]
        cnt = med([len(v) for v in fs])
        raw = med([sum(f[1] for f in v) for v in fs])
        wire = med([sum(f[3] for f in v) for v in fs])
        span = med([max(f[6] for f in v) - min(f[5] for f in v) for v in fs])
        at = med([min(f[5] for f in v) for v in fs])
        some = "" if len(fs) == len(recs) else f" (in {len(fs)} of {len(recs)} queries)"
        parts.append(f"{k}{some} {cnt:g} files {raw / 1024:,.0f}/{wire / 1024:,.0f} KB at {ms(at)} ms for {ms(span)} ms")
    return "; ".join(parts)


print("\n#### Where bytes and time go: per kind of file, median number of files, KB raw / wire, "
      "request time of its first file (ms from the origin) and time from its first request to its last response\n")
for name in names:
    for eng, e in engines(name):
        recs = nav_recs(e)
        if recs and len(recs[0]["files"][0]) > 6:
            print(f"- {name} {eng}, query in the URL: {breakdown(recs, eng)}")
        trecs = typed_recs(e)
        if trecs:
            print(f"- {name} {eng}, after typing: {breakdown(trecs, eng)}")
        # Rounds: median request time and duration of round i (of the queries that have one).
        for label, rs in (("query in the URL", recs), ("after typing", trecs)):
            rr = [x.get("rounds") or [] for x in rs]
            if not any(rr):
                continue
            n = max(len(r) for r in rr)
            cells = []
            for i in range(min(n, 8)):
                have = [r[i] for r in rr if len(r) > i]
                cells.append(f"#{i + 1} at {ms(med([h[0] for h in have]))} for {ms(med([h[1] - h[0] for h in have]))} ms, "
                             f"{med([h[2] for h in have]):g} files ({len(have)} q.)")
            how = {h[4] for r in rr for h in r}
            print(f"  - fetch rounds, {label} (grouped by {'/'.join(sorted(how))}): " + "; ".join(cells) + (" …" if n > 8 else ""))
        if eng == "jawnik" and recs:
            pq = [x["q"] for x in recs if '"' not in x["q"] and any(f[0].startswith("/search/p/") for f in x["files"])]
            print(f"  - queries without quotes that fetched p/ (position) chunks: {len(pq)} of {sum(1 for x in recs if chr(34) not in x['q'])}")

def file_key(path):
    """A file of the first query by what it is, the same name whatever its hash: `/css/style.css`,
    `/search/jawnik-*.wasm.deflate`, `/search/t/` (every term chunk together), …"""
    path = path.split("?")[0]
    if path.startswith("/search/"):
        rest = path[len("/search/"):]
        if "/" in rest:
            return f"/search/{rest.split('/')[0]}/ (all)"
        stem, _, ext = rest.partition(".")
        return "/search/" + stem.split("-")[0] + ("-*." + ext if "-" in stem else "." + ext)
    return path


print("\n#### Bytes per file of the first query (jawnik, query in the URL, wire bytes)\n")
print("Per file (hashes in names left out; chunk folders summed per query): in how many queries it "
      "was fetched, its median wire bytes over those, and that median × the share of queries "
      "(what it adds to an average first query).\n")
for name in names:
    for eng, e in engines(name):
        recs = nav_recs(e)
        if eng != "jawnik" or not recs:
            continue
        per = {}
        for x in recs:
            sums = {}
            for f in x["files"]:
                k = file_key(f[0])
                sums[k] = sums.get(k, 0) + f[3]
            for k, v in sums.items():
                per.setdefault(k, []).append(v)
        print(f"| {name}: file | queries | median B | × share B |\n|---|---:|---:|---:|")
        for k, v in sorted(per.items(), key=lambda kv: -med(kv[1]) * len(kv[1])):
            print(f"| `{k}` | {len(v)}/{len(recs)} | {med(v):,.0f} | {med(v) * len(v) / len(recs):,.0f} |")
        tot = [sum(f[3] for f in x["files"]) for x in recs]
        print(f"| all files (median of the per-query totals) | {len(recs)} | {med(tot):,.0f} | |\n")

print("\n#### Largest file fetched by any query (raw KB)\n")
for name in names:
    for eng, e in engines(name):
        big = max(((f[1], f[0], x["q"]) for x in e["records"] for f in x.get("files", [])), default=None)
        if big:
            print(f"- {name} {eng}: `{big[1]}` {big[0] / 1024:,.1f} KB (query `{big[2]}`)")
        if e.get("failed"):
            print(f"  - failed queries (URL): {e['failed']}")
        if e.get("typedFailed"):
            print(f"  - failed queries (typed): {e['typedFailed']}")

j10 = res.get("gen-10000", {}).get("jawnik")
if j10:
    print("\n#### Targets on 10,000 documents (jawnik)\n")
    def ok(c): return "met" if c else "**missed**"
    m = st(j10, "allWire", "median")
    mx = st(j10, "allWire", "max")
    t = st(j10, "toDone", "median")
    te = st(j10, "typed_typedEngine", "median")
    tt = st(j10, "typed_typedToDone", "median")
    if m is not None:
        print(f"- median first-query transfer ≤ 100 KB, all files (query in the URL, wire): {kb(m)} KB: {ok(m <= 100 * 1024)}")
        print(f"- every query ≤ 300 KB (query in the URL, wire): max {kb(mx)} KB: {ok(mx <= 300 * 1024)}")
    if t is not None:
        print(f"- median time to results < 100 ms: query in the URL {ms(t)} ms ({ok(t < 100)})"
              + (f"; typed {ms(tt)} ms ({ok(tt < 100)}), engine {ms(te)} ms ({ok(te < 100)})" if te is not None else ""))
    elif te is not None:
        print(f"- median time to results < 100 ms: typed {ms(tt)} ms ({ok(tt < 100)}), engine {ms(te)} ms ({ok(te < 100)})")
    b = build.get("gen-10000")
    if b:
        print(f"- search/ < 1,000 files: {int(b[4]):,}: {ok(int(b[4]) < 1000)}")
    j50, j1 = res.get("gen-50000", {}).get("jawnik"), res.get("gen-1000", {}).get("jawnik")
    if j50 and j1 and st(j1, "allWire", "median"):
        g = st(j50, "allWire", "median") / st(j1, "allWire", "median")
        print(f"- transfer growth 1,000 → 50,000 < 2×: {g:.2f}×: {ok(g < 2)}")

chromium = os.popen("/usr/bin/chromium --version 2>/dev/null").read().strip()
print(f"\njawnik {rev}, Pagefind {pfver or 'not installed'}, {os.cpu_count()} cores, chromium {chromium}.")
