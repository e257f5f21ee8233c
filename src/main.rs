//! The `annalist` command line: a thin layer over the library crates (see
//! ARCHITECTURE.md). `code` turns documents into event records, `explain` shows every
//! stage on one sentence, `eval` scores the coder on gold-standard records, and
//! `dictionaries` checks the dictionaries.
use annalist_coder::order::{resolve_feed_dates, FeedOrder};
use annalist_coder::{Coder, CoderOptions, Document};
use annalist_dict::{DictSource, Dictionaries};
use annalist_io::{read_path, Format, ReadOptions};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

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
}

#[derive(Clone, Copy, ValueEnum)]
enum OrderArg {
    NewestFirst,
    OldestFirst,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into event records (JSON Lines on stdout or --out).
    Code {
        /// JSON Lines (.jsonl/.json/.ndjson) or plain-text files; `-` reads JSON Lines
        /// from standard input.
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
    /// Check the dictionaries and print their sizes.
    Dictionaries,
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
        } => {
            let dicts = load_dictionaries(&cli.dictionaries)?;
            let coder = Coder::new(
                &dicts,
                CoderOptions {
                    keep_negated,
                    keep_hypothetical,
                },
            );
            let opts = ReadOptions {
                max_record_bytes,
                default_date: parse_date(&date)?,
            };
            if files.is_empty() && !sample {
                bail!("no input: give FILES, `-` for standard input, or --sample");
            }
            let mut writer: Box<dyn Write> = match &out {
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
            let (mut docs, mut events, mut rejected) = (0usize, 0usize, 0usize);
            let mut write_err: Option<std::io::Error> = None;
            // With --order, documents are held until the feed is read.
            let mut held: Vec<Document> = Vec::new();
            let code_doc = |doc: &Document,
                            docdate: Option<&annalist_coder::order::DocumentDate>,
                            writer: &mut Box<dyn Write>,
                            write_err: &mut Option<std::io::Error>|
             -> usize {
                let mut n = 0;
                for mut e in coder.code(doc) {
                    n += 1;
                    e.document_date = docdate.cloned();
                    if write_err.is_none() {
                        if let Err(err) = serde_json::to_writer(&mut *writer, &e)
                            .map_err(std::io::Error::other)
                            .and_then(|_| writer.write_all(b"\n"))
                        {
                            *write_err = Some(err);
                        }
                    }
                }
                n
            };
            {
                let mut handle = |r: Result<Document, annalist_io::ReadError>| match r {
                    Ok(doc) if order.is_some() => held.push(doc),
                    Ok(doc) => {
                        docs += 1;
                        events += code_doc(&doc, None, &mut writer, &mut write_err);
                        if let Some(pb) = &progress {
                            pb.inc(1);
                            pb.set_message(format!("{events} events"));
                        }
                    }
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
                let fmt = format.map(|f| match f {
                    InputFormat::Jsonl => Format::JsonLines,
                    InputFormat::Text => Format::PlainText,
                });
                for f in &files {
                    read_path(f, fmt, &opts, &mut handle);
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
                    docs += 1;
                    let given = doc.date.is_some();
                    if !given {
                        doc.date = dd.date;
                    }
                    let info = (!given).then_some(&dd);
                    events += code_doc(&doc, info, &mut writer, &mut write_err);
                    if let Some(pb) = &progress {
                        pb.inc(1);
                    }
                }
            }
            if let Some(pb) = progress {
                pb.finish_and_clear();
            }
            if let Some(e) = write_err {
                bail!("writing output: {e}");
            }
            writer.flush().context("writing output")?;
            eprintln!("annalist: {docs} documents coded, {events} events, {rejected} rejected");
            Ok(if rejected > 0 { 1 } else { 0 })
        }
        Command::Explain { text, date, json } => {
            let dicts = load_dictionaries(&cli.dictionaries)?;
            let coder = Coder::new(&dicts, CoderOptions::default());
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
            let coder = Coder::new(&dicts, CoderOptions::default());
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
        Command::Dictionaries => {
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
