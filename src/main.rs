//! The `annalist` command line: a thin layer over the library crates (see
//! ARCHITECTURE.md). `code` turns documents into event records, `explain` shows every
//! stage on one sentence, `eval` scores the coder on gold-standard records,
//! `dictionaries` checks the dictionaries, and `geo` looks place names up in the
//! gazetteer. `ingest` codes documents into the event store (annalist-store), from
//! files and folders or, with `--feed`, from feeds fetched over HTTP(S)
//! (annalist-feeds); `timeline`, `dyads`, `stats` and `export` read it; `serve`
//! serves it over HTTP (annalist-web).
//!
//! This file parses flags and prints; loading the dictionaries, reading, coding in
//! parallel and storing are `annalist-engine`'s (and the crates under it).
use annalist_coder::order::FeedOrder;
use annalist_coder::CoderOptions;
use annalist_dict::Dictionaries;
use annalist_engine::{
    code_inputs, Engine, Input, InputProblems, JsonLines, Reading, Resources, StoreSink,
};
use annalist_feeds::InputKind;
use annalist_io::ReadOptions;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::ProgressBar;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use terminal::{ColorChoice, Style};

mod terminal;

/// Example invocations, shown at the end of each command's help.
mod examples {
    pub const MAIN: &str = "\
Examples:
  annalist code --sample                      code the built-in sample (a table on a terminal)
  annalist code news/ > events.jsonl          code a folder (pages, feeds, text, JSON Lines)
  annalist ingest --sample --db annalist.db && annalist serve --db annalist.db
                                              store the sample, then open http://127.0.0.1:8080";
    pub const CODE: &str = "\
Examples:
  annalist code --sample                          the built-in sample, as a table
  annalist code news/ --date 2024-05-09 --out events.jsonl
  cat docs.jsonl | annalist code - --json         JSON Lines from standard input
  annalist code news/ --min-confidence 0.5 --json";
    pub const EXPLAIN: &str = "\
Examples:
  annalist explain \"Russian forces shelled Kharkiv on Tuesday.\" --date 2024-05-09
  annalist explain \"Iran threatened to attack Israel.\" --json";
    pub const EVAL: &str = "\
Examples:
  annalist eval gold.jsonl
  annalist eval gold.jsonl --errors 50        list 50 misses";
    pub const INGEST: &str = "\
Examples:
  annalist ingest --sample --db annalist.db
  annalist ingest news/ --db annalist.db --date 2024-05-09
  annalist ingest --feed https://example.org/world.rss --db annalist.db --watch --interval 600";
    pub const TIMELINE: &str = "\
Examples:
  annalist timeline --db annalist.db
  annalist timeline --db annalist.db --actor RUS --from 2024-01-01 --to 2024-03-31
  annalist timeline --db annalist.db --pair ISR,PSE --quad 4 --json
  annalist timeline --db annalist.db --exclude-claims --min-confidence 0.5";
    pub const DYADS: &str = "\
Examples:
  annalist dyads --db annalist.db
  annalist dyads --db annalist.db --pair RUS,UKR --by week";
    pub const STATS: &str = "\
Examples:
  annalist stats --db annalist.db
  annalist stats --db annalist.db --json";
    pub const EXPORT: &str = "\
Examples:
  annalist export --db annalist.db --format csv --out events.csv
  annalist export --db annalist.db --format gdelt --actor RUS > rus.tsv
  annalist export --db annalist.db --format geojson --location UKR --out ukraine.geojson
  annalist export --db annalist.db --format parquet --out events/ --from 2024-01-01";
    pub const SERVE: &str = "\
Examples:
  annalist serve --db annalist.db                   then open http://127.0.0.1:8080
  ANNALIST_TOKEN=s3cret annalist serve --db annalist.db --write-token-env ANNALIST_TOKEN";
    pub const DICTIONARIES: &str = "\
Examples:
  annalist dictionaries
  annalist dictionaries import --format petrarch actors.txt --out mydicts/
  annalist --dictionaries mydicts/ code --sample";
    pub const IMPORT: &str = "\
Examples:
  annalist dictionaries import --format petrarch Phoenix.Countries.actors.txt --out mydicts/
  annalist dictionaries import petrarch-dictionaries/ --out mydicts/
  annalist --dictionaries mydicts/ code news/";
    pub const GEO: &str = "\
Examples:
  annalist geo Kharkov \"Paris, Texas\"
  annalist geo Georgia --country USA --json";
}

/// The built-in sample corpus (written by the team; see samples/README.md).
const SAMPLE: &str = include_str!("../samples/sample.jsonl");

#[derive(Parser)]
#[command(
    name = "annalist",
    version,
    about = "News text to political event data: who did what to whom, when (PLOVER/CAMEO)",
    after_help = examples::MAIN
)]
struct Cli {
    /// Read dictionaries from DIR (same layout as dictionaries/); files it lacks fall
    /// back to the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Colour the tables: `auto` when standard output is a terminal and NO_COLOR is
    /// unset.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormat {
    Jsonl,
    Text,
    /// RSS or Atom feed.
    Feed,
    Html,
    Markdown,
    /// WARC web archive (`.warc`, `.warc.gz`; Common Crawl News).
    Warc,
}

