//! The calendar of open calls over the `calls-site` fixture (invented calls and coordinators,
//! see its jawnik.toml) with a pinned `--today`: days left on the home page, the move to the
//! archive after the deadline, the iCalendar feeds parsed by a real parser (the `icalendar`
//! crate) with their Europe/Warsaw times converted to UTC by chrono-tz, the coordinators
//! directory and coordinator on a document, validation of the new kinds, and `jawnik new`.

use crate::common;

use common::{fixture, read, temp_dir};
use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};
use std::path::{Path, PathBuf};

fn build_at(name: &str, today: &str) -> PathBuf {
    let dir = temp_dir(name);
    let out = dir.join("out");
    let opts = jawnik::BuildOptions {
        output: Some(out.clone()),
        index_dir: Some(dir.join("index")),
        today: Some(jawnik::Date::parse_iso(today).unwrap()),
        ..jawnik::BuildOptions::new(fixture("calls-site"))
    };
    jawnik::build(&opts).unwrap();
    out
}

/// The `<main>` of a page, so the test does not match the navigation.
fn main_of(out: &Path, rel: &str) -> String {
    let html = read(out, rel);
    let start = html.find("<main").unwrap();
    let end = html.find("</main>").unwrap();
    html[start..end].to_string()
}

/// The text of the home page's "upcoming calls" section.
fn upcoming_section(out: &Path) -> String {
    let main = main_of(out, "index.html");
    let start = main
        .find("id=\"terminy\"")
        .expect("upcoming calls on the home page");
    let end = main[start..].find("</section>").unwrap() + start;
    main[start..end].to_string()
}

#[test]
fn upcoming_call_shows_days_left_and_moves_to_the_archive_after_its_deadline() {
    let out = build_at("cal-25", "2026-11-25");
    let home = upcoming_section(&out);
    let trees = home
        .find("Drzewa w mieście")
        .expect("the tree call is upcoming");
    let culture = home
        .find("Upowszechnianie kultury")
        .expect("the culture call is upcoming");
    assert!(trees < culture, "soonest deadline first");
    assert!(
        home.contains("jeszcze 2 dni"),
        "27 Nov is 2 days after 25 Nov: {home}"
    );
    assert!(
        home.contains("jeszcze 20 dni"),
        "15 Dec is 20 days after 25 Nov"
    );
    assert!(
        !home.contains("Lato aktywnego seniora"),
        "July's call is past"
    );
    let archive = main_of(&out, "konkursy/archiwum/index.html");
    assert!(archive.contains("Lato aktywnego seniora"));
    assert!(!archive.contains("Drzewa w mieście"));
    let calendar = main_of(&out, "konkursy/index.html");
    assert!(calendar.contains("listopad 2026") && calendar.contains("grudzień 2026"));
    assert!(calendar.find("listopad 2026").unwrap() < calendar.find("grudzień 2026").unwrap());

    // On the deadline day the call is still open; the day after it is archived.
    let out = build_at("cal-27", "2026-11-27");
    assert!(upcoming_section(&out).contains("dziś ostatni dzień"));
    let out = build_at("cal-28", "2026-11-28");
    let home = upcoming_section(&out);
    assert!(
        !home.contains("Drzewa w mieście"),
        "past its deadline: {home}"
    );
    assert!(home.contains("jeszcze 17 dni"));
    let archive = main_of(&out, "konkursy/archiwum/index.html");
    assert!(archive.contains("Drzewa w mieście"));
    let page = main_of(&out, "konkursy/drzewa-w-miescie/index.html");
    assert!(page.contains("termin minął"));
}

#[test]
fn same_today_gives_byte_identical_output() {
    let a = build_at("cal-det-a", "2026-11-25");
    let b = build_at("cal-det-b", "2026-11-25");
    let ta = common::tree(&a);
    let tb = common::tree(&b);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{k} differs between two builds");
    }
}

