#!/usr/bin/env python3
"""Generate an N-document jawnik site (and optionally the same corpus as a Hugo site).

The text is real Polish: titles and paragraphs taken from the statutes in
../shared/corpora/ustawy/ (read at generation time, never copied into the repository).
Output is deterministic for a given --seed, --docs, --scale and corpus.

    python3 bench/gen-corpus.py OUT_DIR [--docs 10000] [--seed 1] [--hugo HUGO_DIR] [--scale 1]

--scale multiplies every document's body size (the 1,000,000-document run of
docs/scaling.md used 0.25 to fit the disk); 1, the default, gives the same corpus as before
the option existed.

OUT_DIR gets jawnik.toml and content/{strategie,programy,raporty,organizacje}/ with
_index.md files; HUGO_DIR gets hugo.toml, the same content/ and minimal layouts.
Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import re
import shutil
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------------------------------
# Vocabularies

BUILTIN_SECTORS = [
    ("kultura", "Kultura i sztuka"),
    ("edukacja", "Edukacja"),
    ("pomoc-spoleczna", "Pomoc społeczna"),
    ("zdrowie", "Ochrona zdrowia"),
    ("sport", "Sport i rekreacja"),
    ("ekologia", "Ekologia i ochrona środowiska"),
    ("mlodziez", "Młodzież"),
    ("seniorzy", "Seniorzy"),
    ("niepelnosprawnosc", "Osoby z niepełnosprawnościami"),
    ("rewitalizacja", "Rewitalizacja"),
    ("transport", "Transport i mobilność"),
    ("bezpieczenstwo", "Bezpieczeństwo publiczne"),
]

BUILTIN_DISTRICTS = [
    ("stare-miasto", "Dzielnica I Stare Miasto"),
    ("grzegorzki", "Dzielnica II Grzegórzki"),
    ("pradnik-czerwony", "Dzielnica III Prądnik Czerwony"),
    ("pradnik-bialy", "Dzielnica IV Prądnik Biały"),
    ("krowodrza", "Dzielnica V Krowodrza"),
    ("bronowice", "Dzielnica VI Bronowice"),
    ("zwierzyniec", "Dzielnica VII Zwierzyniec"),
    ("debniki", "Dzielnica VIII Dębniki"),
    ("lagiewniki-borek-falecki", "Dzielnica IX Łagiewniki-Borek Fałęcki"),
    ("swoszowice", "Dzielnica X Swoszowice"),
    ("podgorze-duchackie", "Dzielnica XI Podgórze Duchackie"),
    ("biezanow-prokocim", "Dzielnica XII Bieżanów-Prokocim"),
    ("podgorze", "Dzielnica XIII Podgórze"),
    ("czyzyny", "Dzielnica XIV Czyżyny"),
    ("mistrzejowice", "Dzielnica XV Mistrzejowice"),
    ("bienczyce", "Dzielnica XVI Bieńczyce"),
    ("wzgorza-krzeslawickie", "Dzielnica XVII Wzgórza Krzesławickie"),
    ("nowa-huta", "Dzielnica XVIII Nowa Huta"),
]


def load_vocabularies(toml_path: Path):
    """Sectors and districts from a jawnik.toml, or the built-in ones."""
    if toml_path.is_file():
        try:
            import tomllib  # Python 3.11+

            with toml_path.open("rb") as f:
                data = tomllib.load(f)
            sectors = [(s["slug"], s["name"]) for s in data.get("sectors", [])]
            districts = [(d["slug"], d["name"]) for d in data.get("districts", [])]
            if sectors and districts:
                return sectors, districts, str(toml_path)
        except Exception as e:  # noqa: BLE001 - any problem: fall back, but say so
            print(f"gen-corpus: could not read vocabularies from {toml_path}: {e}", file=sys.stderr)
    return BUILTIN_SECTORS, BUILTIN_DISTRICTS, "built-in"


# ------------------------------------------------------------------------------------------
# The statutes

def find_corpus(explicit: str | None) -> Path:
    candidates = [explicit] if explicit else []
    candidates += [
        os.environ.get("JAWNIK_USTAWY"),
        str(REPO.parent / "shared" / "corpora" / "ustawy"),
        "/work/shared/corpora/ustawy",
    ]
    for c in candidates:
        if c and Path(c).is_dir() and any(Path(c).glob("*.txt")):
            return Path(c)
    sys.exit("gen-corpus: no statute corpus found; pass --corpus DIR (../shared/corpora/ustawy/)")


HEADER_JUNK = re.compile(r"^(Dz\.\s*U\.|U\s*S\s*T\s*A\s*W\s*A$|USTAWA$|z dnia \d)", re.I)
NEW_PARA = re.compile(r"^(Art\.\s*\d+[a-z]*\.|§\s*\d+[a-z]*\.?|Rozdział\b|DZIAŁ\b|\d+[a-z]*\)\s|\d+[a-z]*\.\s|[a-z]\)\s)")
ARTICLE = re.compile(r"^(Art\.\s*\d+[a-z]*\.)\s*(.*)$")
WS = re.compile(r"\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ\"„])")
# Words after which a period does not end a sentence in statute text.
ABBREVIATIONS = {
    "art", "ust", "pkt", "poz", "nr", "dz", "dz.u", "u", "r", "z", "zm", "tj", "t.j", "m.in", "np",
    "itd", "itp", "lit", "str", "ze", "w", "o", "i", "im", "św", "ul", "al", "os", "tzw", "godz",
    "min", "proc", "zł", "gr", "ha", "tys", "mln", "mld", "pkt.", "par", "rozdz", "cz", "tab",
}


def sentences(text: str):
    start = 0
    for m in SENTENCE_END.finditer(text):
        before = text[start:m.start()].rsplit(None, 1)[-1] if text[start:m.start()].strip() else ""
        word = before.lstrip("(\"„[").rstrip(".!?").lower()
        if word in ABBREVIATIONS or (word and word[-1].isdigit()) or len(word) <= 1:
            continue
        yield text[start:m.start()]
        start = m.end()
    yield text[start:]


class Statute:
    __slots__ = ("title", "blocks")

    def __init__(self, title: str, blocks: list[str]):
        self.title = title
        self.blocks = blocks  # Markdown blocks: "### Art. 1." headings and paragraphs


def clean_title(raw: str) -> str:
    t = WS.sub(" ", raw).strip()
    t = re.sub(r"\s*\(Dz\.\s*U\..*$", "", t)  # the journal reference
    t = re.sub(r"^U\s?S\s?T\s?A\s?W\s?A\s+", "", t, flags=re.I)
    t = re.sub(r"^USTAWA\s+", "", t, flags=re.I)
    t = re.sub(r"^z dnia \d+ \S+ \d{4} ?r\.?\s*", "", t)
    t = t.strip(" .-")
    if not t:
        t = "Dokument"
    return t[0].upper() + t[1:]


def parse_statute(path: Path) -> Statute | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    head, _, body = text.partition("\n\n")
    title = ""
    for line in head.splitlines():
        if line.startswith("title:"):
            title = line[len("title:"):].strip()
    blocks: list[str] = []
    para: list[str] = []

    def flush():
        if para:
            p = WS.sub(" ", " ".join(para)).strip()
            if len(p) > 2:
                blocks.append(escape_md(p))
            para.clear()

    started = False
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if not started and HEADER_JUNK.match(line):
            continue
        started = True
        if NEW_PARA.match(line):
            flush()
            m = ARTICLE.match(line)
            if m:
                blocks.append("### " + m.group(1))
                line = m.group(2)
                if not line:
                    continue
        para.append(line)
        if sum(len(x) for x in para) > 900 and line.endswith((".", ";")):
            flush()
    flush()
    if not title or not any(not b.startswith("#") for b in blocks):
        return None
    title = clean_title(title)
    folded_title = WS.sub(" ", title.lower())
    while blocks and not blocks[0].startswith("#") and WS.sub(" ", blocks[0].lower().lstrip("\\")) in folded_title:
        blocks.pop(0)
    if not any(not b.startswith("#") for b in blocks):
        return None
    return Statute(title, blocks)


def escape_md(p: str) -> str:
    # Keep the text as text: no raw HTML, no accidental headings, quotes or rules.
    p = p.replace("<", "&lt;").replace(">", "&gt;")
    if p[0] in "#>+-*=|_`":
        p = "\\" + p
    return p


def first_sentence(blocks: list[str], limit: int = 300) -> str:
    for b in blocks:
        if b.startswith("#"):
            continue
        text = b.lstrip("\\").replace("&lt;", "<").replace("&gt;", ">")
        s = next(sentences(text)).strip()
        if len(s) < 20 and len(text) > len(s):
            s = text
        if len(s) > limit:
            cut = s[:limit].rsplit(" ", 1)[0]
            s = cut.rstrip(",;: ") + "…"
        return s
    return "Dokument bez treści."


# ------------------------------------------------------------------------------------------
# TOML and slugs

def toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_list(items) -> str:
    return "[" + ", ".join(toml_str(x) for x in items) + "]"


POLISH = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def slugify(s: str, max_len: int = 48) -> str:
    s = s.translate(POLISH)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0]
    return s or "dokument"


# ------------------------------------------------------------------------------------------
# The corpus

SECTIONS = [
    # folder, kind, title, share of documents, front matter prefix for titles
    ("strategie", "strategia", "Strategie", 0.05),
    ("programy", "program", "Programy", 0.15),
    ("raporty", "raport", "Raporty", 0.60),
    ("organizacje", "organizacja", "Organizacje pozarządowe", 0.20),
]

SECTION_INTROS = {
    "strategie": "Strategie rozwoju miasta i polityki sektorowe.",
    "programy": "Programy współpracy i programy sektorowe realizowane przez miasto.",
    "raporty": "Raporty z konsultacji społecznych, sprawozdania i podsumowania spotkań.",
    "organizacje": "Organizacje pozarządowe działające w Krakowie.",
}

TITLE_PREFIX = {
    "strategia": ["Strategia: ", "Strategia rozwoju — ", "Polityka miejska: "],
    "program": ["Program współpracy: ", "Program: ", "Program wieloletni — "],
    "raport": ["Raport z konsultacji: ", "Sprawozdanie: ", "Podsumowanie spotkania: ", "Raport: "],
}

ISSUERS = [
    "Prezydent Miasta Krakowa",
    "Rada Miasta Krakowa",
    "Wydział Polityki Społecznej i Zdrowia",
    "Kancelaria Rady Miasta i Dzielnic Krakowa",
    "Miejskie Centrum Dialogu",
    "Krakowska Rada Działalności Pożytku Publicznego",
]
STATUSES = ["projekt", "konsultacje", "obowiązuje", "archiwalny"]
ORG_FORMS = ["Fundacja", "Stowarzyszenie", "Towarzystwo", "Związek Stowarzyszeń", "Fundacja Rozwoju", "Klub"]
STREETS = ["Grodzka", "Floriańska", "Długa", "Karmelicka", "Dietla", "Kalwaryjska", "os. Centrum A", "Wielicka", "Kobierzyńska", "Mogilska"]


# Multiplies every document's size range (--scale); 1 keeps the corpus byte-identical.
SIZE_SCALE = 1.0


def target_size(rng: random.Random, lo: int, hi: int) -> int:
    """Log-uniform between lo and hi bytes (times --scale): many short documents, some long ones."""
    size = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    return size if SIZE_SCALE == 1.0 else max(200, int(size * SIZE_SCALE))


def take_blocks(rng: random.Random, statutes: list[Statute], first: int, size: int) -> list[str]:
    """Blocks from statute `first` (then the following ones) until about `size` bytes."""
    out: list[str] = []
    total = 0
    i = first
    st = statutes[i]
    start = rng.randrange(0, max(1, len(st.blocks) // 3))
    while total < size:
        for b in st.blocks[start:]:
            out.append(b)
            total += len(b.encode("utf-8")) + 2
            if total >= size:
                break
        i = (i + 1) % len(statutes)
        st = statutes[i]
        start = 0
    # No trailing heading, no leading heading without text after it.
    while out and out[-1].startswith("#"):
        out.pop()
    return out


def random_date(rng: random.Random, start=dt.date(2000, 1, 1), end=dt.date(2024, 12, 31)) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def pick(rng: random.Random, vocab, lo: int, hi: int) -> list[str]:
    k = rng.randint(lo, min(hi, len(vocab)))
    return [slug for slug, _ in rng.sample(vocab, k)]


def document(rng, n, section, kind, statutes, sectors, districts):
    idx = rng.randrange(len(statutes))
    st = statutes[idx]
    if kind == "organizacja":
        blocks = take_blocks(rng, statutes, idx, target_size(rng, 1_000, 6_000))
        subject = st.title[0].lower() + st.title[1:]
        name = f"{rng.choice(ORG_FORMS)} „{subject[:90].rsplit(' ', 1)[0] if len(subject) > 90 else subject}”"
        slug = f"{n:05d}-{slugify(name)}"
        fm = [
            f"name = {toml_str(name)}",
            f"summary = {toml_str(first_sentence(blocks))}",
            f"sectors = {toml_list(pick(rng, sectors, 1, 3))}",
            f"districts = {toml_list(pick(rng, districts, 0, 2))}",
            f"address = {toml_str(f'ul. {rng.choice(STREETS)} {rng.randint(1, 120)}, 3{rng.randint(0, 1)}-{rng.randint(100, 999)} Kraków')}",
            f"website = {toml_str(f'https://{slugify(name, 30)}.example.org/')}",
            f"email = {toml_str(f'kontakt@{slugify(name, 30)}.example.org')}",
            f"phone = {toml_str(f'+48 12 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}')}",
            f"krs = {toml_str(f'{rng.randint(1, 999_999):010d}')}",
            f"sources = {toml_list([f'benchmark corpus, statute {idx + 1}'])}",
        ]
        return slug, fm, blocks, name

    blocks = take_blocks(rng, statutes, idx, target_size(rng, 1_000, 30_000))
    prefix = rng.choice(TITLE_PREFIX[kind])
    subject = st.title
    if prefix.endswith((": ", "— ")) and subject[:2] in ("O ", "Z "):
        subject = subject[0].lower() + subject[1:]
    title = prefix + subject
    if len(title) > 200:
        title = title[:200].rsplit(" ", 1)[0] + "…"
    date = random_date(rng)
    published = date + dt.timedelta(days=rng.randint(0, 30))
    fm = [
        f"title = {toml_str(title)}",
        f"summary = {toml_str(first_sentence(blocks))}",
        f"date = {date.isoformat()}",
        f"published = {published.isoformat()}",
    ]
    if rng.random() < 0.3:
        fm.append(f"updated = {(published + dt.timedelta(days=rng.randint(1, 400))).isoformat()}")
    fm.append(f"issuer = {toml_str(rng.choice(ISSUERS))}")
    fm.append(f"status = {toml_str(rng.choice(STATUSES))}")
    if kind in ("strategia", "program"):
        y = date.year
        fm.append(f"period = {toml_str(f'{y}–{y + rng.choice([2, 3, 4, 9])}')}")
    fm.append(f"sectors = {toml_list(pick(rng, sectors, 1, 3))}")
    fm.append(f"districts = {toml_list(pick(rng, districts, 0, 3))}")
    fm.append(f"source = {toml_str(f'https://www.bip.krakow.pl/?dok_id={100000 + n}')}")
    fm.append(f"sources = {toml_list([f'benchmark corpus, statute {idx + 1}'])}")
    slug = f"{n:05d}-{slugify(st.title, 40)}"
    return slug, fm, blocks, title


def write_doc(path: Path, fm: list[str], blocks: list[str]):
    path.write_text("+++\n" + "\n".join(fm) + "\n+++\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")


def jawnik_toml(sectors, districts, docs: int) -> str:
    lines = [
        f"title = {toml_str(f'Korpus testowy jawnika ({docs} dokumentów)')}",
        'description = "Wygenerowany korpus do pomiarów wydajności: tekst z ustaw, metadane losowe."',
        'base_url = "http://127.0.0.1:8080/"',
        'language = "pl"',
        'theme = "default"',
        "page_size = 20",
        "",
    ]
    for slug, name in sectors:
        lines += ["[[sectors]]", f"slug = {toml_str(slug)}", f"name = {toml_str(name)}", ""]
    for slug, name in districts:
        lines += ["[[districts]]", f"slug = {toml_str(slug)}", f"name = {toml_str(name)}", ""]
    return "\n".join(lines)


def generate(out: Path, docs: int, seed: int, corpus: Path, vocab_from: Path) -> dict:
    sectors, districts, vocab_source = load_vocabularies(vocab_from)
    files = sorted(corpus.glob("*.txt"))
    statutes = [s for s in (parse_statute(f) for f in files) if s]
    if not statutes:
        sys.exit(f"gen-corpus: no usable statutes in {corpus}")
    rng = random.Random(seed)

    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    (out / "jawnik.toml").write_text(jawnik_toml(sectors, districts, docs), encoding="utf-8")
    (content / "_index.md").write_text(
        '+++\ntitle = "Korpus testowy"\nsummary = "Dokumenty wygenerowane do pomiarów."\n+++\n\n'
        "Ten serwis powstał z tekstów ustaw, by zmierzyć czas budowania i wyszukiwania.\n",
        encoding="utf-8",
    )

    counts = {}
    remaining = docs
    for i, (folder, kind, title, share) in enumerate(SECTIONS):
        n = remaining if i == len(SECTIONS) - 1 else round(docs * share)
        remaining -= n
        counts[folder] = n
        d = content / folder
        d.mkdir()
        (d / "_index.md").write_text(
            f"+++\ntitle = {toml_str(title)}\nsummary = {toml_str(SECTION_INTROS[folder])}\n+++\n\n"
            f"{SECTION_INTROS[folder]}\n",
            encoding="utf-8",
        )

    total_bytes = 0
    n = 0
    for folder, kind, _, _ in SECTIONS:
        d = content / folder
        for _ in range(counts[folder]):
            n += 1
            slug, fm, blocks, _title = document(rng, n, folder, kind, statutes, sectors, districts)
            p = d / f"{slug}.md"
            write_doc(p, fm, blocks)
            total_bytes += p.stat().st_size
    return {
        "documents": docs,
        "counts": counts,
        "bytes": total_bytes,
        "statutes": len(statutes),
        "vocabularies": vocab_source,
    }


# ------------------------------------------------------------------------------------------
# Hugo

HUGO_TOML = """baseURL = "http://127.0.0.1:8080/"
locale = "pl"
defaultContentLanguage = "pl"
title = "Korpus testowy (Hugo)"
disableKinds = []
enableRobotsTXT = true

