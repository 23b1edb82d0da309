//! The `jawnik` command line: a thin clap layer over the library. Subcommands: `build`,
//! `search`, `serve`, `check`, `new`, `init`, `import`, `extract`, `diff`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// `jawnik --version`: the package version and the source revision it was built from
/// (`build/revision.rs`: a commit hash with `-dirty` when the sources differed, or `unknown`).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("JAWNIK_REVISION"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "jawnik",
    version = VERSION,
    about = "Static site generator and Polish full-text search for civic documents"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only by a complete build).
    Build {
        /// The site root, holding jawnik.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from jawnik.toml (e.g. https://example.org/ngo/).
        #[arg(long)]
        base_url: Option<String>,
        /// The day open calls are counted from (YYYY-MM-DD): days left, archive
        /// [default: today's date, UTC].
        #[arg(long, value_parser = parse_today)]
        today: Option<jawnik::Date>,
    },
    /// Search the site's index (written by `build`) from the terminal.
    ///
    /// Words must all match (else any, and it says so); "quoted phrases", -excluded words,
    /// OR between alternatives and prefix* are understood. Polish inflection and missing
    /// diacritics are handled: `lodz` finds Łódź, `konsultacjach` finds konsultacje.
    Search {
        /// The query.
        #[arg(required = true)]
        query: Vec<String>,
        /// The site root, holding jawnik.toml and .jawnik/index.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this kind (strategia, program, raport, organizacja, konkurs, kontakt, postulat,
        /// sekcja); repeatable.
        #[arg(long)]
        kind: Vec<String>,
        /// Only this sector slug; repeatable.
        #[arg(long)]
        sector: Vec<String>,
        /// Only this district slug; repeatable.
        #[arg(long)]
        district: Vec<String>,
        /// Only this status; repeatable.
        #[arg(long)]
        status: Vec<String>,
        /// Only this year; repeatable.
        #[arg(long)]
        year: Vec<String>,
        /// Only documents dated on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only documents dated on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Newest first instead of best first.
        #[arg(long)]
        by_date: bool,
        /// `latest`: the latest version of each document only (as the search page by
        /// default); `all`: earlier versions too, marked "wersja archiwalna".
        #[arg(long, value_enum, default_value_t = jawnik::search::Versions::Latest)]
        versions: jawnik::search::Versions,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON (format: docs/search-json.md).
        #[arg(long)]
        json: bool,
        /// Search the documents in this language (`pl`, `uk`, `en`) and count the matches in
        /// the others; default: the site's `language` (jawnik.toml).
        #[arg(long)]
        language: Option<String>,
    },
    /// Check the site without building it: everything `build` validates, plus internal links
    /// in Markdown bodies, duplicate titles and summaries, documents without sectors, NGO
    /// entries without contact, placeholder summaries, stale organisations and coordinators
    /// (`verified` past `[organisations] stale_after_months`), and (with --external) external
    /// links.
    ///
    /// Prints `file:line: error|warning: message`, sorted, then a summary; the exit code is
    /// 1 when there is any error (warnings alone: 0).
    Check {
        /// The site root, holding jawnik.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print a JSON array of {file, line, severity, field, message}.
        #[arg(long)]
        json: bool,
        /// Also check external (http/https) links: HEAD (GET if refused), 5 s timeout, 4 at a time.
        #[arg(long)]
        external: bool,
        /// The day stale organisations and coordinators are judged from (YYYY-MM-DD)
        /// [default: today's date, UTC].
        #[arg(long, value_parser = parse_today)]
        today: Option<jawnik::content::date::Date>,
    },
    /// Create a content file with every front-matter field of its kind (optional ones
    /// commented out, with explanations): content/<section>/<slug>.md. Never overwrites.
    New {
        /// strategia, program, raport, organizacja, konkurs (open call) or kontakt (coordinator).
        #[arg(value_parser = ["strategia", "program", "raport", "organizacja", "konkurs", "kontakt"])]
        kind: String,
        /// The title (for organizacja: the name); the file name is made from it.
        title: String,
        /// The site root, holding jawnik.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn PDF, DOCX, ODT or plain-text files into Markdown content files
    /// (content/<section>/<slug>.md): bullets become lists, broken lines are joined,
    /// hyphenation is undone, page numbers and running headers dropped, capitalised lines and
    /// numbered sections become headings; the title, a date and the issuer are filled in when
    /// the text states them, every other field is left as a commented TODO. Existing files
    /// are never overwritten.
    Import {
        /// The files to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// raport, program or strategia.
        #[arg(long, value_parser = ["strategia", "program", "raport"])]
        kind: String,
        /// The title (default: the document's first heading or paragraph); one file only.
        #[arg(long)]
        title: Option<String>,
        /// The site root, holding jawnik.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also copy the file to content/<section>/files/ and list it as an attachment.
        #[arg(long)]
        keep_original: bool,
    },
    /// Print the text extracted from PDF, DOCX, ODT or TXT files, as the build indexes it
    /// (pages separated by form feeds), with the page count and extraction speed on stderr.
    Extract {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print only the figures, not the text.
        #[arg(long)]
        quiet: bool,
    },
    /// Compare two versions of a document: content files (Markdown; front matter compared
    /// field by field) or attachments (PDF, DOCX, ODT, TXT, read as `jawnik extract` reads
    /// them), in any mix. Prints the changes paragraph by paragraph, words marked
    /// `[-deleted-]{+inserted+}` as `git diff --word-diff` does (coloured on a terminal), or
    /// JSON (docs/compare-json.md). Exit code: 0 when the versions are the same, 1 when
    /// they differ, 2 when a file cannot be read.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// Print JSON (format: docs/compare-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Build the site into <root>/.jawnik/serve/ (never public/) for http://127.0.0.1:PORT/,
    /// serve it, and rebuild and reload open pages when content/, themes/ or jawnik.toml
    /// change. A failed rebuild prints its errors, shows them over the page and keeps serving
    /// the last good build.
    Serve {
        /// The site root, holding jawnik.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port (0: any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; anything but a loopback address makes the site
        /// reachable from the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// The day open calls are counted from (YYYY-MM-DD) [default: today's date, UTC].
        #[arg(long, value_parser = parse_today)]
        today: Option<jawnik::Date>,
    },
    /// Create a new site in DIR (new or empty): jawnik.toml, the six sections and one example
    /// of each kind, built with the embedded default theme.
    Init {
        /// The folder of the new site.
        dir: PathBuf,
    },
}