impl InputFormat {
    fn kind(self) -> InputKind {
        match self {
            InputFormat::Jsonl => InputKind::JsonLines,
            InputFormat::Text => InputKind::PlainText,
            InputFormat::Feed => InputKind::Feed,
            InputFormat::Html => InputKind::Html,
            InputFormat::Markdown => InputKind::Markdown,
            InputFormat::Warc => InputKind::Warc,
        }
    }
}

/// `ingest --feed`: fetching and polling.
#[derive(Args)]
struct FeedArgs {
    /// Fetch these RSS/Atom feeds (and the articles they link to) over HTTP(S) instead
    /// of reading files; a re-run takes only new items.
    #[arg(long = "feed", value_name = "URL", num_args = 1..)]
    feeds: Vec<String>,
    /// Keep polling the feeds every --interval seconds until Ctrl-C.
    #[arg(long)]
    watch: bool,
    /// Seconds between polls with --watch.
    #[arg(long, default_value_t = 300.0)]
    interval: f64,
    /// Limit on one HTTP exchange, in milliseconds.
    #[arg(long, default_value_t = 20_000)]
    timeout_ms: u64,
    /// Retries of a timed-out, refused, 429 or 5xx request.
    #[arg(long, default_value_t = 2)]
    retries: u32,
    /// Wait before the first retry (doubled for each further one), in milliseconds.
    #[arg(long, default_value_t = 1000)]
    backoff_ms: u64,
    /// Largest accepted response body, in bytes.
    #[arg(long, default_value_t = 10 << 20)]
    max_bytes: u64,
    /// Least time between two requests to the same host, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    per_host_ms: u64,
    /// Fetch the linked article when an item's own text is shorter than this many
    /// characters (0: never).
    #[arg(long, default_value_t = 600)]
    article_min_chars: usize,
    /// Date items that have no date (in the item or its page) with the day of the fetch,
    /// marked `fetched` in the fetch record; by default they stay undated.
    #[arg(long)]
    undated_fetch_date: bool,
    /// Fetch from loopback, private and link-local addresses too (refused by default:
    /// a feed item could point at internal services; see docs/security.md).
    #[arg(long)]
    allow_private_addresses: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OrderArg {
    NewestFirst,
    OldestFirst,
}

#[derive(Clone, Copy, ValueEnum)]
enum PeriodArg {
    Day,
    Week,
    Month,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Csv,
    Jsonl,
    Plover,
    Gdelt,
    Geojson,
    Parquet,
}

/// Which stored events a query reads.
#[derive(Args, Clone, Default)]
struct FilterArgs {
    /// Events whose source or target code starts with CODE (CAMEO actor code such as
    /// RUSMIL, or country/organisation code such as RUS).
    #[arg(long, value_name = "CODE")]
    actor: Option<String>,
    /// Events between two actors, either direction: `--pair RUS,UKR` (prefix match).
    #[arg(long, value_name = "A,B")]
    pair: Option<String>,
    /// PLOVER event type (ASSAULT, CONSULT, …).
    #[arg(long = "type", value_name = "TYPE")]
    event_type: Option<String>,
    /// Quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    quad: Option<u8>,
    /// First event date (YYYY-MM-DD), inclusive.
    #[arg(long)]
    from: Option<String>,
    /// Last event date (YYYY-MM-DD), inclusive.
    #[arg(long)]
    to: Option<String>,
    /// Events at this location (as stored; case-insensitive).
    #[arg(long)]
    location: Option<String>,
    /// Leave out events known only from a party's claims: those whose attribution is
    /// claimed, alleged or denied (an event any article states or a third party reports
    /// is kept).
    #[arg(long)]
    exclude_claims: bool,
    /// Leave out events whose confidence is under X (0 to 1); events without a
    /// confidence are kept.
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = annalist_engine::parse_min_confidence)]
    min_confidence: Option<f32>,
}

impl FilterArgs {
    fn filter(&self) -> Result<annalist_store::Filter> {
        let pair = match &self.pair {
            None => None,
            Some(p) => match p.split_once(',') {
                Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                    Some((a.trim().to_string(), b.trim().to_string()))
                }
                _ => bail!("--pair {p:?}: expected two actor codes, A,B"),
            },
        };
        let filter = annalist_store::Filter {
            actor: self.actor.clone(),
            pair,
            event_type: self.event_type.clone(),
            quad_class: self.quad,
            from: parse_date(&self.from).context("--from")?,
            to: parse_date(&self.to).context("--to")?,
            location: self.location.clone(),
            min_confidence: self
                .min_confidence
                .and_then(|c| c.to_string().parse::<f64>().ok()),
            attributions: None,
        };
        Ok(if self.exclude_claims {
            filter.without_claims()
        } else {
            filter
        })
    }
}

