//! Output for people at a terminal (the convention of ripgrep, fd and bat: human output
//! on a terminal, machine output when piped). `code` prints a compact table of its
//! records (date, source → target, PLOVER type with the CAMEO code, trigger, place),
//! one block per document, then a summary and hints to the next commands;
//! `timeline` and `dyads` print their events and rows as tables; quad classes are
//! coloured as on the web page (green cooperation, orange and red conflict).
//!
//! Input: the records and rows the library crates produce, a [`Style`] (colour or not,
//! from `--color` and `NO_COLOR`) and a width (the terminal's, else none). Output:
//! text. Nothing here decides *what* is coded or stored: the JSON forms stay the
//! machine interface, and every field a table shows comes from one field of them.
use annalist_engine::{Coded, CodedSink, EventRecord};
use annalist_store::{DyadRow, EventRow};
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use unicode_width::UnicodeWidthStr;

/// `--color`: when to colour the terminal output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour, and how wide the terminal is.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    /// Columns of the terminal; `None` when standard output is not one (nothing is
    /// cut then).
    pub width: Option<usize>,
}

impl Style {
    /// The style for standard output under `--color choice`: `NO_COLOR` (set and not
    /// empty, see no-color.org) and `TERM=dumb` turn `auto` off; `always` wins.
    pub fn for_stdout(choice: ColorChoice) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let width = terminal
            .then(|| {
                console::Term::stdout()
                    .size_checked()
                    .map(|(_, w)| w as usize)
            })
            .flatten();
        Style {
            color: use_color(
                choice,
                terminal,
                std::env::var_os("NO_COLOR").as_deref(),
                std::env::var_os("TERM").as_deref(),
            ),
            width,
        }
    }

    fn paint(&self, sgr: &str, text: &str) -> String {
        if self.color && !sgr.is_empty() && !text.is_empty() {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn quad(&self, quad: i64, text: &str) -> String {
        self.paint(quad_sgr(quad), text)
    }
}

/// Whether to colour: `always` and `never` say so; `auto` colours a terminal unless
/// `NO_COLOR` is set to something or `TERM` is `dumb`.
fn use_color(
    choice: ColorChoice,
    terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = no_color.is_some_and(|v| !v.is_empty());
            let dumb = term.is_some_and(|t| t == "dumb");
            terminal && !no_color && !dumb
        }
    }
}

/// The SGR colour of a quad class, as on the web page: 1 verbal cooperation light
/// green, 2 material cooperation green, 3 verbal conflict yellow/orange, 4 material
/// conflict red.
fn quad_sgr(quad: i64) -> &'static str {
    match quad {
        1 => "92",
        2 => "32",
        3 => "33",
        4 => "31",
        _ => "",
    }
}

/// The names of the quad classes, 1..4.
pub const QUAD_NAMES: [&str; 4] = [
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
];

/// `text` cut to `width` display columns, with `…` where it was cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// `text` (already cut) padded to `width` columns, then painted.
fn cell(style: &Style, sgr: &str, text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text.width());
    format!("{}{}", style.paint(sgr, text), " ".repeat(pad))
}

/// A table's columns: each cut and padded to its width but the last, which is cut
/// only to what is left of the terminal.
struct Columns {
    widths: Vec<usize>,
}

impl Columns {
    /// One line of cells (`(text, sgr)`), two spaces apart.
    fn line(&self, style: &Style, cells: &[(&str, &str)]) -> String {
        let mut out = String::new();
        let mut used = 0;
        for (i, (text, sgr)) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
                used += 2;
            }
            match self.widths.get(i) {
                Some(&w) if i + 1 < cells.len() => {
                    out.push_str(&cell(style, sgr, &fit(text, w), w));
                    used += w;
                }
                _ => {
                    let text = match style.width {
                        Some(total) => fit(text, total.saturating_sub(used).max(8)),
                        None => text.to_string(),
                    };
                    out.push_str(&style.paint(sgr, &text));
                }
            }
        }
        out.trim_end().to_string()
    }
}