[taxonomies]
  sector = "sectors"
  district = "districts"

[markup.goldmark.renderer]
  unsafe = false

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]

# As jawnik's lists (page_size = 20) and feeds (the newest 50 entries: FEED_LIMIT in
# src/render/feeds.rs); Hugo's feeds list every page by default.
[pagination]
  pagerSize = 20

[services.rss]
  limit = 50
"""

BASEOF = """<!doctype html>
<html lang="pl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ with .Title }}{{ . }} – {{ end }}{{ .Site.Title }}{{ end }}</title>
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}">
</head>
<body>
<header>
<a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><ul>
{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
<li><a href="{{ "sectors/" | relURL }}">Branże</a></li>
<li><a href="{{ "districts/" | relURL }}">Dzielnice</a></li>
</ul></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ .Site.Title }}</p></footer>
</body>
</html>
"""

SINGLE = """{{ define "title" }}{{ with .Params.name }}{{ . }}{{ else }}{{ .Title }}{{ end }} – {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ with .Params.name }}{{ . }}{{ else }}{{ .Title }}{{ end }}</h1>
<section class="w-skrocie"><h2>W skrócie</h2><p>{{ .Params.summary }}</p></section>
<dl>
{{ with .Params.date }}<dt>Data</dt><dd>{{ dateFormat "2006-01-02" . }}</dd>{{ end }}
{{ with .Params.issuer }}<dt>Wydał</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.status }}<dt>Status</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.period }}<dt>Okres</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.address }}<dt>Adres</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.krs }}<dt>KRS</dt><dd>{{ . }}</dd>{{ end }}
</dl>
{{ with .GetTerms "sectors" }}<p>Branże: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "districts" }}<p>Dzielnice: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ .Content }}
{{ with .Params.source }}<p><a href="{{ . }}">Źródło</a></p>{{ end }}
</article>
{{ end }}
"""

# Lists in Hugo's default order (weight, then date, newest first), as jawnik's: sorting again
# in the template (`.Paginate .Pages.ByDate.Reverse`) sorted the whole section once per pager page.
LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pager := .Paginate .Pages }}
<ul>
{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ with .Params.name }}{{ . }}{{ else }}{{ .Title }}{{ end }}</a>
{{ with .Params.date }}<time>{{ dateFormat "2006-01-02" . }}</time>{{ end }}
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}
</ul>
<nav aria-label="Strony">
{{ if $pager.HasPrev }}<a href="{{ $pager.Prev.URL }}">Poprzednia</a>{{ end }}
<span>Strona {{ $pager.PageNumber }} z {{ $pager.TotalPages }}</span>
{{ if $pager.HasNext }}<a href="{{ $pager.Next.URL }}">Następna</a>{{ end }}
</nav>
{{ end }}
"""