#[derive(Subcommand)]
enum DictAction {
    /// Convert PETRARCH/TABARI dictionaries (actors, agents, the verb dictionary, or a
    /// folder of them) into annalist's formats; every line not converted is reported.
    #[command(after_help = examples::IMPORT)]
    Import {
        /// Input format (only `petrarch`, which also reads TABARI files).
        #[arg(long, default_value = "petrarch")]
        format: String,
        file: PathBuf,
        /// Write the converted files under DIR/imported/ (the lower layer of a
        /// dictionary directory: use it with --dictionaries DIR). Without it the
        /// converted lines are printed.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

// The flags of `annalist code`.
#[derive(Args)]
struct CodeArgs {
    /// Files or folders (walked recursively): JSON Lines (.jsonl/.json/.ndjson),
    /// plain text (.txt), Markdown (.md), HTML pages (.html), RSS/Atom feeds
    /// (.rss/.atom/.xml), each possibly gzipped (.gz); `-` reads JSON Lines from
    /// standard input.
    files: Vec<String>,
    /// Code the built-in sample corpus.
    #[arg(long)]
    sample: bool,
    /// Write records to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// JSON Lines on standard output even on a terminal (the form when piped).
    #[arg(long, conflicts_with = "table")]
    json: bool,
    /// A table for people even when piped (the form on a terminal).
    #[arg(long, conflicts_with = "out")]
    table: bool,
    /// Date (YYYY-MM-DD) for plain-text documents and JSON records without one.
    #[arg(long)]
    date: Option<String>,
    /// Input format, overriding the file extension.
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Keep negated events ("did not attack") with "negated": true.
    #[arg(long)]
    keep_negated: bool,
    /// Keep hypothetical events ("could attack").
    #[arg(long)]
    keep_hypothetical: bool,
    /// Drop events whose target was not found (kept with "target": null by default),
    /// except the self-contained MOBILIZE and RETREAT and mutual events.
    #[arg(long)]
    require_target: bool,
    /// Longest accepted record, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_record_bytes: usize,
    /// The documents are a feed in this order: documents without a date are dated
    /// from the weekdays their texts name and the dated documents around them
    /// (reads all documents before coding; see `document_date` in the output).
    #[arg(long, value_enum)]
    order: Option<OrderArg>,
    /// Worker threads (default: one per core). Output order is input order.
    #[arg(long)]
    threads: Option<usize>,
    /// Drop records whose confidence is under X (0 to 1) before they are written;
    /// records without a confidence are kept.
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = annalist_engine::parse_min_confidence)]
    min_confidence: Option<f32>,
}