/// An allocation the system refuses ends the build with a clear message (`jawnik::memory`).
#[global_allocator]
static ALLOCATOR: jawnik::memory::Guarded = jawnik::memory::Guarded;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            root,
            json,
            external,
            today,
        } => {
            let opts = jawnik::check::CheckOptions {
                external,
                today,
                ..jawnik::check::CheckOptions::new(root)
            };
            let report = jawnik::check::check(&opts);
            let printed = if json {
                print_stdout(&format!("{}\n", report.to_json()))
            } else {
                print_stdout(&report.format_text())
            };
            if report.errors() > 0 {
                ExitCode::FAILURE
            } else {
                printed
            }
        }
        Command::New { kind, title, root } => {
            let kind = jawnik::scaffold::parse_kind(&kind).expect("checked by clap");
            match jawnik::scaffold::new_entry(&root, kind, &title) {
                Ok(path) => {
                    println!("{}", path.display());
                    eprintln!("created {}: fill in the summary and the fields you need, then run `jawnik check`", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Extract { files, quiet } => {
            let mut failed = false;
            for file in &files {
                let started = std::time::Instant::now();
                match jawnik::extract::extract_file(file) {
                    Ok(x) => {
                        let seconds = started.elapsed().as_secs_f64();
                        let pages = x.page_count().unwrap_or(1);
                        if !quiet {
                            let _ = print_stdout(&x.text());
                        }
                        eprintln!(
                            "{}: {} page{}, {} characters, {:.3} s ({:.0} pages/s){}",
                            file.display(),
                            pages,
                            if pages == 1 { "" } else { "s" },
                            x.text().chars().count(),
                            seconds,
                            pages as f64 / seconds.max(1e-9),
                            if x.has_text() {
                                ""
                            } else {
                                ": no searchable text"
                            }
                        );
                    }
                    Err(e) => {
                        eprintln!("{}: {e}", file.display());
                        failed = true;
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Diff { old, new, json } => match jawnik::diff::diff_files(&old, &new) {
            Ok(report) => {
                let text = if json {
                    let json = serde_json::to_string_pretty(&report).expect("serialisable");
                    format!("{json}\n")
                } else {
                    let color = std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                    jawnik::diff::text::format(&report, color)
                };
                match print_stdout(&text) {
                    ExitCode::SUCCESS if report.differs() => ExitCode::from(1),
                    code => code,
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("error: {e}");
                }
                ExitCode::from(2)
            }
        },
        Command::Import {
            files,
            kind,
            title,
            root,
            keep_original,
        } => {
            if title.is_some() && files.len() > 1 {
                eprintln!("error: --title names one document: import one file at a time with it");
                return ExitCode::from(2);
            }
            let opts = jawnik::import::ImportOptions {
                root,
                kind: jawnik::scaffold::parse_kind(&kind).expect("checked by clap"),
                title,
                keep_original,
            };
            let mut failed = false;
            for file in &files {
                match jawnik::import::import_file(&opts, file) {
                    Ok(path) => {
                        println!("{}", path.display());
                        eprintln!(
                            "imported {} into {}: check the text, fill in the TODO fields, then run `jawnik check`",
                            file.display(),
                            path.display()
                        );
                    }
                    Err(e) => {
                        eprintln!("error: {e:#}");
                        failed = true;
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            today,
        } => {
            let opts = jawnik::serve::ServeOptions {
                port,
                bind,
                today,
                ..jawnik::serve::ServeOptions::new(root)
            };
            match jawnik::serve::start(opts) {
                Ok(handle) => {
                    if open {
                        jawnik::serve::open_browser(handle.url());
                    }
                    handle.wait();
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match jawnik::scaffold::init_site(&dir) {
            Ok(()) => {
                eprintln!(
                    "created a new site in {0}: build it with `jawnik build --root {0}`",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::Search {
            query,
            root,
            kind,
            sector,
            district,
            status,
            year,
            from,
            to,
            by_date,
            versions,
            limit,
            json,
            language,
        } => {
            let mut facets = std::collections::BTreeMap::new();
            for (name, values) in [
                ("kind", kind),
                ("sector", sector),
                ("district", district),
                ("status", status),
                ("year", year),
            ] {
                if !values.is_empty() {
                    facets.insert(name.to_string(), values.into_iter().collect());
                }
            }
            let request = jawnik::search::SearchRequest {
                query: query.join(" "),
                facets,
                from,
                to,
                by_date,
                limit,
                versions,
                language: language.or_else(|| {
                    jawnik::config::Config::load(&root, None)
                        .ok()
                        .map(|c| c.language)
                }),
            };
            match jawnik::search::search_site(&root, &request) {
                Ok(response) if json => {
                    let text = serde_json::to_string_pretty(&response).expect("serialisable");
                    print_stdout(&format!("{text}\n"))
                }
                Ok(response) => {
                    let base = jawnik::config::Config::load(&root, None)
                        .map(|c| c.absolute_url(""))
                        .unwrap_or_default();
                    let color = std::io::IsTerminal::is_terminal(&std::io::stdout());
                    print_stdout(&jawnik::search::format_text(&response, &base, color))
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            today,
        } => {
            let opts = jawnik::BuildOptions {
                root,
                output,
                base_url,
                progress: true,
                index_dir: None,
                extract_cache: None,
                today,
            };
            match jawnik::build(&opts) {
                Ok(r) => {
                    for w in &r.warnings {
                        eprintln!("warning: {w}");
                    }
                    eprintln!(
                        "built {} documents and {} organisations: {} pages, {} files in {} ({:.2} s)",
                        r.documents,
                        r.organisations,
                        r.pages,
                        r.files,
                        r.output.display(),
                        r.elapsed.as_secs_f64()
                    );
                    let phases: Vec<String> = r
                        .phases
                        .iter()
                        .map(|(name, d)| format!("{name} {:.2} s", d.as_secs_f64()))
                        .collect();
                    eprintln!("  {}", phases.join(", "));
                    if r.usage.len() == r.phases.len() {
                        let usage: Vec<String> = r
                            .phases
                            .iter()
                            .zip(&r.usage)
                            .map(|((name, _), u)| {
                                format!(
                                    "{name} {:.2} s CPU, peak {} MiB",
                                    u.cpu.as_secs_f64(),
                                    u.peak_rss_kib / 1024
                                )
                            })
                            .collect();
                        eprintln!("  CPU and peak memory by phase: {}", usage.join("; "));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    // Content errors print their own `file:line: error:` lines.
                    let text = e.to_string();
                    if matches!(e, jawnik::BuildError::Invalid(_)) || text.starts_with("error:") {
                        eprintln!("{text}");
                    } else {
                        eprintln!("error: {text}");
                    }
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `--today`: a real calendar date written `YYYY-MM-DD`.
fn parse_today(s: &str) -> Result<jawnik::Date, String> {
    jawnik::Date::parse_iso(s).ok_or_else(|| format!("expected a date like 2026-11-25, got {s:?}"))
}

/// Writes to stdout; a closed pipe (`| head`) ends quietly instead of panicking.
fn print_stdout(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing the results: {e}");
            ExitCode::FAILURE
        }
    }
}
