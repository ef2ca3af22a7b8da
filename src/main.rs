//! The `follicle` command line. Only this file prints and exits.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use follicle::build::{self, BuildOptions};
use follicle::diagnostic::Failure;
use follicle::import::in_place::InPlace;

/// mimalloc (see Cargo.toml: glibc malloc was a quarter of a large build),
/// with a message instead of a silent abort when memory runs out.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

struct Allocator;

// SAFETY: every call is passed on to mimalloc unchanged; a failed one never
// returns (see `out_of_memory`).
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        got(mimalloc::MiMalloc.alloc(layout), layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        got(mimalloc::MiMalloc.alloc_zeroed(layout), layout.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        got(mimalloc::MiMalloc.realloc(ptr, layout, new_size), new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        mimalloc::MiMalloc.dealloc(ptr, layout)
    }
}

/// The pointer, unless the allocation failed (or a template asked for more
/// than any output may hold, which ends the build before memory runs out).
#[inline]
fn got(ptr: *mut u8, size: usize) -> *mut u8 {
    if ptr.is_null() {
        out_of_memory(size);
    }
    if size > follicle::memory::MAX_TEMPLATE_VALUE {
        follicle::memory::with_rendering(|template, source| template_too_big(template, source));
    }
    ptr
}

/// A template is making a value larger than any output file may be: stop
/// with exit 1 (a template error) and its file and page, as with
/// `out_of_memory` allocating nothing.
#[cold]
fn template_too_big(template: &str, source: &str) -> ! {
    use std::fmt::Write;
    let mut text = StackText::<1024>::default();
    let _ = write!(
        text,
        "{template}: error: rendering {source} with this template made a value over {} MiB (four times the limit for one output file); the build was stopped and the output folder was left as it was\n  hint: look for a loop that repeats a large value or a variable that keeps doubling (`set_global s = s ~ s`)\n",
        follicle::memory::MAX_TEMPLATE_VALUE >> 20
    );
    leave(&text, 1)
}

/// An allocation failed: say so and which page is the largest, and leave with
/// exit 3 (the machine stopped the build; the output folder is untouched, as
/// after a kill). Nothing here allocates: the text is put together on the
/// stack, written with write(2), and `_exit` runs no handlers (another
/// thread may be mid-allocation).
#[cold]
fn out_of_memory(size: usize) -> ! {
    use std::fmt::Write;
    let mut text = StackText::<1024>::default();
    let _ = write!(
        text,
        "error: out of memory: could not get {:.1} MB more",
        size as f64 / (1 << 20) as f64
    );
    follicle::memory::with_largest(|file, bytes| {
        let _ = write!(
            text,
            "; the largest page is {file} ({:.1} MB)",
            bytes as f64 / (1 << 20) as f64
        );
    });
    let _ = write!(
        text,
        "; the output folder was left as it was\n  hint: close other programs, split the largest page into several, or build with fewer threads (RAYON_NUM_THREADS=1 follicle build)\n"
    );
    leave(&text, 3)
}

/// Write `text` to stderr and end the process with `code`, running nothing.
fn leave<const N: usize>(text: &StackText<N>, code: i32) -> ! {
    // SAFETY: writes our own bytes to fd 2, then ends the process.
    unsafe {
        libc::write(2, text.buf.as_ptr().cast(), text.len);
        libc::_exit(code)
    }
}

/// Text in a fixed buffer on the stack; what does not fit is cut.
struct StackText<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Default for StackText<N> {
    fn default() -> Self {
        StackText {
            buf: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> std::fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let n = s.len().min(N - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

#[derive(Parser)]
#[command(
    name = "follicle",
    version,
    about = "Build patient-education sites for clinics from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What `build` and `watch` share: which site, where to, which pages.
#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (holding site.toml); default: the current folder.
    #[arg(long)]
    root: Option<PathBuf>,
    /// Output folder, relative to the site folder; overrides output_dir.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Overrides base_url from site.toml.
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked draft.
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(self, strict: bool) -> BuildOptions {
        BuildOptions {
            root: build::root_or_cwd(self.root.as_deref()),
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            strict,
            // Consent dates in tests are compared with a fixed day.
            today: std::env::var("FOLLICLE_TODAY")
                .ok()
                .and_then(|s| s.trim().parse().ok()),
        }
    }
}

/// The clinic's details for `follicle init`.
#[derive(clap::Args)]
struct InitArgs {
    /// The clinic's name, e.g. "Harbor Scalp Clinic".
    #[arg(long)]
    name: Option<String>,
    /// The address the site will have, e.g. https://www.your-clinic.com/.
    #[arg(long)]
    url: Option<String>,
    /// The clinic's phone number, e.g. "+1 213 555 1234".
    #[arg(long)]
    phone: Option<String>,
    /// The clinic's email address.
    #[arg(long)]
    email: Option<String>,
    /// Street and number.
    #[arg(long)]
    street: Option<String>,
    /// Town or city.
    #[arg(long)]
    city: Option<String>,
    /// State, county or region.
    #[arg(long)]
    region: Option<String>,
    /// Postal code.
    #[arg(long)]
    postal_code: Option<String>,
    /// Country, as a two-letter code (US, GB, ES, MX).
    #[arg(long)]
    country: Option<String>,
    /// Where patients book, e.g. https://www.your-clinic.com/book.
    #[arg(long)]
    booking_url: Option<String>,
    /// The site's languages, English first: en or en,es (default en,es).
    #[arg(long, value_delimiter = ',')]
    languages: Option<Vec<String>>,
    /// Where the site will be published: github (writes a GitHub Pages workflow,
    /// .github/workflows/pages.yml), netlify (netlify.toml) or cloudflare (a note
    /// with the Cloudflare Pages settings); both of the last two run follicle-publish.sh.
    #[arg(long, value_name = "HOST")]
    host: Option<String>,
    /// The Git address the host's build installs Follicle from
    /// (`cargo install --git URL`); without it a sample address is written,
    /// which `follicle check` reports.
    #[arg(long, value_name = "URL", requires = "host")]
    follicle_git: Option<String>,
    /// Ask nothing, even on a terminal.
    #[arg(long)]
    no_questions: bool,
}

impl InitArgs {
    /// The answers: flags, then on a terminal a question for each one left.
    fn answers(self) -> Result<follicle::scaffold::Answers, Failure> {
        use std::io::IsTerminal;
        let ask = !self.no_questions && std::io::stdin().is_terminal();
        let field = |given: Option<String>, question: &str| {
            given.or_else(|| ask.then(|| prompt(question)).flatten())
        };
        let mut answers = follicle::scaffold::Answers {
            name: field(self.name, "Clinic name"),
            url: field(self.url, "Site address (https://…)"),
            phone: field(self.phone, "Phone"),
            email: field(self.email, "Email"),
            street: field(self.street, "Street address"),
            city: field(self.city, "Town or city"),
            region: field(self.region, "State or region"),
            postal_code: field(self.postal_code, "Postal code"),
            country: field(self.country, "Country (two letters, e.g. US)"),
            booking_url: field(self.booking_url, "Booking page (https://…)"),
            languages: self.languages.or_else(|| {
                ask.then(|| prompt("Languages, English first (en or en,es)"))
                    .flatten()
                    .map(|l| l.split(',').map(|s| s.trim().to_string()).collect())
            }),
            host: None,
            follicle_git: None,
        };
        let host = field(
            self.host,
            &format!(
                "Where will you publish it? {}",
                follicle::scaffold::HOST_NAMES
            ),
        );
        answers.host = match host {
            Some(h) => follicle::scaffold::Host::from_name(&h)?,
            None => None,
        };
        answers.follicle_git = match answers.host {
            Some(_) => field(
                self.follicle_git,
                "Git address of Follicle's source, for the host's build (https://…)",
            ),
            None => None,
        };
        Ok(answers)
    }
}

/// Ask one question on the terminal; an empty answer (or none) is `None`.
fn prompt(question: &str) -> Option<String> {
    use std::io::Write;
    eprint!("{question} (Enter to keep the sample): ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    Some(line.trim().to_string()).filter(|l| !l.is_empty())
}

// Parsed once per run: the size of the `init` answers does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Warnings count as errors (for CI): the build fails with exit 1 and
        /// the output folder is left as it was.
        #[arg(long)]
        strict: bool,
    },
    /// Build in memory, serve on localhost and reload the browser on every save.
    Serve {
        /// The site folder (holding site.toml); default: the current folder.
        #[arg(long)]
        root: Option<PathBuf>,
        /// Port to listen on; the next free one is used if it is busy.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback is reachable from your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in your browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Make each entry of the browser panel a link that opens the file at
        /// its line in this editor: vscode, zed or idea.
        #[arg(long, value_name = "EDITOR", value_parser = ["vscode", "zed", "idea"])]
        open_in: Option<String>,
    },
    /// Build, then write changed files into the output folder on every save.
    Watch {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Check the site before publishing: links, accessibility, medical review,
    /// reading level. Writes nothing; exits 1 when there are errors.
    Check(CheckArgs),
    /// Write a new site (the bundled SMP education site and a theme of your own).
    /// On a terminal it asks for the clinic's details; flags answer for scripts.
    /// Whatever is left out stays a sample, which `follicle check` reports.
    Init {
        /// Folder to create; must be empty or missing. Default: the current folder.
        dir: Option<PathBuf>,
        #[command(flatten)]
        clinic: InitArgs,
    },
    /// Write a Follicle site from a Zola, Hugo or Jekyll site folder: site.toml,
    /// content/ and IMPORT-REPORT.md (what needs a person). SRC is only read.
    Import {
        /// The generator the site was made with.
        from: Peer,
        /// The other site's folder.
        src: PathBuf,
        /// A new (or empty) folder for the Follicle site, outside SRC.
        dest: PathBuf,
    },
    /// Write a new draft article, e.g. `follicle new treatment/night-care`.
    New {
        /// section/slug of the article, inside content/.
        path: String,
        /// The site folder (holding site.toml); default: the current folder.
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Peer {
    Zola,
    Hugo,
    Jekyll,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    // A panic is a bug: say so plainly, without the raw panic text, unless asked.
    std::panic::set_hook(Box::new(|info| {
        if std::env::var_os("FOLLICLE_DEBUG").is_some() {
            eprintln!("{info}");
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = std::panic::catch_unwind(|| run(cli));
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(failure)) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code() as u8)
        }
        Err(_) => {
            eprintln!("internal error: Follicle hit a bug; nothing was changed in the output folder. Run with FOLLICLE_DEBUG=1 for details.");
            ExitCode::from(3)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Build { site, strict } => {
            let mut opts = site.options(strict);
            let peer = in_place(&mut opts)?;
            if let Some(p) = &peer {
                if strict && !p.left_out.is_empty() {
                    return Err(Failure::Content(p.left_out.clone()));
                }
                p.left_out.iter().for_each(|w| eprintln!("{w}"));
            }
            let named = |f| named_in(peer.as_ref(), f);
            let mut report = build::build(&opts).map_err(named)?;
            for w in &mut report.warnings {
                if let Some(p) = &peer {
                    p.name_origin(w);
                }
                eprintln!("{w}");
            }
            if let Some(p) = &peer {
                eprintln!("{}", p.summary());
            }
            println!(
                "Built {} pages, {} sections, {} files in {:.2} s → {}",
                report.pages,
                report.sections,
                report.files,
                report.seconds,
                report.output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            open_in,
        } => {
            let opts = follicle::serve::ServeOptions {
                root: build::root_or_cwd(root.as_deref()),
                port,
                bind,
                open,
                drafts,
                editor: open_in
                    .as_deref()
                    .and_then(follicle::serve::panel::Editor::from_name),
            };
            follicle::serve::serve(&opts, &Terminal).map(|()| ExitCode::SUCCESS)
        }
        Command::Watch { site } => {
            let opts = site.options(false);
            follicle::serve::watch_to_disk(&opts, &Terminal).map(|()| ExitCode::SUCCESS)
        }
        Command::Check(args) => run_check(args),
        Command::Init { dir, clinic } => run_init(dir, clinic),
        Command::Import { from, src, dest } => run_import(from, &src, &dest),
        Command::New { path, root } => {
            let root = build::root_or_cwd(root.as_deref());
            let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
            let today = tz.to_datetime(jiff::Timestamp::now()).date().to_string();
            let written = follicle::scaffold::new_article(&root, &path, &today)?;
            println!(
                "Wrote {} (a draft: build with --drafts to see it)",
                written.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A Zola, Hugo or Jekyll folder (no site.toml) is built as it is: `opts`
/// then build its imported copy into the folder's own `public/`.
fn in_place(opts: &mut BuildOptions) -> Result<Option<InPlace>, Failure> {
    let Some(peer) = follicle::import::in_place::prepare(&opts.root)? else {
        return Ok(None);
    };
    opts.output = Some(match opts.output.take() {
        Some(out) => std::path::absolute(&out).unwrap_or(out),
        None => peer.root.join("public"),
    });
    opts.root = peer.site.clone();
    Ok(Some(peer))
}

/// `failure` with the peer's file names, when a peer's folder was built.
fn named_in(peer: Option<&InPlace>, failure: Failure) -> Failure {
    match peer {
        Some(p) => p.name_origins(failure),
        None => failure,
    }
}

/// `follicle import`: write the site, print what needs a person.
fn run_import(
    from: Peer,
    src: &std::path::Path,
    dest: &std::path::Path,
) -> Result<ExitCode, Failure> {
    use follicle::import::Peer as P;
    let peer = match from {
        Peer::Zola => P::Zola,
        Peer::Hugo => P::Hugo,
        Peer::Jekyll => P::Jekyll,
    };
    let report = follicle::import::import(peer, src, dest)?;
    println!("Wrote {} files to {}.", report.written, dest.display());
    if report.needs_a_person.is_empty() {
        println!("Nothing needs a person.");
    } else {
        println!(
            "Needs a person ({}, also in IMPORT-REPORT.md):",
            report.needs_a_person.len()
        );
        for line in &report.needs_a_person {
            println!("  {line}");
        }
    }
    println!("Next: follicle build --root {}", dest.display());
    Ok(ExitCode::SUCCESS)
}

/// `follicle init`: write the starter site, then say what to do next.
fn run_init(dir: Option<PathBuf>, clinic: InitArgs) -> Result<ExitCode, Failure> {
    let here = dir.is_none();
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let answers = clinic.answers()?;
    let written = follicle::scaffold::init(&dir, &answers)?;
    let shown = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
    println!(
        "Wrote {} files to {}: site.toml, content/ (the articles) and themes/{}/.",
        written.len(),
        shown.display(),
        follicle::scaffold::STARTER_THEME_NAME
    );
    let cd = if here {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    println!("Next: {cd}follicle serve   (a live preview at http://127.0.0.1:1111/)");
    println!("Then: follicle check   (lists every sample detail still to replace, with its line)");
    if let Some(host) = answers.host {
        println!("Publish: {}", host.next_step());
    }
    Ok(ExitCode::SUCCESS)
}

/// What `follicle check` was given.
#[derive(clap::Args)]
struct CheckArgs {
    /// The site folder (holding site.toml); default: the current folder.
    #[arg(long)]
    root: Option<PathBuf>,
    /// Overrides base_url from site.toml (check the site as published there).
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked draft.
    #[arg(long)]
    drafts: bool,
    /// Also check links to other sites (uses the network; good answers are
    /// remembered for a day in .follicle-cache/).
    #[arg(long)]
    external: bool,
    /// Seconds to wait for each external link.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Warnings count as errors too (exit 1).
    #[arg(long)]
    strict: bool,
    /// `text` for people, `json` for CI.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Check review dates as of this day (YYYY-MM-DD) instead of today; also
    /// FOLLICLE_TODAY.
    #[arg(long)]
    today: Option<String>,
}

/// `follicle check`: report, then exit 1 when it did not pass.
fn run_check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let CheckArgs {
        root,
        base_url,
        drafts,
        external,
        timeout,
        strict,
        format,
        today,
    } = args;
    let root = build::root_or_cwd(root.as_deref());
    let external = external.then(|| {
        follicle::check::external::Options::new(
            std::time::Duration::from_secs(timeout.max(1)),
            Some(root.join(".follicle-cache/external-links.json")),
        )
    });
    let mut build = BuildOptions {
        root,
        drafts,
        base_url,
        today: Some(check_day(today.clone())?),
        ..BuildOptions::default()
    };
    let peer = in_place(&mut build)?;
    let opts = follicle::check::CommandOptions {
        build,
        check: follicle::check::CheckOptions {
            today: check_day(today)?,
        },
        external,
    };
    let named = |f| named_in(peer.as_ref(), f);
    let mut outcome = follicle::check::check(&opts).map_err(named)?;
    if let Some(p) = &peer {
        p.left_out.iter().for_each(|w| eprintln!("{w}"));
        outcome
            .findings
            .iter_mut()
            .for_each(|f| p.name_origin(&mut f.diagnostic));
        eprintln!("{}", p.summary());
    }
    let report = match format {
        Format::Text => follicle::check::report::text(&outcome, strict),
        Format::Json => follicle::check::report::json(&outcome, strict),
    };
    print!("{report}");
    let summary = follicle::check::report::Summary::of(&outcome, strict);
    Ok(if summary.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The day `check` compares review dates with: --today, else FOLLICLE_TODAY, else today.
fn check_day(flag: Option<String>) -> Result<jiff::civil::Date, Failure> {
    let given = flag.or_else(|| std::env::var("FOLLICLE_TODAY").ok());
    match given {
        Some(s) => s.trim().parse().map_err(|_| {
            Failure::usage(
                follicle::diagnostic::Diagnostic::error("--today", format!("`{s}` is not a date"))
                    .code(follicle::diagnostic::Code::CommandLine)
                    .hint("write it as YYYY-MM-DD, e.g. 2026-11-25"),
            )
        }),
        None => {
            let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
            Ok(tz.to_datetime(jiff::Timestamp::now()).date())
        }
    }
}

/// Rebuild reports go to the terminal, one line each, with the time.
struct Terminal;

impl follicle::serve::Reporter for Terminal {
    fn line(&self, text: &str) {
        let now = jiff::Timestamp::now();
        let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
        let t = tz.to_datetime(now);
        eprintln!(
            "[{:02}:{:02}:{:02}] {text}",
            t.hour(),
            t.minute(),
            t.second()
        );
    }
}