fn events(ics: &str) -> Vec<icalendar::Event> {
    let cal: Calendar = ics.parse().expect("the .ics parses");
    cal.components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn event<'a>(events: &'a [icalendar::Event], uid: &str) -> &'a icalendar::Event {
    events
        .iter()
        .find(|e| e.get_uid() == Some(uid))
        .unwrap_or_else(|| panic!("no event {uid}"))
}

/// An all-day value's date.
fn day_of(v: Option<DatePerhapsTime>) -> String {
    match v {
        Some(DatePerhapsTime::Date(d)) => d.to_string(),
        other => panic!("expected a DATE, got {other:?}"),
    }
}

fn utc_of(e: &icalendar::Event) -> String {
    match e.get_start() {
        Some(DatePerhapsTime::DateTime(dt @ CalendarDateTime::WithTimezone { .. })) => {
            let CalendarDateTime::WithTimezone { tzid, .. } = &dt else {
                unreachable!()
            };
            assert_eq!(tzid, "Europe/Warsaw");
            dt.try_into_utc()
                .expect("Europe/Warsaw is known")
                .to_string()
        }
        other => panic!("expected a time in Europe/Warsaw, got {other:?}"),
    }
}

#[test]
fn ics_feeds_parse_and_round_trip_warsaw_times() {
    let out = build_at("cal-ics", "2026-11-25");
    let all = read(&out, "konkursy/kalendarz.ics");
    // RFC 5545 form: CRLF everywhere, no line over 75 octets, one time zone.
    assert!(!all.replace("\r\n", "").contains('\n'), "bare LF");
    for line in all.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(all.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(all.contains("TZID:Europe/Warsaw\r\n"));
    assert!(all.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));

    let evs = events(&all);
    assert_eq!(evs.len(), 5, "3 deadlines and 2 results days");
    // Winter deadline (CET, UTC+1) and summer deadline (CEST, UTC+2).
    let culture = event(&evs, "kultura-2027-termin@example.org");
    assert_eq!(utc_of(culture), "2026-12-15 14:30:00 UTC");
    assert_eq!(
        culture.get_summary(),
        Some("Termin składania ofert: Upowszechnianie kultury w 2027 roku (fikstura)")
    );
    let seniors = event(&evs, "seniorzy-lato-termin@example.org");
    assert_eq!(utc_of(seniors), "2026-07-10 10:00:00 UTC");
    // An all-day deadline; commas and semicolons survive escaping and folding.
    let trees = event(&evs, "drzewa-w-miescie-termin@example.org");
    assert_eq!(day_of(trees.get_start()), "2026-11-27");
    assert_eq!(day_of(trees.get_end()), "2026-11-28");
    assert_eq!(
        trees.get_summary(),
        Some("Termin składania ofert: Drzewa w mieście, podwórka; ogrody (fikstura)")
    );
    let description = trees.get_description().unwrap();
    assert!(
        description.contains("przecinki, średniki; i zawijanie długich wierszy"),
        "{description}"
    );
    assert!(description.contains("\nWydział: Wydział Kształtowania Środowiska (fikstura)"));
    let results = event(&evs, "kultura-2027-wyniki@example.org");
    assert_eq!(day_of(results.get_start()), "2027-01-20");
    assert_eq!(
        culture.get_url(),
        Some("https://example.org/konkursy/kultura-2027/")
    );

    // One feed per sector, one per call; UIDs are the same in each and across `today`s.
    let culture_feed = events(&read(&out, "branze/kultura/konkursy.ics"));
    let mut uids: Vec<&str> = culture_feed.iter().filter_map(|e| e.get_uid()).collect();
    uids.sort();
    assert_eq!(
        uids,
        [
            "kultura-2027-termin@example.org",
            "kultura-2027-wyniki@example.org",
            "seniorzy-lato-termin@example.org",
            "seniorzy-lato-wyniki@example.org"
        ]
    );
    let one = events(&read(&out, "konkursy/drzewa-w-miescie/konkurs.ics"));
    assert_eq!(one.len(), 1);
    let later = build_at("cal-ics-later", "2027-03-01");
    assert_eq!(
        read(&later, "konkursy/kalendarz.ics"),
        all,
        "the feeds do not depend on the build day"
    );
    // Pages link to their feeds.
    assert!(read(&out, "konkursy/index.html").contains("href=\"/konkursy/kalendarz.ics\""));
    assert!(read(&out, "konkursy/kultura-2027/index.html")
        .contains("href=\"/konkursy/kultura-2027/konkurs.ics\""));
    let sitemap = read(&out, "sitemap.xml");
    for page in ["konkursy/", "konkursy/archiwum/", "kontakty/", "postulaty/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{page}</loc>")),
            "{page}"
        );
    }
    // Calls and coordinators are searchable, each kind its own filter value.
    let mut backend = jawnik::index::TantivyBackend::open(&out.with_file_name("index")).unwrap();
    for (query, kind, path) in [
        ("drzewa podwórka", "konkurs", "konkursy/drzewa-w-miescie/"),
        (
            "seniorzy pomoc",
            "kontakt",
            "kontakty/koordynator-seniorzy/",
        ),
    ] {
        let request = jawnik::search::SearchRequest {
            query: query.into(),
            facets: [("kind".to_string(), [kind.to_string()].into())].into(),
            from: None,
            to: None,
            by_date: false,
            limit: 5,
            ..Default::default()
        };
        let response = jawnik::search::run(&mut backend, &request).unwrap();
        assert_eq!(response.results[0].path, path, "{query}");
        assert!(response.results.iter().all(|r| r.kind == kind));
    }
    let atom = read(&out, "konkursy/atom.xml");
    assert!(atom.contains("<title>Upowszechnianie kultury w 2027 roku (fikstura)</title>"));
}