// The flags of `annalist ingest`.
#[derive(Args)]
struct IngestArgs {
    /// Files or folders, as for `code`; `-` reads JSON Lines from standard input.
    files: Vec<String>,
    /// Store the built-in sample corpus.
    #[arg(long)]
    sample: bool,
    /// The database file.
    #[arg(long, default_value = "annalist.db")]
    db: PathBuf,
    /// Date (YYYY-MM-DD) for plain-text documents and JSON records without one.
    #[arg(long)]
    date: Option<String>,
    /// Input format, overriding the file extension.
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Longest accepted record, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_record_bytes: usize,
    /// Coding threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Drop records whose confidence is under X (0 to 1) before they are stored;
    /// records without a confidence are kept.
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = annalist_engine::parse_min_confidence)]
    min_confidence: Option<f32>,
    /// How long to wait for another writer before giving up, in milliseconds.
    #[arg(long, default_value_t = 5000)]
    busy_timeout_ms: u64,
    /// Cap the database at N pages (PRAGMA max_page_count; simulates a full disk).
    #[arg(long, hide = true)]
    max_pages: Option<u64>,
    #[command(flatten)]
    fetch: FeedArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into event records: a table on a terminal, JSON Lines when piped,
    /// with --json or to --out FILE.
    #[command(after_help = examples::CODE)]
    Code(CodeArgs),
    /// Show every stage on one text: tokens, tags, chunks, actors, patterns, events.
    #[command(after_help = examples::EXPLAIN)]
    Explain {
        text: String,
        /// Document date (YYYY-MM-DD) for roles and relative dates.
        #[arg(long)]
        date: Option<String>,
        /// Print the event records as JSON instead of the explanation.
        #[arg(long)]
        json: bool,
    },
    /// Code gold-standard records and score the result.
    #[command(after_help = examples::EVAL)]
    Eval {
        gold: PathBuf,
        /// How many misses to list.
        #[arg(long, default_value_t = 20)]
        errors: usize,
    },
    /// Code documents and store them, their mentions and the deduplicated events in an
    /// SQLite database (created if needed). Re-ingesting an unchanged document changes
    /// nothing; a changed one replaces its mentions.
    #[command(after_help = examples::INGEST)]
    Ingest(IngestArgs),
    /// Stored events in date order, grouped by day.
    #[command(after_help = examples::TIMELINE)]
    Timeline {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// One JSON object per event (with its mentions) instead of text.
        #[arg(long, conflicts_with = "table")]
        json: bool,
        /// The table of the terminal even when piped (piped, the text lists each event's
        /// mentions with their byte offsets).
        #[arg(long)]
        table: bool,
    },
    /// Event counts per quad class and summed Goldstein per directed dyad and period.
    #[command(after_help = examples::DYADS)]
    Dyads {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// Aggregation period.
        #[arg(long, value_enum, default_value = "month")]
        by: PeriodArg,
        /// One JSON object per row instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Counts of documents, mentions and events in a database.
    #[command(after_help = examples::STATS)]
    Stats {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write the stored events as CSV, JSON Lines, PLOVER JSON, GDELT 2.0 TSV, GeoJSON
    /// (the located events) or Parquet (a directory partitioned by month).
    #[command(after_help = examples::EXPORT)]
    Export {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file (a directory for parquet); standard output when absent (not for
        /// parquet).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Serve the JSON API (/api/…) and the web page over a database (read-only, unless
    /// a write token enables POST /api/documents).
    #[command(after_help = examples::SERVE)]
    Serve {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        /// Address to listen on (loopback by default; another address exposes the
        /// database to the network).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Enable POST /api/documents for requests with `Authorization: Bearer TOKEN`,
        /// TOKEN being the value of this environment variable.
        #[arg(long, value_name = "VAR")]
        write_token_env: Option<String>,
        /// Largest body of POST /api/documents, in bytes.
        #[arg(long, default_value_t = 2 << 20)]
        max_body_bytes: usize,
        /// Largest body of POST /api/code (live coding), in bytes.
        #[arg(long, default_value_t = 64 << 10)]
        max_code_bytes: usize,
        /// Time budget of one request's work, in milliseconds (503 past it).
        #[arg(long, default_value_t = 30_000)]
        request_timeout_ms: u64,
        /// Time a client has to send a request's headers (and an idle connection stays
        /// open), in milliseconds; its body gets twice as long.
        #[arg(long, default_value_t = 10_000)]
        client_timeout_ms: u64,
        /// A host name requests may give in their Host header besides IP addresses and
        /// localhost (repeatable), e.g. the name a reverse proxy serves this under.
        #[arg(long = "allow-host", value_name = "NAME")]
        allowed_hosts: Vec<String>,
    },
    /// Check the dictionaries and print their sizes; `import` converts dictionaries of
    /// other coders.
    #[command(after_help = examples::DICTIONARIES)]
    Dictionaries {
        #[command(subcommand)]
        action: Option<DictAction>,
    },
    /// Look place names up in the gazetteer: every candidate, the chosen one marked `*`.
    /// Quote a name of several words; "Paris, Texas" gives a region or country hint.
    #[command(after_help = examples::GEO)]
    Geo {
        #[arg(required = true)]
        names: Vec<String>,
        /// ISO3 code of a country the text is about (repeatable): its places are preferred.
        #[arg(long, value_name = "ISO3")]
        country: Vec<String>,
        /// Print one JSON object per name instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// The dictionaries of `--dictionaries DIR` (or the built-in ones), validated.
fn load_dictionaries(dir: &Option<PathBuf>) -> Result<Dictionaries> {
    Ok(annalist_engine::setup::load_dictionaries(dir.as_deref())?)
}

fn parse_date(s: &Option<String>) -> Result<Option<chrono::NaiveDate>> {
    s.as_deref()
        .map(|d| {
            annalist_io::parse_date(d).with_context(|| format!("--date {d:?}: expected YYYY-MM-DD"))
        })
        .transpose()
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // mimalloc's options (the values of its `mi_option_e`): commit arena memory as it is
    // used, and return freed memory after 100 ms. Returning it at once (delay 0) kept
    // the peak RSS lowest (59 MB on one thread, 75 MB on two, news corpus of 20,000
    // documents) but re-faulted and zeroed the same pages batch after batch (~10,000
    // page faults, ~10 % of the time); never returning it (-1) took 75 / 93 MB. 100 ms
    // keeps most memory from one batch to the next: ~2,000 faults, 74 / 81-88 MB.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store into mimalloc's option table.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
    // The embedded gazetteer is parsed while the dictionaries load (it is parsed once;
    // whoever needs it first waits for this thread).
    std::thread::spawn(|| {
        annalist_geo::Gazetteer::embedded();
    });
    match run(Cli::parse()) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("annalist: {e:#}");
            std::process::exit(2);
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    let dicts = cli.dictionaries.as_deref();
    match cli.command {
        Command::Code(args) => code(dicts, args, cli.color),
        Command::Explain { text, date, json } => explain(dicts, &text, &date, json),
        Command::Eval { gold, errors } => eval(dicts, &gold, errors),
        Command::Dictionaries {
            action: Some(DictAction::Import { format, file, out }),
        } => dictionaries_import(&cli.dictionaries, &format, &file, out),
        Command::Dictionaries { action: None } => dictionaries(&cli.dictionaries),
        Command::Geo {
            names,
            country,
            json,
        } => geo(&names, &country, json, dicts),
        Command::Ingest(args) => ingest(dicts, args),
        Command::Timeline {
            db,
            filter,
            json,
            table,
        } => timeline(&db, &filter, json, table, cli.color),
        Command::Dyads {
            db,
            filter,
            by,
            json,
        } => dyads(&db, &filter, by, json, cli.color),
        Command::Stats { db, json } => stats(&db, json, cli.color),
        Command::Export {
            db,
            format,
            out,
            filter,
        } => export(&db, format, out.as_deref(), &filter),
        Command::Serve {
            db,
            addr,
            write_token_env,
            max_body_bytes,
            max_code_bytes,
            request_timeout_ms,
            client_timeout_ms,
            allowed_hosts,
        } => {
            let client = std::time::Duration::from_millis(client_timeout_ms);
            let config = annalist_web::Config {
                max_body_bytes,
                max_code_bytes,
                request_timeout: std::time::Duration::from_millis(request_timeout_ms),
                header_timeout: client,
                body_timeout: client * 2,
                allowed_hosts,
                ..Default::default()
            };
            serve(dicts, db, addr, write_token_env, config)
        }
    }
}

/// What to read: the built-in sample first, then the files in the order given.
fn reading<'a>(
    files: &'a [String],
    sample: bool,
    format: Option<InputFormat>,
    options: ReadOptions,
    order: Option<OrderArg>,
) -> Reading<'a> {
    let mut inputs = Vec::new();
    if sample {
        inputs.push(Input::JsonLines {
            name: "<sample>",
            text: SAMPLE,
        });
    }
    inputs.extend(files.iter().map(|f| Input::Path(f)));
    Reading {
        inputs,
        kind: format.map(InputFormat::kind),
        options,
        order: order.map(|o| match o {
            OrderArg::NewestFirst => FeedOrder::NewestFirst,
            OrderArg::OldestFirst => FeedOrder::OldestFirst,
        }),
    }
}

/// A spinner on standard error when it is a terminal.
fn spinner(template: &str) -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let pb = ProgressBar::new_spinner();
        pb.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
        pb
    })
}

