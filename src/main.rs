//! The `annalist` command line: a thin layer over the library crates (see
//! ARCHITECTURE.md). `code` turns documents into event records, `explain` shows every
//! stage on one sentence, `eval` scores the coder on gold-standard records,
//! `dictionaries` checks the dictionaries, and `geo` looks place names up in the
//! gazetteer. `ingest` codes documents into the event store (annalist-store), from
//! files and folders or, with `--feed`, from feeds fetched over HTTP(S)
//! (annalist-feeds); `timeline`, `dyads`, `stats` and `export` read it; `serve`
//! serves it over HTTP (annalist-web).
use annalist_coder::order::{resolve_feed_dates, FeedOrder};
use annalist_coder::{Coder, CoderOptions, Document};
use annalist_dict::{DictSource, Dictionaries};
use annalist_feeds::{read_input, InputKind};
use annalist_geo::Gazetteer;
use annalist_io::ReadOptions;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// The built-in sample corpus (written by the team; see samples/README.md).
const SAMPLE: &str = include_str!("../samples/sample.jsonl");

#[derive(Parser)]
#[command(
    name = "annalist",
    version,
    about = "News text to political event data: who did what to whom, when (PLOVER/CAMEO)"
)]
struct Cli {
    /// Read dictionaries from DIR (same layout as dictionaries/); files it lacks fall
    /// back to the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
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
}

