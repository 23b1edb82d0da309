"""One statute of ../shared/corpora/ustawy/ as a jawnik report: the conversion shared by
bench/search.sh (every statute, the benchmark site) and tests/relevance/make-ustawy.py (the
relevance set's fixture). Stdlib only.

A corpus file is a `source:` line, a `title:` line, a blank line, then the text.
"""
import re

MONTHS = {m: i + 1 for i, m in enumerate(
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia".split())}


def toml_str(s):
    """A TOML basic string: escape backslash, quote and every control character."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif o < 0x20 or o == 0x7F:
            out.append("\\u%04X" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def first_sentence(text, fallback):
    """The first sentence of the statute's articles (after `Art. 1.` when there is one)."""
    m = re.search(r"\bArt\.\s*1\.", text)
    body = text[m.end():] if m else text
    body = " ".join(body.split())
    # A sentence ends at . ; or : followed by a capital letter / digit / end, or at the first `1)`.
    m = re.search(r"[.;:](?=\s+(?:[A-ZĄĆĘŁŃÓŚŹŻ0-9]|$))|[.;:]$", body)
    s = body[: m.end()] if m else body
    if len(s) > 400:
        s = s[:400].rsplit(" ", 1)[0] + " …"
    s = s.strip()
    return s if len(s) >= 10 else fallback


def title_date(title):
    """The date the title states (`z dnia 9 grudnia 1993 r.`) as YYYY-MM-DD, or None."""
    m = re.search(r"z dnia (\d{1,2}) (\w+) (\d{4}) r", title)
    if not m or m.group(2) not in MONTHS:
        return None
    return "%s-%02d-%02d" % (m.group(3), MONTHS[m.group(2)], int(m.group(1)))


def report(path, with_date=False):
    """(title, the report's Markdown) of the statute in `path`: title, summary (the first
    sentence after `Art. 1.`), the title's date when `with_date`, the corpus's source line, and
    the text with the PDF-era indentation removed (4 spaces would be code blocks), blank lines
    kept, and `#`, `<`, `|`, `+`, `=`, `-`, `*`, `>` at the start of a line escaped."""
    name = path.rsplit("/", 1)[-1][:-4]
    with open(path, encoding="utf-8", errors="replace") as f:
        raw = f.read()
    head, _, text = raw.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip()
    title = " ".join(meta.get("title", name).split()) or name
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line[:1] in ("#", "<", "|", "+", "=", "-", "*", ">"):
            line = "\\" + line
        lines.append(line)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    fm = ["+++", "title = " + toml_str(title), "summary = " + toml_str(first_sentence(text, title))]
    date = title_date(title) if with_date else None
    if date:
        fm.append("date = " + date)
    if meta.get("source"):
        fm.append("sources = [" + toml_str(meta["source"]) + "]")
    fm.append("+++")
    return title, "\n".join(fm) + "\n\n" + body
