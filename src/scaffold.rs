//! `jawnik new` and `jawnik init`: a new content file of a kind with every front-matter field
//! (required ones filled, optional ones commented out with a Polish explanation), and a new
//! site with `jawnik.toml`, the six sections and one clearly marked example of each kind.
//! Nothing existing is ever overwritten.

use crate::config::{Config, Term};
use crate::content::model::Kind;
use crate::render::markdown::slugify;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The summary `jawnik new` writes: a placeholder that `check` reports until it is replaced.
pub const PLACEHOLDER_PREFIX: &str = "TODO";

/// Longest slug `new` makes from a title.
pub const MAX_SLUG: usize = 80;

/// The kind named on the command line (`strategia`, `program`, `raport`, `organizacja`).
pub fn parse_kind(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.name() == name)
}

/// A URL slug from a title: Polish letters transliterated (`Łódź` → `lodz`), lowercase,
/// anything else → single dashes, trimmed, at most [`MAX_SLUG`] characters (cut at a dash).
pub fn slug_from_title(title: &str) -> String {
    let mut slug = slugify(title);
    if slug.len() > MAX_SLUG {
        let cut = &slug[..MAX_SLUG];
        let end = match cut.rfind('-') {
            Some(i) if i > 0 && slug.as_bytes()[MAX_SLUG] != b'-' => i,
            _ => MAX_SLUG,
        };
        slug.truncate(end);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn summary_placeholder(kind: Kind) -> String {
    let what = match kind {
        Kind::Konkurs => "na co można dostać dotację w tym konkursie i kto może złożyć ofertę",
        Kind::Kontakt => "w jakich sprawach można zwrócić się do tej osoby",
        k if k.is_document() => "czego dotyczy dokument i kogo dotyczy",
        _ => "czym zajmuje się organizacja i dla kogo działa",
    };
    format!("{PLACEHOLDER_PREFIX}: napisz w 2–3 prostych zdaniach, {what}.")
}

fn list_hint(terms: &[Term], what: &str) -> String {
    if terms.is_empty() {
        format!("{what}: brak listy w jawnik.toml")
    } else {
        let slugs: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
        let shown = if slugs.len() > 6 {
            format!("{}, …", slugs[..6].join(", "))
        } else {
            slugs.join(", ")
        };
        format!("{what} z jawnik.toml: {shown}")
    }
}

/// The text of a new content file of `kind` titled `title`.
pub fn entry_text(kind: Kind, title: &str, slug: &str, config: Option<&Config>) -> String {
    let sectors = config.map(|c| c.sectors.as_slice()).unwrap_or(&[]);
    let districts = config.map(|c| c.districts.as_slice()).unwrap_or(&[]);
    let sector = sectors
        .first()
        .map(|t| t.slug.as_str())
        .unwrap_or("kultura");
    let district = districts
        .first()
        .map(|t| t.slug.as_str())
        .unwrap_or("stare-miasto");
    let sector_hint = list_hint(sectors, "branże");
    let district_hint = list_hint(districts, "dzielnice");
    let summary = toml_string(&summary_placeholder(kind));
    let title = toml_string(title);
    let section = kind.section();
    let postulates = if kind == Kind::Raport {
        format!(
            r#"
# Postulaty z konsultacji i odpowiedź miasta (tylko raporty), każdy w osobnej tabeli.
# [[postulates]]
# text = "Treść postulatu"          # (wymagane)
# plane = "II"                      # płaszczyzna współpracy: I, II albo III (wymagane)
# status = "bez odpowiedzi"         # przyjęty, w realizacji, odrzucony albo bez odpowiedzi (wymagane)
# sector = "{sector}"               # branża
# department = "Wydział …"          # do kogo skierowany
# answered = 2019-01-15             # data odpowiedzi miasta (wymagana, gdy jest odpowiedź)
# reason = "…"                      # uzasadnienie (wymagane przy odrzuceniu)
# answer_ref = "programy/program.md#cele"  # fragment dokumentu, który odpowiada: plik i kotwica nagłówka
"#
        )
    } else {
        String::new()
    };
    let text = if kind == Kind::Konkurs {
        format!(
            r#"+++
title = {title}
# W skrócie: na co jest konkurs, prostym językiem (wymagane).
summary = {summary}
department = "Wydział …"            # wydział ogłaszający konkurs (wymagane)
announced = 2026-11-02              # data ogłoszenia (wymagana, bez cudzysłowu)
deadline = 2026-11-30T15:30:00      # termin składania ofert (wymagany): data albo data i godzina w Krakowie

# Pola nieobowiązkowe: usuń „# ” na początku wiersza i wpisz prawdziwe wartości.
# results = 2026-12-20              # planowane ogłoszenie wyników (nie wcześniej niż deadline)
# amount = 500000                   # kwota do rozdysponowania w złotych (liczba całkowita)
# eligibility = "Organizacje pozarządowe działające na rzecz mieszkańców Krakowa."   # kto może złożyć ofertę
# url = "https://www.bip.krakow.pl/…"   # ogłoszenie konkursu (np. w BIP), tylko http(s)://
# sectors = ["{sector}"]           # {sector_hint}
# districts = ["{district}"]       # {district_hint}
# sources = ["…"]                  # skąd pochodzą informacje na tej stronie
# related = ["programy/nazwa-pliku.md"]   # powiązane dokumenty: ścieżki względem content/
# slug = "{slug}"                  # adres strony: /{section}/{slug}/ (domyślnie nazwa pliku)

# Załączniki ogłoszenia: każdy z tytułem oraz albo `file`, albo `url`.
# [[attachments]]
# title = "Ogłoszenie konkursu"
# url = "https://www.bip.krakow.pl/…"
+++

{PLACEHOLDER_PREFIX}: szczegóły konkursu w Markdownie (zakres zadań, kryteria oceny).
"#
        )
    } else if kind == Kind::Kontakt {
        format!(
            r#"+++
name = {title}
department = "Wydział …"            # wydział (wymagane)
# W jakich sprawach pomaga: kilka zdań prostym językiem (wymagane).
summary = {summary}
# Podaj co najmniej jeden kontakt: e-mail albo telefon (wymagane).
email = "…@um.krakow.pl"            # adres e-mail
# phone = "+48 12 000 00 00"        # telefon

# Pola nieobowiązkowe: usuń „# ” na początku wiersza i wpisz prawdziwe wartości.
# office_hours = "pon.–pt. 8:00–15:00"   # godziny kontaktu
# verified = 2026-01-15             # kiedy ostatnio potwierdzono te dane (bez cudzysłowu)
# sectors = ["{sector}"]           # {sector_hint}
# sources = ["…"]                  # skąd pochodzą informacje na tej stronie
# slug = "{slug}"                  # adres strony: /{section}/{slug}/ (domyślnie nazwa pliku)
+++
"#
        )
    } else if kind.is_document() {
        format!(
            r#"+++
title = {title}
# W skrócie: kilka zdań prostym językiem (wymagane).
summary = {summary}

# Pola nieobowiązkowe: usuń „# ” na początku wiersza i wpisz prawdziwe wartości.
# date = 2018-05-25                # data sporządzenia dokumentu (bez cudzysłowu)
# published = 2018-05-28           # data publikacji
# updated = 2018-06-01             # data ostatniej zmiany (nie wcześniejsza niż date i published)
# issuer = "Prezydent Miasta Krakowa"   # organ, który wydał dokument
# author = "Wydział …"             # kto przygotował dokument
# status = "projekt"               # projekt, konsultacje, obowiązuje albo archiwalny
# period = "2019–2022"             # okres, którego dotyczy dokument
# sectors = ["{sector}"]           # {sector_hint}
# districts = ["{district}"]       # {district_hint}
# source = "https://www.bip.krakow.pl/…"   # adres oryginału (np. w BIP), tylko http(s)://
# sources = ["…"]                  # skąd pochodzą informacje na tej stronie
# related = ["programy/nazwa-pliku.md"]   # powiązane dokumenty: ścieżki względem content/
# slug = "{slug}"                  # adres strony: /{section}/{slug}/ (domyślnie nazwa pliku)

# Załączniki: każdy z tytułem oraz albo `file` (ścieżka względem content/), albo `url`.
# [[attachments]]
# title = "Treść dokumentu"        # tytuł załącznika (wymagany)
# file = "{section}/files/{slug}.pdf"   # plik w content/: PDF, DOCX, ODT, XLSX, ODS, CSV,
#                                  # TXT, obrazy PNG, JPG, WebP… (HTML, SVG ani skryptów nie)
# format = "PDF"                   # format (domyślnie z rozszerzenia pliku)
#
# [[attachments]]
# title = "Uchwała w BIP"
# url = "https://www.bip.krakow.pl/…"   # albo adres w sieci
# size = 123456                    # rozmiar w bajtach (tylko dla `url`)
{postulates}+++

{PLACEHOLDER_PREFIX}: treść strony w Markdownie: najważniejsze informacje o dokumencie,
śródtytuły (`## Cele`), listy i odnośniki do innych stron (`/programy/nazwa/`).
"#
        )
    } else {
        format!(
            r#"+++
name = {title}
# Czym zajmuje się organizacja: kilka zdań prostym językiem (wymagane).
summary = {summary}

# Pola nieobowiązkowe: usuń „# ” na początku wiersza i wpisz prawdziwe wartości.
# Podaj co najmniej jeden kontakt (adres, stronę, e-mail albo telefon).
# sectors = ["{sector}"]           # {sector_hint}
# districts = ["{district}"]       # {district_hint}
# address = "ul. Przykładowa 1, 30-001 Kraków"   # adres siedziby
# website = "https://…"            # strona internetowa, tylko http(s)://
# email = "biuro@…"                # adres e-mail
# phone = "+48 12 000 00 00"       # telefon
# krs = "0000000000"               # numer KRS: dokładnie 10 cyfr, w cudzysłowie
# verified = 2026-01-15            # kiedy ostatnio potwierdzono te dane (bez cudzysłowu)
# sources = ["…"]                  # skąd pochodzą informacje na tej stronie
# slug = "{slug}"                  # adres strony: /{section}/{slug}/ (domyślnie nazwa pliku)
+++

{PLACEHOLDER_PREFIX}: opis działalności organizacji w Markdownie.
"#
        )
    };
    align_comments(&text)
}

/// Puts the explanations of commented-out fields (`# key = value  # explanation`) in one
/// column.
fn align_comments(text: &str) -> String {
    const COLUMN: usize = 38;
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.lines() {
        match line.get(2..).and_then(|rest| rest.find("  # ")) {
            Some(i) if line.starts_with("# ") => {
                let left = line[..i + 2].trim_end();
                let comment = line[i + 2..].trim_start();
                out.push_str(&format!("{left:<COLUMN$} {comment}"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn section_index(kind: Kind) -> String {
    let summary = match kind {
        Kind::Strategia => "Strategie miasta: długofalowe kierunki rozwoju.",
        Kind::Program => "Programy miasta: jak miasto realizuje swoje strategie.",
        Kind::Raport => "Raporty z konsultacji i podsumowania spotkań.",
        Kind::Organizacja => {
            "Organizacje pozarządowe: czym się zajmują i jak się z nimi skontaktować."
        }
        Kind::Konkurs => "Otwarte konkursy ofert: terminy składania ofert, kalendarz i archiwum.",
        Kind::Kontakt => {
            "Koordynatorzy współpracy z organizacjami pozarządowymi w wydziałach urzędu."
        }
    };
    format!(
        "+++\ntitle = {}\nsummary = {}\n+++\n",
        toml_string(kind.label_plural()),
        toml_string(summary)
    )
}

/// Writes a new file; an existing one is never overwritten (an error says so).
pub fn write_new(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!(
                    "{} already exists; not overwritten (choose another title or edit that file)",
                    path.display()
                )
            } else {
                anyhow::anyhow!("cannot create {}: {e}", path.display())
            }
        })?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// `jawnik new`: write `content/<section>/<slug>.md` under `root` and return its path. The
/// section folder (with an `_index.md`) is created when missing.
pub fn new_entry(root: &Path, kind: Kind, title: &str) -> Result<PathBuf> {
    let title = title.trim();
    let slug = checked_slug(title)?;
    let config = Config::load(root, None).ok();
    let section_dir = section_dir(root, kind)?;
    let path = section_dir.join(format!("{slug}.md"));
    write_new(&path, &entry_text(kind, title, &slug, config.as_ref()))?;
    Ok(path)
}

/// The slug of a new entry titled `title`, or why none can be made.
pub fn checked_slug(title: &str) -> Result<String> {
    if title.trim().is_empty() {
        bail!("the title must not be empty");
    }
    let slug = slug_from_title(title);
    if slug.is_empty() {
        bail!("cannot make a URL slug from {title:?}: use letters or digits in the title");
    }
    if slug == "strona" {
        bail!("the slug \"strona\" is reserved for list pages: choose a longer title");
    }
    Ok(slug)
}

/// The folder of `kind`'s section under `root`, created (with an `_index.md`) when missing.
pub fn section_dir(root: &Path, kind: Kind) -> Result<PathBuf> {
    let section_dir = root.join("content").join(kind.section());
    std::fs::create_dir_all(&section_dir)
        .with_context(|| format!("cannot create {}", section_dir.display()))?;
    let index = section_dir.join("_index.md");
    if !index.exists() {
        write_new(&index, &section_index(kind))?;
    }
    Ok(section_dir)
}

/// Kraków's 18 districts (dzielnice), as in the example site's `jawnik.toml`.
pub const KRAKOW_DISTRICTS: [(&str, &str); 18] = [
    ("stare-miasto", "Dzielnica I Stare Miasto"),
    ("grzegorzki", "Dzielnica II Grzegórzki"),
    ("pradnik-czerwony", "Dzielnica III Prądnik Czerwony"),
    ("pradnik-bialy", "Dzielnica IV Prądnik Biały"),
    ("krowodrza", "Dzielnica V Krowodrza"),
    ("bronowice", "Dzielnica VI Bronowice"),
    ("zwierzyniec", "Dzielnica VII Zwierzyniec"),
    ("debniki", "Dzielnica VIII Dębniki"),
    (
        "lagiewniki-borek-falecki",
        "Dzielnica IX Łagiewniki-Borek Fałęcki",
    ),
    ("swoszowice", "Dzielnica X Swoszowice"),
    ("podgorze-duchackie", "Dzielnica XI Podgórze Duchackie"),
    ("biezanow-prokocim", "Dzielnica XII Bieżanów-Prokocim"),
    ("podgorze", "Dzielnica XIII Podgórze"),
    ("czyzyny", "Dzielnica XIV Czyżyny"),
    ("mistrzejowice", "Dzielnica XV Mistrzejowice"),
    ("bienczyce", "Dzielnica XVI Bieńczyce"),
    (
        "wzgorza-krzeslawickie",
        "Dzielnica XVII Wzgórza Krzesławickie",
    ),
    ("nowa-huta", "Dzielnica XVIII Nowa Huta"),
];

const INIT_SECTORS: [(&str, &str); 5] = [
    ("kultura", "Kultura i sztuka"),
    ("edukacja", "Edukacja"),
    ("ekologia", "Ekologia i ochrona środowiska"),
    ("pomoc-spoleczna", "Pomoc społeczna"),
    ("sport", "Sport"),
];

fn init_config() -> String {
    let mut s = String::from(
        r#"# Ustawienia strony jawnik (opis pól: docs/content-model.md w repozytorium jawnika).
title = "Dokumenty współpracy z organizacjami pozarządowymi"
description = "Strategie, programy, raporty i organizacje w jednym miejscu, z krótkim opisem każdego dokumentu."
# TODO: adres, pod którym strona będzie opublikowana (może zawierać ścieżkę, np. https://example.org/ngo/).
base_url = "https://example.org/"
language = "pl"
# Inne języki, w których strona publikuje tłumaczenia (plik raporty/x.uk.md obok raporty/x.md),
# np. ["uk", "en"]: każdy język pod swoim prefiksem (/uk/, /en/) z własnym interfejsem.
# languages = ["uk", "en"]
# Motyw "default" jest wbudowany w jawnik; własny motyw: themes/<nazwa>/.
theme = "default"
# Liczba pozycji na stronie list.
page_size = 20
# Hosting bez własnych nagłówków HTTP (GitHub Pages, GitLab Pages): true wpisuje politykę
# bezpieczeństwa treści (CSP) do każdej strony jako <meta http-equiv>. Netlify, nginx, Apache,
# Caddy i Cloudflare Pages wysyłają ją w nagłówkach (katalog deploy/ w repozytorium jawnika).
meta_csp = false

# Branże (sektory): słownik, z którego korzystają pola `sectors`.
"#,
    );
    for (slug, name) in INIT_SECTORS {
        s.push_str(&format!(
            "\n[[sectors]]\nslug = \"{slug}\"\nname = \"{name}\"\n"
        ));
    }
    s.push_str(crate::config::accessibility::INIT_TABLE);
    s.push_str(crate::config::open_data::INIT_TABLE);
    s.push_str(crate::config::directory::INIT_TABLE);
    s.push_str("\n# Dzielnice Krakowa (18): słownik pola `districts`.\n");
    for (slug, name) in KRAKOW_DISTRICTS {
        s.push_str(&format!(
            "\n[[districts]]\nslug = \"{slug}\"\nname = \"{name}\"\n"
        ));
    }
    s
}

const INIT_HOME: &str = r#"+++
title = "Dokumenty współpracy z organizacjami pozarządowymi"
summary = "Strategie, programy, raporty i organizacje w jednym miejscu."
+++

To jest nowa strona zbudowana jawnikiem. Wszystkie dokumenty i organizacje w `content/` są
**przykładami** o zmyślonych nazwach: zastąp je prawdziwymi (`jawnik new strategia "Tytuł"`)
i sprawdź stronę poleceniem `jawnik check`.

- [Strategie](strategie/), [Programy](programy/), [Raporty](raporty/)
- [Organizacje](organizacje/)
"#;

const INIT_STRATEGY: &str = r#"+++
title = "Przykładowa strategia rozwoju kultury"
summary = "Przykład strategii: zmyślony dokument pokazujący, jak opisać strategię miasta. Zastąp go prawdziwym dokumentem albo usuń."
date = 2024-01-15
issuer = "Przykładowy Urząd Miasta"
status = "projekt"
period = "2025–2030"
sectors = ["kultura"]
districts = ["stare-miasto"]
sources = ["przykład: dane zmyślone"]
related = ["programy/przykladowy-program-wspolpracy.md"]

[[attachments]]
title = "Przykładowy załącznik (plik tekstowy)"
file = "strategie/files/przyklad.txt"
+++

## Cele

To jest przykład: opis celów strategii w kilku punktach.

- Pierwszy cel przykładowej strategii.
- Drugi cel przykładowej strategii.

## Jak ją realizować

Strategię realizuje [przykładowy program współpracy](/programy/przykladowy-program-wspolpracy/).
"#;

const INIT_STRATEGY_FILE: &str =
    "Przykładowy załącznik: w tym miejscu byłby plik z treścią dokumentu (np. PDF).\n";

const INIT_PROGRAM: &str = r#"+++
title = "Przykładowy program współpracy z organizacjami"
summary = "Przykład programu: zmyślony program współpracy miasta z organizacjami pozarządowymi na jeden rok. Zastąp go prawdziwym dokumentem albo usuń."
date = 2024-03-01
issuer = "Przykładowy Urząd Miasta"
status = "konsultacje"
period = "2025"
sectors = ["kultura", "pomoc-spoleczna"]
related = ["strategie/przykladowa-strategia-rozwoju-kultury.md"]
+++

## Priorytety

To jest przykład priorytetów programu. Program wynika z
[przykładowej strategii](../../strategie/przykladowa-strategia-rozwoju-kultury/).
"#;

const INIT_REPORT: &str = r#"+++
title = "Przykładowy raport z konsultacji"
summary = "Przykład raportu: zmyślone podsumowanie konsultacji przykładowego programu współpracy. Zastąp go prawdziwym raportem albo usuń."
date = 2024-04-10
status = "archiwalny"
sectors = ["pomoc-spoleczna"]
districts = ["nowa-huta"]
related = ["programy/przykladowy-program-wspolpracy.md"]

[[postulates]]
text = "Przykład postulatu: kalendarz otwartych konkursów ofert w jednym miejscu"
plane = "II"
sector = "kultura"
department = "Przykładowy wydział"
status = "przyjęty"
answered = 2024-05-15

[[postulates]]
text = "Przykład postulatu: dłuższe godziny pracy punktu informacyjnego"
plane = "III"
status = "odrzucony"
answered = 2024-05-15
reason = "Przykładowe uzasadnienie odmowy."
+++

## Uwagi uczestników

To jest przykład: uwagi zgłoszone w konsultacjach
[przykładowego programu](/programy/przykladowy-program-wspolpracy/).
"#;

const INIT_CALL: &str = r#"+++
title = "Przykładowy otwarty konkurs ofert"
summary = "Przykład konkursu: zmyślone dotacje na warsztaty kulturalne dla mieszkańców. Zastąp go prawdziwym konkursem albo usuń."
department = "Przykładowy wydział"
sectors = ["kultura"]
amount = 100000
announced = 2029-11-02
deadline = 2030-01-31T15:30:00
results = 2030-02-28
eligibility = "Przykład: organizacje pozarządowe działające na rzecz mieszkańców."
+++

To jest przykład opisu konkursu: zakres zadań i kryteria oceny ofert.
"#;

const INIT_CONTACT: &str = r#"+++
name = "Przykładowy koordynator współpracy"
department = "Przykładowy wydział"
summary = "Przykład: koordynator, do którego organizacje mogą się zwrócić w sprawie konkursów i współpracy. Zastąp go prawdziwym albo usuń."
email = "koordynator@example.org"
office_hours = "pon.–pt. 8:00–15:00"
sectors = ["kultura"]
+++
"#;

const INIT_NGO: &str = r#"+++
name = "Przykładowa Fundacja"
summary = "Przykład organizacji: zmyślona fundacja, która pokazuje, jak opisać organizację pozarządową. Zastąp ją prawdziwą organizacją albo usuń."
sectors = ["kultura", "edukacja"]
districts = ["stare-miasto"]
website = "https://example.org/"
email = "biuro@example.org"
+++

To jest przykład opisu działalności organizacji.
"#;

/// `jawnik init`: a new site in `dir`, which must not exist or be empty.
pub fn init_site(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty; jawnik init only creates a site in a new or empty folder",
                dir.display()
            );
        }
    }
    let content = dir.join("content");
    for kind in Kind::ALL {
        std::fs::create_dir_all(content.join(kind.section()))
            .with_context(|| format!("cannot create {}", content.display()))?;
    }
    std::fs::create_dir_all(content.join("strategie/files"))?;
    write_new(&dir.join("jawnik.toml"), &init_config())?;
    write_new(&content.join("_index.md"), INIT_HOME)?;
    for kind in Kind::ALL {
        write_new(
            &content.join(kind.section()).join("_index.md"),
            &section_index(kind),
        )?;
    }
    for (rel, text) in [
        (
            "strategie/przykladowa-strategia-rozwoju-kultury.md",
            INIT_STRATEGY,
        ),
        ("strategie/files/przyklad.txt", INIT_STRATEGY_FILE),
        ("programy/przykladowy-program-wspolpracy.md", INIT_PROGRAM),
        ("raporty/przykladowy-raport-z-konsultacji.md", INIT_REPORT),
        ("organizacje/przykladowa-fundacja.md", INIT_NGO),
        ("konkursy/przykladowy-konkurs-ofert.md", INIT_CALL),
        ("kontakty/przykladowy-koordynator.md", INIT_CONTACT),
    ] {
        write_new(&content.join(rel), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug_from_title("Łódź"), "lodz");
        assert_eq!(
            slug_from_title("Strategia Rozwoju Kultury 2030"),
            "strategia-rozwoju-kultury-2030"
        );
        let long = slug_from_title(&"Żółta gęś ".repeat(20));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
        assert!(long.ends_with("ges"), "{long}");
    }
}
