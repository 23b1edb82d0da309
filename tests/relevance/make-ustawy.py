#!/usr/bin/env python3
"""Writes tests/relevance/ustawy/: a small jawnik site of real Polish statutes for the
relevance set (judged.tsv). Source: the statutes corpus of the project's shared folder
(../shared/corpora/ustawy/: Dziennik Ustaw 1993-2018, taken from repo mereszeta/pjn;
statutes are not protected by copyright in Poland, art. 4 of the Copyright Act).

    python3 tests/relevance/make-ustawy.py [CORPUS_DIR]

Only the statutes listed below are copied (about 1.5 MB of text): groups of statutes on one
subject (so that a query has several relevant documents, some only in part: amendments of
different years) and, as distractors, every 29th statute under 25 KB. Each becomes a report
(`content/raporty/uNNNN.md`): its title, the date the title states, a summary (the first
sentence after `Art. 1.`), the corpus's source line, and the text, unindented. Deterministic:
the same corpus gives the same files.
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from statutes import report  # noqa: E402 (the conversion bench/search.sh uses too)
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "corpora", "ustawy")
OUT = os.path.join(HERE, "ustawy")

# Subject groups (by the corpus's file number).
GROUPS = {
    "niepełnosprawni": "0089 0114 0211 0390 0425 0443 0462 0529 0816 0941 1145 1164",
    "pomoc społeczna": "0278 0448 0489 0552 0835 0879 0966",
    "kombatanci": "0003 0370 0403 0487 0082 0969",
    "kultura fizyczna, sport": "0119 0343 0520 0607 0640 0804 0517 0905",
    "kultura, muzea": "0162 1088 0239 0911",
    "turystyka": "0085 0103 0088 0555 0568 0724 0988",
    "narkomania": "0057 0264 0675 1051 1106",
    "alkohol, tytoń": "0196 0754 0946 1013 0430 0386",
    "zwierzęta, łowiectwo": "0341 0923 0933 1114 0839 0368 1157 1119 0106 0338 0674 0972",
    "odpady": "0120 0760 0990 1015 1044 1180 0761",
    "oświata": "0009 0379 0420 0541 0544",
    "bezrobocie": "0027 0145 0606 0664 0811",
    "cudzoziemcy, mniejszości, przejazdy": "0182 0713 0005 0052 0580",
}
DISTRACTOR_EVERY = 29
DISTRACTOR_MAX_BYTES = 25_000

JAWNIK_TOML = """title = "Ustawy (zestaw do oceny trafności wyszukiwania)"
description = "Wybrane ustawy z Dziennika Ustaw 1993–2018: testowy zbiór dokumentów do pomiaru trafności wyszukiwania."
base_url = "https://example.org/"
language = "pl"
theme = "default"
page_size = 20
"""


def main():
    files = sorted(f for f in os.listdir(CORPUS) if f.endswith(".txt"))
    by_id = {f[1:5]: f for f in files}
    chosen = set()
    for ids in GROUPS.values():
        chosen.update(ids.split())
    for f in files:
        if int(f[1:5]) % DISTRACTOR_EVERY == 0 and os.path.getsize(os.path.join(CORPUS, f)) < DISTRACTOR_MAX_BYTES:
            chosen.add(f[1:5])
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    content = os.path.join(OUT, "content")
    os.makedirs(os.path.join(content, "raporty"))
    with open(os.path.join(OUT, "jawnik.toml"), "w", encoding="utf-8") as f:
        f.write(JAWNIK_TOML)
    with open(os.path.join(content, "_index.md"), "w", encoding="utf-8") as f:
        f.write('+++\ntitle = "Ustawy"\n+++\n\nWybrane ustawy z Dziennika Ustaw jako raporty.\n')
    with open(os.path.join(content, "raporty", "_index.md"), "w", encoding="utf-8") as f:
        f.write('+++\ntitle = "Ustawy"\n+++\n')
    index = []
    for num in sorted(chosen):
        title, markdown = report(os.path.join(CORPUS, by_id[num]), with_date=True)
        slug = "u" + num
        with open(os.path.join(content, "raporty", slug + ".md"), "w", encoding="utf-8") as f:
            f.write(markdown)
        index.append((slug, title))
    with open(os.path.join(OUT, "TITLES.txt"), "w", encoding="utf-8") as f:
        f.write("# slug<TAB>title of every statute in content/raporty/ (written by make-ustawy.py)\n")
        for slug, title in index:
            f.write(slug + "\t" + title + "\n")
    print("%d statutes -> %s" % (len(index), content), file=sys.stderr)


main()