INDEX = """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Content }}
<form action="{{ "szukaj/" | relURL }}"><label>Szukaj <input name="q" type="search"></label></form>
<h2>Najnowsze dokumenty</h2>
<ul>
{{ range first 10 (where .Site.RegularPages.ByDate.Reverse "Section" "in" (slice "strategie" "programy" "raporty")) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ dateFormat "2006-01-02" .Date }}</time><p>{{ .Params.summary }}</p></li>
{{ end }}
</ul>
<h2>Branże</h2>
<ul>{{ range .Site.Taxonomies.sectors.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Rodzaje</h2>
<ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ end }}
"""


def write_hugo(src: Path, hugo: Path):
    if hugo.exists():
        shutil.rmtree(hugo)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    (hugo / "layouts" / "_default" / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (hugo / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (hugo / "layouts" / "_default" / "list.html").write_text(LIST, encoding="utf-8")
    (hugo / "layouts" / "index.html").write_text(INDEX, encoding="utf-8")
    # Same Markdown and TOML front matter: Hugo reads +++ front matter as TOML.
    shutil.copytree(src / "content", hugo / "content")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder for the jawnik site (jawnik.toml + content/)")
    ap.add_argument("--docs", type=int, default=10_000, help="number of documents (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--corpus", help="statute folder (default ../shared/corpora/ustawy)")
    ap.add_argument("--vocab", type=Path, default=REPO / "jawnik.toml", help="jawnik.toml to take sectors/districts from")
    ap.add_argument("--hugo", type=Path, help="also write the corpus as a Hugo site into this folder")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every document's body size by this (default 1; e.g. 0.25 for a "
                         "1,000,000-document run that fits the disk)")
    args = ap.parse_args()
    if args.docs < 4:
        ap.error("--docs must be at least 4 (one per section)")

    if args.scale <= 0:
        ap.error("--scale must be positive")
    global SIZE_SCALE
    SIZE_SCALE = args.scale
    corpus = find_corpus(args.corpus)
    stats = generate(args.out, args.docs, args.seed, corpus, args.vocab)
    print(
        f"gen-corpus: {stats['documents']} documents ({', '.join(f'{k} {v}' for k, v in stats['counts'].items())}), "
        f"{stats['bytes'] / 1e6:.1f} MB of Markdown from {stats['statutes']} statutes, "
        f"vocabularies {stats['vocabularies']} -> {args.out}"
    )
    if args.hugo:
        write_hugo(args.out, args.hugo)
        print(f"gen-corpus: Hugo site -> {args.hugo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