// ---------------------------------------------------------------- code

/// Widths of `code`'s columns: date, source → target, type (CAMEO), trigger; the place
/// takes the rest. On a terminal the trigger gives way (down to 10 columns) so that the
/// place keeps 16; elsewhere it has 22.
fn code_columns(style: &Style) -> Columns {
    let fixed = 11 + 17 + 18 + 4 * 2;
    let trigger = style
        .width
        .map_or(22, |w| w.saturating_sub(fixed + 16).clamp(10, 24));
    Columns {
        widths: vec![11, 17, 18, trigger],
    }
}

/// `source → target` of a record: CAMEO actor codes, `—` for no target; `↔` for a
/// mutual event (both directions).
pub fn dyad(record: &EventRecord) -> String {
    format!(
        "{} {} {}",
        record.source.cameo_actor,
        if record.mutual { "↔" } else { "→" },
        record
            .target
            .as_ref()
            .map_or("—", |t| t.cameo_actor.as_str())
    )
}

/// The record's date, `~` after one less precise than a day, `—` when undated.
pub fn record_date(record: &EventRecord) -> String {
    match (&record.date, record.date_precision.as_deref()) {
        (Some(d), Some("day") | None) => d.clone(),
        (Some(d), Some(_)) => format!("{d}~"),
        (None, _) => "—".to_string(),
    }
}

/// `TYPE (CAMEO)`.
pub fn event_label(record: &EventRecord) -> String {
    format!("{} ({})", record.event_type, record.cameo)
}

/// The trigger words, with the modality when the event is not simply asserted, and the
/// casualty figures the sentence gives (`shelled [20+ killed, 3 injured]`: `+` where the
/// text gives a range or a vague quantity above the lowest figure).
pub fn trigger_label(record: &EventRecord) -> String {
    let mut t = record.evidence.trigger.clone();
    if record.negated {
        t.push_str(" [negated]");
    }
    if record.modality != "asserted" {
        t.push_str(&format!(" [{}]", record.modality));
    }
    let figures: Vec<String> = record
        .casualties
        .iter()
        .map(|c| {
            let more = if c.high.is_some_and(|h| h > c.count) {
                "+"
            } else {
                ""
            };
            format!("{}{more} {}", c.count, c.kind)
        })
        .collect();
    if !figures.is_empty() {
        t.push_str(&format!(" [{}]", figures.join(", ")));
    }
    t
}

/// Where the event happened: `Kharkiv, UKR`, a country's name alone, or empty.
pub fn place_label(record: &EventRecord) -> String {
    match &record.location {
        None => String::new(),
        Some(l) if l.precision == "country" => l.name.clone(),
        Some(l) => format!("{}, {}", l.name, l.country),
    }
}

/// `code`'s table: records of each document under a line naming it, in input order.
pub struct CodeTable<W: Write> {
    out: W,
    style: Style,
    header_written: bool,
    /// Records per quad class.
    quads: [usize; 4],
    documents_with_events: usize,
    /// A sentence to suggest for `annalist explain`, and its document's date.
    example: Option<(String, Option<String>)>,
}

impl<W: Write> CodeTable<W> {
    pub fn new(out: W, style: Style) -> Self {
        CodeTable {
            out,
            style,
            header_written: false,
            quads: [0; 4],
            documents_with_events: 0,
            example: None,
        }
    }

    fn header(&mut self) -> std::io::Result<()> {
        let s = self.style;
        let line = code_columns(&s).line(
            &s,
            &[
                ("DATE", "1"),
                ("SOURCE → TARGET", "1"),
                ("EVENT (CAMEO)", "1"),
                ("TRIGGER", "1"),
                ("PLACE", "1"),
            ],
        );
        writeln!(self.out, "{line}")
    }