/// Prints a message on standard error, around the spinner if there is one.
fn say(progress: &Option<ProgressBar>, message: impl std::fmt::Display) {
    match progress {
        Some(pb) => pb.suspend(|| eprintln!("annalist: {message}")),
        None => eprintln!("annalist: {message}"),
    }
}

/// `annalist code`: records as JSON Lines in input order, or as a table on a terminal;
/// status 1 if a record was rejected.
fn code(dicts: Option<&Path>, a: CodeArgs, color: ColorChoice) -> Result<i32> {
    let options = CoderOptions {
        keep_negated: a.keep_negated,
        keep_hypothetical: a.keep_hypothetical,
        require_target: a.require_target,
    };
    // (Never dropped: the process ends after it, and freeing the dictionaries entry by
    // entry cost milliseconds of start-up time.)
    let engine = std::mem::ManuallyDrop::new(
        Engine::new(Arc::new(Resources::load(dicts)?.coder(options)), a.threads)?
            .with_min_confidence(a.min_confidence),
    );
    let read_options = ReadOptions {
        max_record_bytes: a.max_record_bytes,
        default_date: parse_date(&a.date)?,
    };
    if a.files.is_empty() && !a.sample {
        bail!("no input: give FILES, `-` for standard input, or --sample");
    }
    let reading = reading(&a.files, a.sample, a.format, read_options, a.order);
    if a.table || (a.out.is_none() && !a.json && std::io::stdout().is_terminal()) {
        return code_table(&engine, &reading, &a, Style::for_stdout(color));
    }
    let writer: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let progress = spinner("{spinner} {pos} documents ({per_sec}) {msg}");
    let mut stream = engine.stream(JsonLines::new(writer)).on_progress(|c| {
        if let Some(pb) = &progress {
            pb.set_position(c.documents as u64);
            pb.set_message(format!("{} events", c.events));
        }
    });
    let problems = code_inputs(&mut stream, &reading, &mut |e| say(&progress, e));
    let finished = stream.finish();
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    let (sink, c) = finished.context("writing output")?;
    sink.into_inner().flush().context("writing output")?;
    eprintln!(
        "annalist: {} documents coded ({} sentences), {} events, {}",
        c.documents,
        c.sentences,
        c.events,
        problems_summary(problems)
    );
    Ok(exit_status(problems))
}

/// `annalist code` on a terminal (or with `--table`): the records as a table, rows
/// printed as their documents are coded, then a summary and the next commands.
fn code_table(engine: &Engine, reading: &Reading, a: &CodeArgs, style: Style) -> Result<i32> {
    let table = terminal::CodeTable::new(std::io::stdout().lock(), style);
    let mut stream = engine.stream(table);
    let problems = code_inputs(&mut stream, reading, &mut |e| eprintln!("annalist: {e}"));
    let (table, counts) = stream.finish().context("writing output")?;
    let mut next: Vec<String> = Vec::new();
    if a.sample {
        next.push("--sample".into());
    }
    next.extend(a.files.iter().cloned());
    table
        .finish(&counts, problems, &next.join(" "))
        .and_then(|mut out| out.flush())
        .context("writing output")?;
    Ok(exit_status(problems))
}

/// `N rejected`, and `, M skipped` when web-archive records were passed over.
fn problems_summary(p: InputProblems) -> String {
    match p.skipped {
        0 => format!("{} rejected", p.rejected),
        n => format!("{} rejected, {n} skipped (no page to code)", p.rejected),
    }
}

/// 1 if a record or file was rejected; skipped records do not fail a run.
fn exit_status(p: InputProblems) -> i32 {
    i32::from(p.rejected > 0)
}

/// `annalist explain`: every stage on one text, or its records as JSON.
fn explain(dicts: Option<&Path>, text: &str, date: &Option<String>, json: bool) -> Result<i32> {
    let coder = Resources::load(dicts)?.coder(CoderOptions::default());
    let ex = coder.explain(text, parse_date(date)?);
    if json {
        for r in &ex.records {
            println!("{}", serde_json::to_string(r)?);
        }
    } else {
        print!("{ex}");
    }
    Ok(0)
}