impl InputFormat {
    fn kind(self) -> InputKind {
        match self {
            InputFormat::Jsonl => InputKind::JsonLines,
            InputFormat::Text => InputKind::PlainText,
            InputFormat::Feed => InputKind::Feed,
            InputFormat::Html => InputKind::Html,
            InputFormat::Markdown => InputKind::Markdown,
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
        Ok(annalist_store::Filter {
            actor: self.actor.clone(),
            pair,
            event_type: self.event_type.clone(),
            quad_class: self.quad,
            from: parse_date(&self.from).context("--from")?,
            to: parse_date(&self.to).context("--to")?,
            location: self.location.clone(),
        })
    }
}

#[derive(Subcommand)]
enum DictAction {
    /// Convert PETRARCH/TABARI dictionaries (actors, agents, the verb dictionary, or a
    /// folder of them) into annalist's formats; every line not converted is reported.
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

#[derive(Subcommand)]
enum Command {
    /// Code documents into event records (JSON Lines on stdout or --out).
    Code {
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
    },
    /// Show every stage on one text: tokens, tags, chunks, actors, patterns, events.
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
    Eval {
        gold: PathBuf,
        /// How many misses to list.
        #[arg(long, default_value_t = 20)]
        errors: usize,
    },
    /// Code documents and store them, their mentions and the deduplicated events in an
    /// SQLite database (created if needed). Re-ingesting an unchanged document changes
    /// nothing; a changed one replaces its mentions.
    Ingest {
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
        /// How long to wait for another writer before giving up, in milliseconds.
        #[arg(long, default_value_t = 5000)]
        busy_timeout_ms: u64,
        /// Cap the database at N pages (PRAGMA max_page_count; simulates a full disk).
        #[arg(long, hide = true)]
        max_pages: Option<u64>,
        #[command(flatten)]
        fetch: FeedArgs,
    },
    /// Stored events in date order, grouped by day.
    Timeline {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// One JSON object per event (with its mentions) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Event counts per quad class and summed Goldstein per directed dyad and period.
    Dyads {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// Aggregation period.
        #[arg(long, value_enum, default_value = "month")]
        by: PeriodArg,
        #[arg(long)]
        json: bool,
    },
    /// Counts of documents, mentions and events in a database.
    Stats {
        #[arg(long, default_value = "annalist.db")]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write the stored events as CSV, JSON Lines, PLOVER JSON, GDELT 2.0 TSV or Parquet
    /// (a directory partitioned by month).
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
        /// Largest request body, in bytes.
        #[arg(long, default_value_t = 2 << 20)]
        max_body_bytes: usize,
    },
    /// Check the dictionaries and print their sizes; `import` converts dictionaries of
    /// other coders.
    Dictionaries {
        #[command(subcommand)]
        action: Option<DictAction>,
    },
    /// Look place names up in the gazetteer: every candidate, the chosen one marked `*`.
    /// Quote a name of several words; "Paris, Texas" gives a region or country hint.
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

/// The gazetteer: the embedded one, or the one `--dictionaries DIR` makes with its
/// `gazetteer/` files.
fn load_gazetteer(dir: &Option<PathBuf>) -> Result<std::sync::Arc<Gazetteer>> {
    match dir {
        Some(d) if !d.is_dir() => bail!("--dictionaries {}: not a directory", d.display()),
        Some(d) if d.join("gazetteer").is_dir() => {
            let g = Gazetteer::load(d).map_err(|e| anyhow::anyhow!("gazetteer:\n{e}"))?;
            Ok(std::sync::Arc::new(g))
        }
        _ => Ok(Gazetteer::shared()),
    }
}

/// A coder with the dictionaries and the gazetteer of `--dictionaries DIR`.
fn make_coder(dicts: &Dictionaries, options: CoderOptions, dir: &Option<PathBuf>) -> Result<Coder> {
    Ok(Coder::with_gazetteer(
        dicts,
        options,
        Some(load_gazetteer(dir)?),
    ))
}

fn load_dictionaries(dir: &Option<PathBuf>) -> Result<Dictionaries> {
    let source = match dir {
        Some(d) => {
            if !d.is_dir() {
                bail!("--dictionaries {}: not a directory", d.display());
            }
            DictSource::Directory(d.clone())
        }
        None => DictSource::Embedded,
    };
    let d = Dictionaries::load(&source).map_err(|errs| {
        anyhow::anyhow!(
            "{} error(s) in the dictionaries:\n{}",
            errs.len(),
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let problems = d.validate();
    if !problems.is_empty() {
        bail!(
            "{} problem(s) in the dictionaries:\n{}",
            problems.len(),
            problems
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    Ok(d)
}

fn parse_date(s: &Option<String>) -> Result<Option<chrono::NaiveDate>> {
    s.as_deref()
        .map(|d| {
            annalist_io::parse_date(d).with_context(|| format!("--date {d:?}: expected YYYY-MM-DD"))
        })
        .transpose()
}

fn main() {
    // The embedded gazetteer is parsed while the dictionaries load (it is parsed once;
    // whoever needs it first waits for this thread).
    std::thread::spawn(|| {
        annalist_geo::Gazetteer::embedded();
    });
    match run() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("annalist: {e:#}");
            std::process::exit(2);
        }
    }
}

fn run() -> Result<i32> {
    let cli = Cli::parse();
    match cli.command {
        Command::Code {
            files,
            sample,
            out,
            date,
            format,
            keep_negated,
            keep_hypothetical,
            max_record_bytes,
            order,
            threads,
        } => {
            let dicts = load_dictionaries(&cli.dictionaries)?;
            let coder = make_coder(
                &dicts,
                CoderOptions {
                    keep_negated,
                    keep_hypothetical,
                },
                &cli.dictionaries,
            )?;
            let opts = ReadOptions {
                max_record_bytes,
                default_date: parse_date(&date)?,
            };
            if files.is_empty() && !sample {
                bail!("no input: give FILES, `-` for standard input, or --sample");
            }
            let writer: Box<dyn Write> = match &out {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot create {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let progress = std::io::stderr().is_terminal().then(|| {
                let pb = indicatif::ProgressBar::new_spinner();
                pb.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {pos} documents ({per_sec}) {msg}",
                    )
                    .unwrap(),
                );
                pb
            });
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.unwrap_or(0))
                .build()
                .context("starting the worker threads")?;
            let mut sink = Sink {
                coder: Arc::new(coder),
                pool,
                pending: None,
                sequential: threads == Some(1),
                writer,
                batch: Vec::new(),
                batch_bytes: 0,
                docs: 0,
                sentences: 0,
                events: 0,
                write_err: None,
                progress: progress.as_ref(),
            };
            let mut rejected = 0usize;
            // With --order, documents are held until the feed is read.
            let mut held: Vec<Document> = Vec::new();
            {
                let mut handle = |r: Result<Document, annalist_io::ReadError>| match r {
                    Ok(doc) if order.is_some() => held.push(doc),
                    Ok(doc) => sink.push(doc, None),
                    Err(e) => {
                        rejected += 1;
                        if let Some(pb) = &progress {
                            pb.suspend(|| eprintln!("annalist: {e}"));
                        } else {
                            eprintln!("annalist: {e}");
                        }
                    }
                };
                if sample {
                    annalist_io::read_json_lines("<sample>", SAMPLE.as_bytes(), &opts, &mut handle);
                }
                let kind = format.map(InputFormat::kind);
                for f in &files {
                    read_input(f, kind, &opts, &mut handle);
                }
            }
            if let Some(order) = order {
                let order = match order {
                    OrderArg::NewestFirst => FeedOrder::NewestFirst,
                    OrderArg::OldestFirst => FeedOrder::OldestFirst,
                };
                let keys: Vec<_> = held
                    .iter()
                    .map(|d| (d.date, annalist_coder::order::first_weekday(&d.text)))
                    .collect();
                let resolved = resolve_feed_dates(&keys, order);
                for (mut doc, dd) in held.into_iter().zip(resolved) {
                    if doc.date.is_some() {
                        sink.push(doc, None);
                    } else {
                        doc.date = dd.date;
                        sink.push(doc, Some(dd));
                    }
                }
            }
            sink.flush();
            let Sink {
                mut writer,
                docs,
                sentences,
                events,
                write_err,
                ..
            } = sink;
            if let Some(pb) = &progress {
                pb.finish_and_clear();
            }
            if let Some(e) = write_err {
                bail!("writing output: {e}");
            }
            writer.flush().context("writing output")?;
            eprintln!(
                "annalist: {docs} documents coded ({sentences} sentences), {events} events, {rejected} rejected"
            );
            Ok(if rejected > 0 { 1 } else { 0 })
        }
        Command::Explain { text, date, json } => {
            let dicts = load_dictionaries(&cli.dictionaries)?;
            let coder = make_coder(&dicts, CoderOptions::default(), &cli.dictionaries)?;
            let ex = coder.explain(&text, parse_date(&date)?);
            if json {
                for r in &ex.records {
                    println!("{}", serde_json::to_string(r)?);
                }
            } else {
                print!("{ex}");
            }
            Ok(0)
        }
        Command::Eval { gold, errors } => {
            let dicts = load_dictionaries(&cli.dictionaries)?;
            let coder = make_coder(&dicts, CoderOptions::default(), &cli.dictionaries)?;
            let text = std::fs::read_to_string(&gold)
                .with_context(|| format!("cannot read {}", gold.display()))?;
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
                    (
                        r.id.clone(),
                        coder
                            .code(&r.document())
                            .iter()
                            .map(annalist_eval::Predicted::from)
                            .collect(),
                    )
                })
                .collect();
            print!("{}", annalist_eval::score(&records, &preds).render(errors));
            Ok(if bad > 0 { 1 } else { 0 })
        }
        Command::Dictionaries {
            action: Some(DictAction::Import { format, file, out }),
        } => {
            let reference = load_dictionaries(&cli.dictionaries)?;
            let import = annalist_dict::import::import_path(&format, &file, &reference)?;
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
        Command::Geo {
            names,
            country,
            json,
        } => geo(&names, &country, json, &cli.dictionaries),
        Command::Ingest {
            files,
            sample,
            db,
            date,
            format,
            max_record_bytes,
            threads,
            busy_timeout_ms,
            max_pages,
            fetch,
        } => {
            if !fetch.feeds.is_empty() && (sample || !files.is_empty()) {
                bail!("give either FILES/--sample or --feed URL…, not both");
            }
            if fetch.watch && fetch.feeds.is_empty() {
                bail!("--watch polls feeds: give --feed URL…");
            }
            if files.is_empty() && !sample && fetch.feeds.is_empty() {
                bail!("no input: give FILES, `-` for standard input, --sample or --feed URL…");
            }
            let store = annalist_store::Store::open(
                &db,
                &annalist_store::OpenOptions {
                    read_only: false,
                    busy_timeout: std::time::Duration::from_millis(busy_timeout_ms),
                },
            )?;
            if let Some(p) = max_pages {
                store.set_max_page_count(p)?;
            }
            let dicts = load_dictionaries(&cli.dictionaries)?;
            let coder = make_coder(&dicts, CoderOptions::default(), &cli.dictionaries)?;
            let opts = ReadOptions {
                max_record_bytes,
                default_date: parse_date(&date)?,
            };
            if !fetch.feeds.is_empty() {
                return ingest_feeds(store, coder, &fetch);
            }
            let kind = format.map(InputFormat::kind);
            ingest(store, coder, &files, sample, kind, &opts, threads)
        }
        Command::Timeline { db, filter, json } => {
            let store = open_for_query(&db)?;
            let events = store.timeline(&filter.filter()?, true)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if json {
                for e in &events {
                    serde_json::to_writer(&mut out, e)?;
                    out.write_all(b"\n")?;
                }
            } else {
                out.write_all(annalist_store::query::render_timeline(&events).as_bytes())?;
            }
            out.flush()?;
            Ok(0)
        }
        Command::Dyads {
            db,
            filter,
            by,
            json,
        } => {
            let store = open_for_query(&db)?;
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
                print!("{}", annalist_store::query::render_dyads(&rows));
            }
            Ok(0)
        }
        Command::Stats { db, json } => {
            let store = open_for_query(&db)?;
            let s = store.stats()?;
            if json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                print!("{}", annalist_store::query::render_stats(&s));
            }
            Ok(0)
        }
        Command::Serve {
            db,
            addr,
            write_token_env,
            max_body_bytes,
        } => serve(&cli.dictionaries, db, addr, write_token_env, max_body_bytes),
        Command::Export {
            db,
            format,
            out,
            filter,
        } => {
            use annalist_store::export::Format as F;
            let store = open_for_query(&db)?;
            let format = match format {
                ExportFormat::Csv => F::Csv,
                ExportFormat::Jsonl => F::Jsonl,
                ExportFormat::Plover => F::Plover,
                ExportFormat::Gdelt => F::Gdelt,
                ExportFormat::Parquet => F::Parquet,
            };
            let filter = filter.filter()?;
            let n = match &out {
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
        Command::Dictionaries { action: None } => {
            let d = load_dictionaries(&cli.dictionaries)?;
            println!(
                "countries {} · regions {} · organisations {} · groups {} · people {} · agents {} · lexicon words {} · CAMEO codes {} · noun classes {} · verb patterns {} · combinations {}",
                d.countries.len(), d.regions.len(), d.organisations.len(), d.groups.len(), d.people.len(), d.agents.len(),
                d.lexicon.len(), d.cameo.len(), d.nouns.len(), d.verbs.len(), d.combinations.len()
            );
            println!("all entries valid");
            Ok(0)
        }
    }
}

/// `annalist geo`: candidates of each name, the one `resolve` picks marked; status 1 if
/// a name is unknown.
fn geo(names: &[String], countries: &[String], json: bool, dir: &Option<PathBuf>) -> Result<i32> {
    let g = load_gazetteer(dir)?;
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

/// `annalist serve`: the web API and page (crate annalist-web) over `db`.
fn serve(
    dictionaries: &Option<PathBuf>,
    db: PathBuf,
    addr: std::net::SocketAddr,
    write_token_env: Option<String>,
    max_body_bytes: usize,
) -> Result<i32> {
    let token = match &write_token_env {
        None => None,
        Some(var) => match std::env::var(var) {
            Ok(t) if !t.is_empty() => Some(t),
            _ => bail!("--write-token-env {var}: the environment variable is unset or empty"),
        },
    };
    let dicts = load_dictionaries(dictionaries)?;
    let coder = Arc::new(Coder::new(&dicts, CoderOptions::default()));
    let config = annalist_web::Config {
        max_body_bytes,
        ..Default::default()
    };
    let state = annalist_web::AppState::new(db, coder, token, config)?;
    if !addr.ip().is_loopback() {
        eprintln!("annalist: warning: listening on {addr}, reachable from other machines");
    }
    annalist_web::serve_blocking(state, addr)?;
    Ok(0)
}

/// A coded document on its way to the store.
type CodedDoc = (Document, Vec<annalist_coder::EventRecord>);

/// `annalist ingest`: documents are read and coded in batches on a thread pool while a
/// writer thread stores the previous batch, one transaction per document.
fn ingest(
    mut store: annalist_store::Store,
    coder: Coder,
    files: &[String],
    sample: bool,
    kind: Option<InputKind>,
    opts: &ReadOptions,
    threads: Option<usize>,
) -> Result<i32> {
    use annalist_store::Outcome;
    use rayon::prelude::*;
    const BATCH: usize = 256;
    let progress = if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} documents stored · {msg}")
                .unwrap(),
        );
        pb
    } else {
        indicatif::ProgressBar::hidden()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("starting the worker threads")?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<CodedDoc>>(2);
    let pb = progress.clone();
    let writer = std::thread::spawn(move || {
        let (mut added, mut unchanged, mut replaced, mut events) = (0u64, 0u64, 0u64, 0u64);
        for batch in rx {
            for (doc, records) in batch {
                match store.ingest(&doc, &records)? {
                    Outcome::Added => added += 1,
                    Outcome::Unchanged => unchanged += 1,
                    Outcome::Replaced => replaced += 1,
                }
                events += records.len() as u64;
                pb.inc(1);
            }
            let secs = pb.elapsed().as_secs_f64().max(1e-3);
            pb.set_message(format!(
                "{:.0} documents/s · {events} events found",
                pb.position() as f64 / secs
            ));
        }
        Ok::<_, annalist_store::StoreError>((store, added, unchanged, replaced, events))
    });
    let mut rejected = 0usize;
    let mut batch: Vec<Document> = Vec::new();
    let mut writer_gone = false;
    let send = |batch: Vec<Document>, writer_gone: &mut bool| {
        if *writer_gone || batch.is_empty() {
            return;
        }
        let coded: Vec<CodedDoc> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|d| {
                    let r = coder.code(&d);
                    (d, r)
                })
                .collect()
        });
        if tx.send(coded).is_err() {
            *writer_gone = true;
        }
    };
    {
        let mut handle = |r: Result<Document, annalist_io::ReadError>| match r {
            Ok(doc) => {
                batch.push(doc);
                if batch.len() >= BATCH {
                    send(std::mem::take(&mut batch), &mut writer_gone);
                }
            }
            Err(e) => {
                rejected += 1;
                progress.suspend(|| eprintln!("annalist: {e}"));
            }
        };
        if sample {
            annalist_io::read_json_lines("<sample>", SAMPLE.as_bytes(), opts, &mut handle);
        }
        for f in files {
            read_input(f, kind, opts, &mut handle);
        }
    }
    send(std::mem::take(&mut batch), &mut writer_gone);
    drop(tx);
    let result = writer.join().expect("the store writer panicked");
    progress.finish_and_clear();
    let (store, added, unchanged, replaced, events) = result?;
    eprintln!(
        "annalist: {added} documents added, {replaced} replaced, {unchanged} unchanged, {events} events found, {rejected} rejected; database {}",
        store.path().display()
    );
    Ok(if rejected > 0 { 1 } else { 0 })
}

/// `annalist ingest --feed URL… [--watch]`: polls each feed (annalist-feeds), coding and
/// storing each new item in its own transaction; Ctrl-C lets the document in hand finish,
/// then exits with status 0. Without `--watch`, the status is 1 if a feed or an item
/// failed.
fn ingest_feeds(mut store: annalist_store::Store, coder: Coder, args: &FeedArgs) -> Result<i32> {
    use annalist_feeds::{fetch, poll};
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130); // a second Ctrl-C does not wait
        }
    })
    .context("installing the Ctrl-C handler")?;
    let mut fetcher = fetch::Fetcher::new(fetch::FetchOptions {
        timeout: std::time::Duration::from_millis(args.timeout_ms),
        retries: args.retries,
        backoff: std::time::Duration::from_millis(args.backoff_ms),
        max_bytes: args.max_bytes,
        per_host_interval: std::time::Duration::from_millis(args.per_host_ms),
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
    let (mut failures, mut stored) = (0usize, 0usize);
    let mut store_doc = |store: &mut annalist_store::Store, doc: &Document| {
        let records = coder.code(doc);
        let outcome = store.ingest(doc, &records)?;
        eprintln!(
            "annalist: stored {} ({outcome:?}, {} events)",
            doc.id,
            records.len()
        );
        Ok(())
    };
    'polls: loop {
        for url in &args.feeds {
            if stop.load(Ordering::SeqCst) {
                break 'polls;
            }
            let mut say = |m: String| eprintln!("annalist: {m}");
            match poll::poll_feed(
                &mut fetcher,
                url,
                &mut store,
                &opts,
                &stop,
                &mut store_doc,
                &mut say,
            ) {
                Ok(r) if r.not_modified => eprintln!("annalist: feed {url}: not modified"),
                Ok(r) => {
                    failures += r.failed;
                    stored += r.stored;
                    eprintln!(
                        "annalist: feed {url}: {} items, {} new stored, {} seen before, {} failed",
                        r.items, r.stored, r.seen, r.failed
                    );
                }
                Err(poll::PollError::Feed(m)) => {
                    failures += 1;
                    eprintln!("annalist: {m}");
                }
                Err(poll::PollError::Store(e)) => return Err(e.into()),
            }
        }
        if !args.watch {
            break;
        }
        let until =
            std::time::Instant::now() + std::time::Duration::from_secs_f64(args.interval.max(0.0));
        while std::time::Instant::now() < until {
            if stop.load(Ordering::SeqCst) {
                break 'polls;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    eprintln!(
        "annalist: {stored} new documents stored, {failures} failures; database {}",
        store.path().display()
    );
    if stop.load(Ordering::SeqCst) {
        eprintln!("annalist: interrupted; everything stored is complete");
        return Ok(0);
    }
    Ok(if failures > 0 && !args.watch { 1 } else { 0 })
}

/// Codes documents in batches on a thread pool and writes their records in input
/// order; memory is bounded by two batches (512 documents or 4 MiB of text each): while
/// the workers code one batch, the reading thread fills the next, then writes the
/// finished one.
struct Sink<'a> {
    coder: Arc<Coder>,
    pool: rayon::ThreadPool,
    writer: Box<dyn Write + 'a>,
    batch: Vec<Held>,
    batch_bytes: usize,
    pending: Option<std::sync::mpsc::Receiver<Vec<Coded>>>,
    /// `--threads 1`: code on the reading thread, without the pool.
    sequential: bool,
    sentences: usize,
    docs: usize,
    events: usize,
    write_err: Option<std::io::Error>,
    progress: Option<&'a indicatif::ProgressBar>,
}

type Held = (Document, Option<annalist_coder::order::DocumentDate>);
/// A coded document: events, sentences, its records as JSON Lines.
type Coded = (usize, usize, Vec<u8>);

/// Codes one document and serialises its records (on a worker).
fn code_one(coder: &Coder, h: &Held) -> Coded {
    let mut out = Vec::new();
    let mut n = 0;
    let (records, sentences) = coder.code_counted(&h.0);
    for mut e in records {
        n += 1;
        e.document_date = h.1.clone();
        serde_json::to_writer(&mut out, &e).expect("records serialise");
        out.push(b'\n');
    }
    (n, sentences, out)
}

impl Sink<'_> {
    const BATCH_DOCS: usize = 512;
    const BATCH_BYTES: usize = 4 << 20;

    fn push(&mut self, doc: Document, date: Option<annalist_coder::order::DocumentDate>) {
        self.batch_bytes += doc.text.len();
        self.batch.push((doc, date));
        if self.batch.len() >= Self::BATCH_DOCS || self.batch_bytes >= Self::BATCH_BYTES {
            self.dispatch();
        }
    }

    /// Hands the current batch to the workers after writing the previous one.
    fn dispatch(&mut self) {
        use rayon::prelude::*;
        self.write_pending();
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let coder = Arc::clone(&self.coder);
        let (tx, rx) = std::sync::mpsc::channel();
        if self.sequential {
            // --threads 1: everything on this thread, nothing overlaps.
            let done: Vec<Coded> = batch.iter().map(|h| code_one(&coder, h)).collect();
            let _ = tx.send(done);
        } else {
            self.pool.spawn(move || {
                let done: Vec<Coded> = batch.par_iter().map(|h| code_one(&coder, h)).collect();
                let _ = tx.send(done);
            });
        }
        self.pending = Some(rx);
    }

    fn write_pending(&mut self) {
        let Some(rx) = self.pending.take() else {
            return;
        };
        let done = rx.recv().expect("a worker panicked while coding");
        for (n, sentences, bytes) in done {
            self.docs += 1;
            self.events += n;
            self.sentences += sentences;
            if self.write_err.is_none() {
                if let Err(err) = self.writer.write_all(&bytes) {
                    self.write_err = Some(err);
                }
            }
        }
        if let Some(pb) = self.progress {
            pb.set_position(self.docs as u64);
            pb.set_message(format!("{} events", self.events));
        }
    }

    /// Codes and writes everything still held.
    fn flush(&mut self) {
        self.dispatch();
        self.write_pending();
    }
}