    /// The summary and the hints, after the last document. `next` is how to store the
    /// same input (`--sample` or the file names).
    pub fn finish(
        mut self,
        counts: &annalist_engine::Counts,
        problems: annalist_engine::InputProblems,
        next: &str,
    ) -> std::io::Result<W> {
        let s = self.style;
        if self.header_written {
            writeln!(self.out)?;
        }
        let quads: Vec<String> = self
            .quads
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(q, n)| s.quad(q as i64 + 1, &format!("{n} {}", QUAD_NAMES[q])))
            .collect();
        write!(
            self.out,
            "{} documents ({} with events, {} sentences) · {} events",
            counts.documents, self.documents_with_events, counts.sentences, counts.events
        )?;
        if !quads.is_empty() {
            write!(self.out, ": {}", quads.join(", "))?;
        }
        if problems.rejected > 0 {
            write!(
                self.out,
                " · {}",
                s.paint("31", &format!("{} rejected", problems.rejected))
            )?;
        }
        if problems.skipped > 0 {
            write!(
                self.out,
                " · {} skipped (no page to code)",
                problems.skipped
            )?;
        }
        writeln!(self.out)?;
        let explain = match &self.example {
            Some((sentence, Some(date))) => {
                format!("annalist explain {} --date {date}", shell_quote(sentence))
            }
            Some((sentence, None)) => format!("annalist explain {}", shell_quote(sentence)),
            None => "annalist explain \"A sentence of news.\"".to_string(),
        };
        for (what, command) in [
            ("why a record was coded:", explain),
            (
                "store them, see them on a page:",
                format!(
                    "annalist ingest {next} --db annalist.db && annalist serve --db annalist.db"
                ),
            ),
            (
                "JSON Lines:",
                "pipe the output, or add --json (--out FILE writes a file)".to_string(),
            ),
        ] {
            writeln!(self.out, "  {} {command}", s.dim(&format!("{what:<31}")))?;
        }
        Ok(self.out)
    }
}

impl<W: Write> CodedSink for CodeTable<W> {
    type Item = Coded;
    type Error = std::io::Error;

    fn prepare(coded: Coded) -> Coded {
        coded
    }