/// `annalist eval`: codes the gold-standard records and prints the scores; status 1 if
/// a line could not be read.
fn eval(dicts: Option<&Path>, gold: &Path, errors: usize) -> Result<i32> {
    let coder = Resources::load(dicts)?.coder(CoderOptions::default());
    let text =
        std::fs::read_to_string(gold).with_context(|| format!("cannot read {}", gold.display()))?;
    let mut records = Vec::new();
    let mut bad = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match annalist_eval::parse_gold(line) {
            Ok(r) => records.push(r),
            Err(e) => {
                bad += 1;
                eprintln!("annalist: {}:{}: {e}", gold.display(), i + 1);
            }
        }
    }
    let preds = records
        .iter()
        .map(|r| {
            let coded = coder.code(&r.document());
            (
                r.id.clone(),
                coded.iter().map(annalist_eval::Predicted::from).collect(),
            )
        })
        .collect();
    print!("{}", annalist_eval::score(&records, &preds).render(errors));
    Ok(if bad > 0 { 1 } else { 0 })
}

/// `annalist dictionaries`: validates them and prints their sizes.
fn dictionaries(dir: &Option<PathBuf>) -> Result<i32> {
    // Coding trusts the built-in entries (the tests validated them); this command checks.
    let d = annalist_engine::setup::validated(load_dictionaries(dir)?)?;
    println!(
        "countries {} · regions {} · organisations {} · groups {} · people {} · agents {} · lexicon words {} · CAMEO codes {} · noun classes {} · verb patterns {} · combinations {}",
        d.countries.len(), d.regions.len(), d.organisations.len(), d.groups.len(), d.people.len(), d.agents.len(),
        d.lexicon.len(), d.cameo.len(), d.nouns.len(), d.verbs.len(), d.combinations.len()
    );
    println!("all entries valid");
    Ok(0)
}

/// `annalist dictionaries import`: PETRARCH/TABARI actors and agents files converted.
fn dictionaries_import(
    dicts: &Option<PathBuf>,
    format: &str,
    file: &Path,
    out: Option<PathBuf>,
) -> Result<i32> {
    let reference = load_dictionaries(dicts)?;
    let import = annalist_dict::import::import_path(format, file, &reference)?;
    import
        .messages()
        .iter()
        .for_each(|m| eprintln!("annalist: {m}"));
    match out {
        None => import
            .rendered()
            .iter()
            .for_each(|(p, t)| print!("# ==> {p}\n{t}")),
        Some(dir) => {
            import.write(&dir)?;
            load_dictionaries(&Some(dir))?; // the result must load and validate
        }
    }
    eprint!("{}", import.summary());
    Ok(if import.reported() == 0 { 0 } else { 1 })
}

/// `annalist geo`: candidates of each name, the one `resolve` picks marked; status 1 if
/// a name is unknown.
fn geo(names: &[String], countries: &[String], json: bool, dir: Option<&Path>) -> Result<i32> {
    let g = annalist_engine::setup::load_gazetteer(dir)?;
    let countries: Vec<String> = countries.iter().map(|c| c.to_ascii_uppercase()).collect();
    for c in &countries {
        if g.country(c).is_none() {
            bail!("--country {c}: not an ISO 3166 alpha-3 code of the gazetteer");
        }
    }
    let codes: Vec<&str> = countries.iter().map(String::as_str).collect();
    let ctx = annalist_geo::Context {
        countries: &codes,
        ..Default::default()
    };
    let mut status = 0;
    let mut out = std::io::stdout().lock();
    for name in names {
        let chosen = g.resolve_id(name, &ctx);
        let candidates = g.lookup(name);
        if candidates.is_empty() {
            eprintln!("annalist: {name:?}: no such place in the gazetteer");
            status = 1;
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"query": name, "candidates": []})
                )?;
            }
            continue;
        }
        if json {
            let list: Vec<serde_json::Value> = candidates
                .iter()
                .map(|&id| {
                    let p = g.place(id);
                    serde_json::json!({
                        "name": p.name, "kind": p.kind.as_str(), "admin1": p.admin1,
                        "country": p.country, "lat": p.lat, "lon": p.lon,
                        "population": p.population,
                        "geonameid": if p.id == 0 { None } else { Some(p.id) },
                        "chosen": Some(id) == chosen,
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::json!({"query": name, "candidates": list})
            )?;
        } else {
            writeln!(out, "{name}: {} candidate(s)", candidates.len())?;
            for &id in candidates {
                let p = g.place(id);
                writeln!(
                    out,
                    "{} {:<24} {:<7} {:<24} {}  {:>9.5} {:>10.5}  pop {}",
                    if Some(id) == chosen { '*' } else { ' ' },
                    p.name,
                    p.kind.as_str(),
                    p.admin1.as_deref().unwrap_or("-"),
                    p.country,
                    p.lat,
                    p.lon,
                    p.population
                )?;
            }
        }
    }
    Ok(status)
}

fn open_for_query(db: &std::path::Path) -> Result<annalist_store::Store> {
    Ok(annalist_store::Store::open(
        db,
        &annalist_store::OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )?)
}

/// `annalist timeline`: a table on a terminal (or with `--table`), else the text list
/// or, with `--json`, JSON Lines.
fn timeline(
    db: &Path,
    filter: &FilterArgs,
    json: bool,
    table: bool,
    color: ColorChoice,
) -> Result<i32> {
    let store = open_for_query(db)?;
    let events = store.timeline(&filter.filter()?, true)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for e in &events {
            serde_json::to_writer(&mut out, e)?;
            out.write_all(b"\n")?;
        }
    } else if table || std::io::stdout().is_terminal() {
        let style = Style::for_stdout(color);
        let db = db.display().to_string();
        out.write_all(terminal::timeline(&events, &db, &style).as_bytes())?;
    } else {
        out.write_all(annalist_store::query::render_timeline(&events).as_bytes())?;
    }
    out.flush()?;
    Ok(0)
}