#[test]
fn coordinators_directory_and_coordinator_on_a_document() {
    let out = build_at("cal-contacts", "2026-11-25");
    let dir = main_of(&out, "kontakty/index.html");
    let culture = dir
        .find("<h2 id=\"wydzial-wydzial-kultury-fikstura\">")
        .expect("grouped by department");
    let social = dir
        .find("Wydział Polityki Społecznej (fikstura)</h2>")
        .unwrap();
    assert!(culture < social, "departments in order");
    assert!(dir.contains("href=\"mailto:kultura.ngo@example.org\""));
    assert!(dir.contains("href=\"tel:+48120000001\""));
    assert!(dir.contains("pon.–pt. 8:00–15:00"));
    // The culture programme names the culture coordinator, not the seniors' one.
    let programme = main_of(&out, "programy/program-kultury/index.html");
    assert!(programme.contains("Kogo zapytać"));
    assert!(programme.contains("Anna Przykładowa (osoba fikcyjna)"));
    assert!(!programme.contains("seniorzy.ngo@example.org"));
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn bad_calls_contacts_and_postulates_are_reported_with_file_line_and_field() {
    let root = temp_dir("cal-broken");
    std::fs::copy(fixture("calls-site/jawnik.toml"), root.join("jawnik.toml")).unwrap();
    write(
        &root,
        "content/konkursy/zly.md",
        "+++\ntitle = \"Zły\"\nsummary = \"S\"\ndepartment = \"W\"\nannounced = 2026-11-10\ndeadline = 2026-11-01\nresults = 2026-10-01\nurl = \"ftp://x\"\n+++\n",
    );
    write(
        &root,
        "content/kontakty/zly.md",
        "+++\nname = \"N\"\ndepartment = \"W\"\nsummary = \"S\"\nemail = \"nie-email\"\nphone = \"12\"\n+++\n",
    );
    write(
        &root,
        "content/kontakty/bez-kontaktu.md",
        "+++\nname = \"N2\"\ndepartment = \"W\"\nsummary = \"S\"\n+++\n",
    );
    write(
        &root,
        "content/raporty/r.md",
        "+++\ntitle = \"R\"\nsummary = \"S\"\ndate = 2026-02-01\n\n[[postulates]]\ntext = \"A\"\nplane = \"IV\"\nstatus = \"może\"\n\n[[postulates]]\ntext = \"B\"\nplane = \"I\"\nstatus = \"odrzucony\"\nanswered = 2026-01-01\n+++\n",
    );
    write(
        &root,
        "content/programy/p.md",
        "+++\ntitle = \"P\"\nsummary = \"S\"\n\n[[postulates]]\ntext = \"A\"\nplane = \"I\"\nstatus = \"bez odpowiedzi\"\n+++\n",
    );
    let errors = jawnik::load_site(&root, None).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    let has = |file: &str, line: usize, field: &str, words: &str| {
        assert!(
            errors.iter().any(|d| d.file == file
                && d.line == Some(line)
                && d.field.as_deref() == Some(field)
                && d.message.contains(words)),
            "no {file}:{line} {field} {words:?} in {shown:#?}"
        );
    };
    has(
        "content/konkursy/zly.md",
        6,
        "deadline",
        "before `announced`",
    );
    has("content/konkursy/zly.md", 7, "results", "before `deadline`");
    has("content/konkursy/zly.md", 8, "url", "http");
    has("content/kontakty/zly.md", 5, "email", "not an e-mail");
    has("content/kontakty/zly.md", 6, "phone", "not a phone");
    has(
        "content/kontakty/bez-kontaktu.md",
        1,
        "email",
        "at least one of",
    );
    has(
        "content/raporty/r.md",
        8,
        "postulates.plane",
        "postulate 1: unknown plane",
    );
    has(
        "content/raporty/r.md",
        9,
        "postulates.status",
        "postulate 1: unknown status",
    );
    has(
        "content/raporty/r.md",
        15,
        "postulates.answered",
        "before the report's date",
    );
    // A missing key is reported at its postulate's table.
    has(
        "content/raporty/r.md",
        11,
        "postulates.reason",
        "postulate 2: a rejected",
    );
    has("content/programy/p.md", 5, "postulates", "only reports");
}

#[test]
fn jawnik_new_writes_calls_and_coordinators_that_load() {
    let root = temp_dir("cal-new");
    std::fs::copy(fixture("calls-site/jawnik.toml"), root.join("jawnik.toml")).unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    let call =
        jawnik::scaffold::new_entry(&root, jawnik::Kind::Konkurs, "Konkurs na lato").unwrap();
    assert!(call.ends_with("content/konkursy/konkurs-na-lato.md"));
    let contact =
        jawnik::scaffold::new_entry(&root, jawnik::Kind::Kontakt, "Jan Koordynator").unwrap();
    assert!(contact.ends_with("content/kontakty/jan-koordynator.md"));
    let report = jawnik::scaffold::new_entry(&root, jawnik::Kind::Raport, "Raport").unwrap();
    assert!(std::fs::read_to_string(report)
        .unwrap()
        .contains("# [[postulates]]"));
    let site = jawnik::load_site(&root, None).unwrap_or_else(|e| panic!("{e:#?}"));
    // `check` flags what is left to fill in.
    let report = jawnik::check::check(&jawnik::check::CheckOptions::new(&root));
    for (file, field) in [
        ("content/konkursy/konkurs-na-lato.md", "department"),
        ("content/konkursy/konkurs-na-lato.md", "summary"),
        ("content/kontakty/jan-koordynator.md", "department"),
        ("content/kontakty/jan-koordynator.md", "email"),
    ] {
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.file == file && p.field.as_deref() == Some(field)),
            "{file} {field}: {}",
            report.format_text()
        );
    }
    assert_eq!(report.errors(), 0, "{}", report.format_text());
    let call = site.entry("konkursy/konkurs-na-lato.md").unwrap();
    assert_eq!(call.call.as_ref().unwrap().deadline.time, Some((15, 30)));
    assert!(site
        .entry("kontakty/jan-koordynator.md")
        .unwrap()
        .contact
        .is_some());
}