    fn take(&mut self, coded: Coded) -> std::io::Result<()> {
        if coded.records.is_empty() {
            return Ok(());
        }
        if !self.header_written {
            self.header()?;
            self.header_written = true;
        }
        let s = self.style;
        self.documents_with_events += 1;
        if self.example.is_none() {
            self.example = Some((
                sentence_around(&coded.doc.text, &coded.records[0]),
                coded.doc.date.map(|d| d.to_string()),
            ));
        }
        let title = coded.doc.title.clone().unwrap_or_else(|| {
            fit(
                &coded
                    .doc
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                72,
            )
        });
        let heading = match s.width {
            Some(w) => fit(&format!("{} · {title}", coded.doc.id), w.saturating_sub(2)),
            None => format!("{} · {title}", coded.doc.id),
        };
        writeln!(self.out, "\n{}", s.dim(&format!("▸ {heading}")))?;
        for r in &coded.records {
            if (1..=4).contains(&r.quad_class) {
                self.quads[r.quad_class as usize - 1] += 1;
            }
            let sgr = quad_sgr(r.quad_class as i64);
            let line = code_columns(&s).line(
                &s,
                &[
                    (&record_date(r), ""),
                    (&dyad(r), "1"),
                    (&event_label(r), sgr),
                    (&trigger_label(r), ""),
                    (&place_label(r), ""),
                ],
            );
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }
}

/// The sentence of `text` holding the record's trigger: from after the last `. `
/// before its source to the first `. ` after its trigger (a hint, not a parse).
fn sentence_around(text: &str, record: &EventRecord) -> String {
    let from = record
        .source
        .start
        .min(record.evidence.start)
        .min(text.len());
    let to = record.evidence.end.max(record.source.end).min(text.len());
    let start = text[..from].rfind(". ").map_or(0, |i| i + 2);
    let end = text[to..].find(". ").map_or(text.len(), |i| to + i + 1);
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` quoted for a POSIX shell: in single quotes, or in double quotes with `\`, `"`,
/// `$` and `` ` `` escaped when it holds a single quote.
fn shell_quote(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------- timeline

/// Widths of `timeline`'s columns: date, source → target, type (CAMEO), mentions; the
/// place takes the rest.
fn timeline_columns() -> Columns {
    Columns {
        widths: vec![11, 17, 18, 12],
    }
}

/// The last column of the timeline table: the place, then what analysts weigh when it
/// is not plain — the attribution with the claimant (`claimed by UKRGOV`) and the
/// casualty figures (`[15 killed]`, `+` where a mention gives a higher upper end).
fn weighed_place(e: &EventRow) -> String {
    let mut parts: Vec<String> = e.location.iter().cloned().collect();
    if e.attribution != "asserted" {
        let by = e
            .reported_by_code
            .as_deref()
            .or(e.reported_by_text.as_deref())
            .map(|c| format!(" by {c}"))
            .unwrap_or_default();
        parts.push(format!("({}{by})", e.attribution));
    }
    let figures: Vec<String> = e
        .casualties
        .figures()
        .into_iter()
        .map(|(kind, lo, hi)| format!("{lo}{} {kind}", if hi > lo { "+" } else { "" }))
        .collect();
    if !figures.is_empty() {
        parts.push(format!("[{}]", figures.join(", ")));
    }
    parts.join(" ")
}

/// The stored events as a table, each with its first mentions (document and trigger)
/// beneath, then a summary and hints.
pub fn timeline(events: &[EventRow], db: &str, style: &Style) -> String {
    let s = style;
    let mut out = String::new();
    let mut quads = [0usize; 4];
    out.push_str(&timeline_columns().line(
        s,
        &[
            ("DATE", "1"),
            ("SOURCE → TARGET", "1"),
            ("TYPE (CAMEO)", "1"),
            ("MENTIONS", "1"),
            ("PLACE", "1"),
        ],
    ));
    out.push('\n');
    for e in events {
        if (1..=4).contains(&e.quad_class) {
            quads[e.quad_class as usize - 1] += 1;
        }
        let date = match (&e.date, e.date_precision.as_deref()) {
            (Some(d), Some("day") | None) => d.clone(),
            (Some(d), Some(_)) => format!("{d}~"),
            (None, _) => "—".to_string(),
        };
        let mentions = format!(
            "{} in {} doc{}",
            e.mentions,
            e.articles,
            if e.articles == 1 { "" } else { "s" }
        );
        out.push_str(&timeline_columns().line(
            s,
            &[
                (&date, ""),
                (
                    &format!(
                        "{} {} {}",
                        e.source_actor,
                        if e.mutual { "↔" } else { "→" },
                        e.target_actor.as_deref().unwrap_or("—")
                    ),
                    "1",
                ),
                (
                    &format!("{} ({})", e.event_type, e.cameo),
                    quad_sgr(e.quad_class),
                ),
                (&mentions, ""),
                (&weighed_place(e), ""),
            ],
        ));
        out.push('\n');
        for (i, m) in e.mention_list.iter().take(2).enumerate() {
            let id = if i == 0 {
                format!("#{}", e.event)
            } else {
                String::new()
            };
            let line = format!("{:>13}{id:<6} {} “{}”", "", m.doc_id, m.trigger);
            let line = match s.width {
                Some(w) => fit(&line, w),
                None => line,
            };
            out.push_str(&s.dim(&line));
            out.push('\n');
        }
        if e.mention_list.len() > 2 {
            out.push_str(&s.dim(&format!("{:>20}… {} more", "", e.mention_list.len() - 2)));
            out.push('\n');
        }
    }
    let dates: Vec<&str> = events.iter().filter_map(|e| e.date.as_deref()).collect();
    out.push('\n');
    out.push_str(&format!("{} events", events.len()));
    if let (Some(a), Some(b)) = (dates.iter().min(), dates.iter().max()) {
        out.push_str(&format!(" from {a} to {b}"));
    }
    let quads: Vec<String> = quads
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(q, n)| s.quad(q as i64 + 1, &format!("{n} {}", QUAD_NAMES[q])))
        .collect();
    if !quads.is_empty() {
        out.push_str(&format!(": {}", quads.join(", ")));
    }
    out.push('\n');
    for (what, command) in [
        (
            "one event's evidence, on a page:",
            format!("annalist serve --db {db}"),
        ),
        (
            "narrower:",
            "--actor CODE, --pair A,B, --type TYPE, --from D --to D, --exclude-claims, \
             --min-confidence X; --json for JSON Lines"
                .to_string(),
        ),
    ] {
        out.push_str(&format!("  {} {command}\n", s.dim(&format!("{what:<33}"))));
    }
    out
}

// ---------------------------------------------------------------- dyads

/// The dyad rows as a table, each quad column in its colour (without colour, the text
/// of `annalist_store::query::render_dyads`).
pub fn dyads(rows: &[DyadRow], style: &Style) -> String {
    let s = style;
    let mut out = String::new();
    let head = |text: &str, sgr: &str, w: usize, right: bool| {
        let text = if right {
            format!("{text:>w$}")
        } else {
            format!("{text:<w$}")
        };
        s.paint(sgr, &text)
    };
    let quad_heads: Vec<String> = (1..=4)
        .map(|q| head(&format!("q{q}"), &format!("1;{}", quad_sgr(q)), 5, true))
        .collect();
    out.push_str(&format!(
        "{} {} {} {} {} {} {} {}\n",
        head("period", "1", 10, false),
        head("source", "1", 6, false),
        head("target", "1", 6, false),
        quad_heads.join(" "),
        head("events", "1", 6, true),
        head("goldstein", "1", 9, true),
        head("killed", "1", 6, true),
        head("injured", "1", 7, true),
    ));
    for r in rows {
        let quads: Vec<String> = r
            .quad
            .iter()
            .enumerate()
            .map(|(q, &n)| {
                let text = format!("{n:>5}");
                if n > 0 {
                    s.quad(q as i64 + 1, &text)
                } else {
                    s.dim(&text)
                }
            })
            .collect();
        let goldstein = format!("{:>9.1}", r.goldstein);
        let goldstein = match r.goldstein {
            g if g < 0.0 => s.paint("31", &goldstein),
            g if g > 0.0 => s.paint("32", &goldstein),
            _ => goldstein,
        };
        let hurt = |n: i64, w: usize| {
            let text = format!("{n:>w$}");
            if n > 0 {
                s.paint("31", &text)
            } else {
                s.dim(&text)
            }
        };
        out.push_str(&format!(
            "{:<10} {:<6} {:<6} {} {:>6} {goldstein} {} {}\n",
            r.period,
            r.source,
            r.target,
            quads.join(" "),
            r.events,
            hurt(r.killed, 6),
            hurt(r.injured, 7),
        ));
    }
    out
}

// ---------------------------------------------------------------- stats

/// What to run after `annalist stats` on a terminal.
pub fn stats_hints(db: &std::path::Path, style: &Style) -> String {
    let db = db.display();
    let mut out = String::from("\n");
    for (what, command) in [
        ("the events by day:", format!("annalist timeline --db {db}")),
        ("on a page:", format!("annalist serve --db {db}")),
    ] {
        out.push_str(&format!(
            "  {} {command}\n",
            style.dim(&format!("{what:<19}"))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width_and_marks_the_cut() {
        assert_eq!(fit("Kharkiv", 7), "Kharkiv");
        assert_eq!(fit("Zaporizhzhia", 6), "Zapor…");
        assert_eq!(fit("Zaporizhzhia", 6).width(), 6);
    }

    #[test]
    fn no_color_and_dumb_terminals_turn_auto_off_but_not_always() {
        use std::ffi::OsStr;
        let set = Some(OsStr::new("1"));
        let xterm = Some(OsStr::new("xterm-256color"));
        assert!(use_color(ColorChoice::Auto, true, None, xterm));
        assert!(!use_color(ColorChoice::Auto, false, None, xterm));
        assert!(!use_color(ColorChoice::Auto, true, set, xterm));
        assert!(use_color(
            ColorChoice::Auto,
            true,
            Some(OsStr::new("")),
            xterm
        ));
        assert!(!use_color(
            ColorChoice::Auto,
            true,
            None,
            Some(OsStr::new("dumb"))
        ));
        assert!(use_color(ColorChoice::Always, false, set, None));
        assert!(!use_color(ColorChoice::Never, true, None, xterm));
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = Style {
            color: false,
            width: None,
        };
        let colour = Style {
            color: true,
            width: None,
        };
        assert_eq!(plain.quad(4, "ASSAULT"), "ASSAULT");
        assert_eq!(colour.quad(4, "ASSAULT"), "\x1b[31mASSAULT\x1b[0m");
        // padding is counted without the escape codes
        let line = code_columns(&colour).line(&colour, &[("a", "31"), ("b", "")]);
        assert_eq!(line, format!("\x1b[31ma\x1b[0m{}b", " ".repeat(12)));
    }

    #[test]
    fn the_last_column_is_cut_to_the_terminal_only() {
        let narrow = Style {
            color: false,
            width: Some(40),
        };
        let line = code_columns(&narrow).line(
            &narrow,
            &[
                ("2024-01-01", ""),
                ("RUS → UKR", ""),
                ("a very long place name", ""),
            ],
        );
        // the first two columns keep their widths, the place keeps at least 8 columns
        assert_eq!(line, "2024-01-01   RUS → UKR          a very…");
        // the trigger gives way on narrow terminals, to 10 columns at most
        let trigger = |width| {
            code_columns(&Style {
                color: false,
                width,
            })
            .widths[3]
        };
        assert_eq!(trigger(None), 22);
        assert_eq!(trigger(Some(80)), 10);
        assert_eq!(trigger(Some(60)), 10);
        assert_eq!(trigger(Some(90)), 20);
        assert_eq!(trigger(Some(200)), 24);
    }

    #[test]
    fn shell_quoting_keeps_the_sentence_one_argument() {
        assert_eq!(shell_quote("Iran attacked Iraq."), "'Iran attacked Iraq.'");
        assert_eq!(
            shell_quote("Iran's army attacked \"Iraq\"."),
            "\"Iran's army attacked \\\"Iraq\\\".\""
        );
    }
    #[test]
    fn the_timeline_shows_claims_and_figures_after_the_place() {
        let mut e = EventRow {
            event: 1,
            date: None,
            date_precision: None,
            source_actor: "RUSMIL".into(),
            source_code: "RUS".into(),
            target_actor: Some("UKR".into()),
            target_code: Some("UKR".into()),
            event_type: "ASSAULT".into(),
            cameo: "190".into(),
            quad_class: 4,
            goldstein: -10.0,
            location: Some("Kharkiv, UKR".into()),
            mentions: 1,
            articles: 1,
            sources: 1,
            first_seen: None,
            last_seen: None,
            mutual: false,
            attribution: "asserted".into(),
            reported_by_code: None,
            reported_by_text: None,
            confidence: Some(0.8),
            mode: None,
            context: None,
            casualties: Default::default(),
            mention_list: Vec::new(),
        };
        assert_eq!(weighed_place(&e), "Kharkiv, UKR");
        e.attribution = "claimed".into();
        e.reported_by_text = Some("officials".into());
        e.casualties.killed = Some(15);
        e.casualties.killed_high = Some(20);
        e.casualties.injured = Some(3);
        assert_eq!(
            weighed_place(&e),
            "Kharkiv, UKR (claimed by officials) [15+ killed, 3 injured]"
        );
        e.location = None;
        e.reported_by_code = Some("UKRGOV".into());
        assert_eq!(
            weighed_place(&e),
            "(claimed by UKRGOV) [15+ killed, 3 injured]"
        );
    }
}