/// `annalist dyads`: a table (coloured on a terminal), or JSON Lines.
fn dyads(
    db: &Path,
    filter: &FilterArgs,
    by: PeriodArg,
    json: bool,
    color: ColorChoice,
) -> Result<i32> {
    let store = open_for_query(db)?;
    let by = match by {
        PeriodArg::Day => annalist_store::DyadPeriod::Day,
        PeriodArg::Week => annalist_store::DyadPeriod::Week,
        PeriodArg::Month => annalist_store::DyadPeriod::Month,
    };
    let rows = store.dyads(&filter.filter()?, by)?;
    if json {
        for r in &rows {
            println!("{}", serde_json::to_string(r)?);
        }
    } else {
        print!("{}", terminal::dyads(&rows, &Style::for_stdout(color)));
    }
    Ok(0)
}

/// `annalist stats`: the counts, with the next commands on a terminal.
fn stats(db: &Path, json: bool, color: ColorChoice) -> Result<i32> {
    let s = open_for_query(db)?.stats()?;
    if json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        print!("{}", annalist_store::query::render_stats(&s));
        if std::io::stdout().is_terminal() {
            print!("{}", terminal::stats_hints(db, &Style::for_stdout(color)));
        }
    }
    Ok(0)
}

/// `annalist export`.
fn export(db: &Path, format: ExportFormat, out: Option<&Path>, filter: &FilterArgs) -> Result<i32> {
    use annalist_store::export::Format as F;
    let store = open_for_query(db)?;
    let format = match format {
        ExportFormat::Csv => F::Csv,
        ExportFormat::Jsonl => F::Jsonl,
        ExportFormat::Plover => F::Plover,
        ExportFormat::Gdelt => F::Gdelt,
        ExportFormat::Geojson => F::GeoJson,
        ExportFormat::Parquet => F::Parquet,
    };
    let filter = filter.filter()?;
    let n = match out {
        Some(p) => annalist_store::export::export(&store, &filter, format, p)?,
        None if format == F::Parquet => {
            bail!("--format parquet writes a directory: give --out DIR")
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let n = annalist_store::export::export_to(&store, &filter, format, &mut w)?;
            w.flush()?;
            n
        }
    };
    eprintln!("annalist: {n} events exported");
    Ok(0)
}

/// `annalist serve`: the web API and page (crate annalist-web) over `db`, coding live
/// with the dictionaries of `--dictionaries DIR`.
fn serve(
    dicts: Option<&Path>,
    db: PathBuf,
    addr: std::net::SocketAddr,
    write_token_env: Option<String>,
    config: annalist_web::Config,
) -> Result<i32> {
    let token = match &write_token_env {
        None => None,
        Some(var) => match std::env::var(var) {
            Ok(t) if !t.is_empty() => Some(t),
            _ => bail!("--write-token-env {var}: the environment variable is unset or empty"),
        },
    };
    let coder = Arc::new(Resources::load(dicts)?.coder(CoderOptions::default()));
    let state = annalist_web::AppState::new(db, coder, token, config)?;
    if !addr.ip().is_loopback() {
        eprintln!("annalist: warning: listening on {addr}, reachable from other machines");
    }
    annalist_web::serve_blocking(state, addr)?;
    Ok(0)
}

