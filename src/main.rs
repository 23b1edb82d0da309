//! The `jawnik` command line: a thin clap layer over the library. Subcommands: `build`
//! (more — search, serve, check, new, init — come later).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "jawnik",
    version,
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
        } => {
            let opts = jawnik::BuildOptions {
                root,
                output,
                base_url,
                progress: true,
            };
            match jawnik::build(&opts) {
                Ok(r) => {
                    eprintln!(
                        "built {} documents and {} organisations: {} pages, {} files in {} ({:.2} s)",
                        r.documents,
                        r.organisations,
                        r.pages,
                        r.files,
                        r.output.display(),
                        r.elapsed.as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
