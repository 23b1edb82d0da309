# Bench only (the cost of a bilingual site's first query, bench/README.md): makes a bilingual copy of a generated corpus. Every 5th document of raporty/ and
# programy/ gets an `x.uk.md` whose title, summary and body are the Polish text transliterated
# letter by letter into Cyrillic (a stand-in with Polish word lengths and frequencies, not a
# translation), so that the Ukrainian analyzer and the shards see Cyrillic text of that size.
import os, sys, re
M = {'a':'а','b':'б','c':'ц','d':'д','e':'е','f':'ф','g':'г','h':'х','i':'і','j':'й','k':'к','l':'л','ł':'л','m':'м','n':'н','o':'о','p':'п','r':'р','s':'с','t':'т','u':'у','w':'в','y':'и','z':'з','ą':'о','ę':'е','ó':'у','ś':'сь','ć':'ць','ń':'нь','ż':'ж','ź':'зь','q':'к','v':'в','x':'кс'}
def tr(s):
    out = []
    for ch in s:
        low = ch.lower()
        t = M.get(low)
        if t is None: out.append(ch)
        else: out.append(t.upper() if ch != low else t)
    return ''.join(out)
def tr_query(q): return tr(q)
# Usage: bilingual-corpus.py SITE_ROOT          (adds the x.uk.md files and `languages`)
#        bilingual-corpus.py query QUERIES_FILE  (prints the queries transliterated)
if __name__ == '__main__':
    if sys.argv[1] == 'query':
        for line in open(sys.argv[2], encoding='utf8'):
            l = line.rstrip('\n')
            print(l if (not l.strip() or l.startswith('#')) else tr(l))
        sys.exit()
    root = sys.argv[1]
    n = 0
    for sec in ['raporty', 'programy']:
        d = os.path.join(root, 'content', sec)
        files = sorted(f for f in os.listdir(d) if f.endswith('.md') and not f.startswith('_'))
        for i, f in enumerate(files):
            if i % 5: continue
            text = open(os.path.join(d, f), encoding='utf8').read()
            _, fm, body = text.split('+++', 2)
            fm = re.sub(r'^(title|summary) = "(.*)"$', lambda m: f'{m.group(1)} = "{tr(m.group(2))}"', fm, flags=re.M)
            open(os.path.join(d, f[:-3] + '.uk.md'), 'w', encoding='utf8').write('+++' + fm + '+++' + tr(body))
            n += 1
    cfg = os.path.join(root, 'jawnik.toml')
    c = open(cfg, encoding='utf8').read()
    c = re.sub(r'^(language = .*)$', r'\1\nlanguages = ["uk"]', c, count=1, flags=re.M)
    if 'languages =' not in c: c = 'languages = ["uk"]\n' + c
    open(cfg, 'w', encoding='utf8').write(c)
    print(n, 'uk files')