/// `annalist ingest`: files or feeds into the store.
fn ingest(dicts: Option<&Path>, a: IngestArgs) -> Result<i32> {
    if !a.fetch.feeds.is_empty() && (a.sample || !a.files.is_empty()) {
        bail!("give either FILES/--sample or --feed URL…, not both");
    }
    if a.fetch.watch && a.fetch.feeds.is_empty() {
        bail!("--watch polls feeds: give --feed URL…");
    }
    if a.files.is_empty() && !a.sample && a.fetch.feeds.is_empty() {
        bail!("no input: give FILES, `-` for standard input, --sample or --feed URL…");
    }
    let mut store = annalist_store::Store::open(
        &a.db,
        &annalist_store::OpenOptions {
            read_only: false,
            busy_timeout: std::time::Duration::from_millis(a.busy_timeout_ms),
        },
    )?;
    if let Some(p) = a.max_pages {
        store.set_max_page_count(p)?;
    }
    let coder = Arc::new(Resources::load(dicts)?.coder(CoderOptions::default()));
    let read_options = ReadOptions {
        max_record_bytes: a.max_record_bytes,
        default_date: parse_date(&a.date)?,
    };
    // (Never dropped, as in `code`; the store is, which checkpoints its log.)
    let engine = std::mem::ManuallyDrop::new(
        Engine::new(coder, a.threads)?.with_min_confidence(a.min_confidence),
    );
    if !a.fetch.feeds.is_empty() {
        return ingest_feeds(&mut store, &engine, &a.fetch);
    }
    let reading = reading(&a.files, a.sample, a.format, read_options, None);
    let progress = spinner("{spinner} {pos} documents stored · {msg}");
    let mut stream = engine.stream(StoreSink::new(&mut store)).on_progress(|c| {
        if let Some(pb) = &progress {
            pb.set_position(c.documents as u64);
            let secs = pb.elapsed().as_secs_f64().max(1e-3);
            pb.set_message(format!(
                "{:.0} documents/s · {} events found",
                c.documents as f64 / secs,
                c.events
            ));
        }
    });
    let problems = code_inputs(&mut stream, &reading, &mut |e| say(&progress, e));
    let finished = stream.finish();
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    let c = finished?.0.counts;
    eprintln!(
        "annalist: {} documents added, {} replaced, {} unchanged, {} events found, {}; database {}",
        c.added,
        c.replaced,
        c.unchanged,
        c.events,
        problems_summary(problems),
        store.path().display()
    );
    Ok(exit_status(problems))
}

/// `annalist ingest --feed URL… [--watch]`: polls each feed (annalist-feeds) into the
/// store, each new item coded and stored in its own transaction; Ctrl-C lets the
/// document in hand finish, then exits with status 0. Without `--watch`, the status is
/// 1 if a feed or an item failed.
fn ingest_feeds(
    store: &mut annalist_store::Store,
    engine: &Engine,
    args: &FeedArgs,
) -> Result<i32> {
    use annalist_feeds::{fetch, poll};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130); // a second Ctrl-C does not wait
        }
    })
    .context("installing the Ctrl-C handler")?;
    let mut fetcher = fetch::Fetcher::new(fetch::FetchOptions {
        timeout: Duration::from_millis(args.timeout_ms),
        retries: args.retries,
        backoff: Duration::from_millis(args.backoff_ms),
        max_bytes: args.max_bytes,
        per_host_interval: Duration::from_millis(args.per_host_ms),
        allow_private_addresses: args.allow_private_addresses,
        ..Default::default()
    });
    let opts = poll::PollOptions {
        article_min_chars: args.article_min_chars,
        undated: if args.undated_fetch_date {
            poll::Undated::FetchDate
        } else {
            poll::Undated::Keep
        },
    };
    let mut sink = annalist_engine::StoreFeedSink::new(store, engine, |doc, outcome, events| {
        eprintln!("annalist: stored {} ({outcome:?}, {events} events)", doc.id)
    });
    let watch = args
        .watch
        .then(|| Duration::from_secs_f64(args.interval.max(0.0)));
    let report = poll::poll_feeds(
        &mut fetcher,
        &args.feeds,
        &mut sink,
        &opts,
        watch,
        &stop,
        &mut |m| eprintln!("annalist: {m}"),
    )?;
    drop(sink);
    eprintln!(
        "annalist: {} new documents stored, {} failures; database {}",
        report.stored,
        report.failures,
        store.path().display()
    );
    if report.interrupted {
        eprintln!("annalist: interrupted; everything stored is complete");
        return Ok(0);
    }
    Ok(if report.failures > 0 && !args.watch {
        1
    } else {
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// The words of a shell command (quotes kept together, `> file` dropped).
    fn words(command: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut quote = None;
        for c in command.chars() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, ' ') => {
                    if !word.is_empty() {
                        out.push(std::mem::take(&mut word));
                    }
                }
                _ => word.push(c),
            }
        }
        out.push(word);
        if let Some(i) = out.iter().position(|w| w == ">") {
            out.truncate(i);
        }
        out
    }

    /// Every `annalist …` command in the examples of every help text parses.
    #[test]
    fn every_help_example_parses() {
        let mut helps = vec![Cli::command().render_long_help().to_string()];
        let mut stack = vec![Cli::command()];
        while let Some(mut c) = stack.pop() {
            for sub in c.get_subcommands_mut().filter(|s| s.get_name() != "help") {
                helps.push(sub.render_long_help().to_string());
                stack.push(sub.clone());
            }
        }
        let mut checked = 0;
        for help in &helps {
            let examples = help
                .split("Examples:\n")
                .nth(1)
                .unwrap_or_else(|| panic!("no examples in:\n{help}"));
            for line in examples.lines().filter(|l| l.contains("annalist ")) {
                // the command ends where its comment begins (two spaces or more)
                let command = line.trim().split("  ").next().unwrap();
                for part in command.split(" && ").flat_map(|p| p.split(" | ")) {
                    let mut w = words(part);
                    w.retain(|x| !x.contains('=') || x.starts_with('-'));
                    if w.first().map(String::as_str) != Some("annalist") {
                        continue;
                    }
                    if let Err(e) = Cli::try_parse_from(&w) {
                        panic!("{part}: {e}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 30, "{checked} example commands");
    }
}
