//! Document readers: JSON Lines (`{"id", "text", "date"?, "title"?, "url"?, "source"?}`),
//! a JSON array of such records held in memory (a request body), and plain text (one
//! document per blank-line-separated block). Which reader a file needs is
//! `annalist-feeds`' business (`InputKind`, the one format enum). Readers stream: each
//! record is handed to a callback as soon as it is read, as a [`Document`] or a
//! [`ReadError`] naming the file, the line and the problem, so a batch goes on past a
//! bad record.
use annalist_model::Document;
use chrono::NaiveDate;
use std::io::BufRead;

/// A rejected record or file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ReadError {
    pub file: String,
    /// 1-based line; 0 for problems with the whole file.
    pub line: usize,
    pub message: String,
    /// Passed over by design rather than broken: a web-archive record that is no page
    /// to code (not HTTP 200, not HTML). Reported and counted apart from rejected
    /// records; it does not make a run fail.
    pub skipped: bool,
}

/// Reader settings.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Longest accepted line (JSON Lines) or block (plain text), in bytes.
    pub max_record_bytes: usize,
    /// Date given to plain-text documents (and JSON documents without one).
    pub default_date: Option<NaiveDate>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_record_bytes: 1 << 20,
            default_date: None,
        }
    }
}

fn err(file: &str, line: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        file: file.to_string(),
        line,
        message: message.into(),
        skipped: false,
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
}

/// Parses one JSON Lines record.
pub fn parse_json_record(
    file: &str,
    line: usize,
    text: &str,
    opts: &ReadOptions,
) -> Result<Document, ReadError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err(file, line, format!("malformed JSON: {e}")))?;
    parse_json_value(file, line, &v, opts)
}

/// Makes a document of one parsed JSON record.
pub fn parse_json_value(
    file: &str,
    line: usize,
    v: &serde_json::Value,
    opts: &ReadOptions,
) -> Result<Document, ReadError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err(file, line, "a record must be a JSON object"))?;
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::String(_)) => return Err(err(file, line, "\"id\" is empty")),
        Some(other) => {
            return Err(err(
                file,
                line,
                format!("\"id\" must be a string, found {other}"),
            ))
        }
        None => return Err(err(file, line, "missing \"id\"")),
    };
    let text = match obj.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(err(
                file,
                line,
                format!("\"text\" must be a string, found {}", type_name(other)),
            ))
        }
        None => return Err(err(file, line, format!("record {id:?} has no \"text\""))),
    };
    let date = match obj.get("date") {
        None | Some(serde_json::Value::Null) => opts.default_date,
        Some(serde_json::Value::String(s)) => Some(parse_date(s).ok_or_else(|| {
            err(
                file,
                line,
                format!("record {id:?}: unparseable date {s:?} (expected YYYY-MM-DD)"),
            )
        })?),
        Some(other) => {
            return Err(err(
                file,
                line,
                format!("record {id:?}: \"date\" must be a YYYY-MM-DD string, found {other}"),
            ))
        }
    };
    // Where a date that is no publication date came from (`fetched`: a crawler's fetch
    // day), carried to every record as `document_date`.
    let date_basis = match obj.get("date_basis") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if s == "given" => None,
        Some(serde_json::Value::String(s)) if s == "fetched" => {
            Some(annalist_model::Basis::Fetched)
        }
        Some(other) => {
            return Err(err(
                file,
                line,
                format!(
                    "record {id:?}: \"date_basis\" must be \"given\" or \"fetched\", found {other}"
                ),
            ))
        }
    };
    let opt = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Ok(Document {
        id,
        text,
        date,
        title: opt("title"),
        url: opt("url"),
        source: opt("source"),
        date_basis,
    })
}

fn type_name(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Reads one line (through `\n`) from `reader` into `buf`, keeping at most `max + 1`
/// bytes of it: a line over the limit is read through but not held, so a line of a
/// gigabyte (a gzip bomb, a file with no newlines) costs no more memory than the limit.
/// Returns the bytes the line had (0 at the end) and whether it fit in `max`.
pub fn read_line_limited<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut total = 0usize;
    loop {
        let (done, used) = {
            let avail = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok((total, total <= max));
            }
            let (done, used) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, avail.len()),
            };
            let room = (max + 1).saturating_sub(buf.len());
            buf.extend_from_slice(&avail[..used.min(room)]);
            (done, used)
        };
        reader.consume(used);
        total = total.saturating_add(used);
        if done {
            return Ok((total, total <= max));
        }
    }
}

/// Reads JSON Lines from `reader`, calling `sink` for each record or error. No line
/// longer than `opts.max_record_bytes` is held in memory.
pub fn read_json_lines<R: BufRead>(
    file: &str,
    mut reader: R,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let mut buf = Vec::new();
    let mut line = 0;
    let mut any = false;
    loop {
        buf.clear();
        line += 1;
        let (len, fits) = match read_line_limited(&mut reader, &mut buf, opts.max_record_bytes) {
            Ok((0, _)) => break,
            Ok(r) => r,
            Err(e) => {
                sink(Err(err(file, line, format!("read error: {e}"))));
                return;
            }
        };
        any = true;
        if !fits {
            sink(Err(err(
                file,
                line,
                format!(
                    "line is {len} bytes, over the limit of {} bytes",
                    opts.max_record_bytes
                ),
            )));
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                sink(Err(err(
                    file,
                    line,
                    format!("not valid UTF-8 (byte {})", e.valid_up_to()),
                )));
                continue;
            }
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        sink(parse_json_record(file, line, text, opts));
    }
    if !any {
        sink(Err(err(file, 0, "empty file: no documents")));
    }
}

/// Reads plain text: one document per blank-line-separated block, ids `STEM-N` with
/// the stem of `file`'s name (see [`read_plain_text_as`]).
pub fn read_plain_text<R: BufRead>(
    file: &str,
    reader: R,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    read_plain_text_as(file, &stem, reader, opts, sink)
}

/// The block of plain text being read.
#[derive(Default)]
struct Block {
    text: String,
    /// A non-blank line was seen.
    started: bool,
    first_line: usize,
    bytes: usize,
    /// A line was not UTF-8 (reported at its line): the block is skipped.
    bad: bool,
}

/// Reads plain text: one document per blank-line-separated block, ids `ID_STEM-N`, N
/// the block's place in the file (1, 2, …): every block counts, also one skipped for a
/// bad line or its size, so the ids of the others never shift. No block longer than
/// `opts.max_record_bytes` is held in memory.
pub fn read_plain_text_as<R: BufRead>(
    file: &str,
    id_stem: &str,
    mut reader: R,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let max = opts.max_record_bytes;
    let mut block = Block::default();
    let mut n = 0;
    let mut line = 0;
    let mut any = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        line += 1;
        let (len, fits) = match read_line_limited(&mut reader, &mut buf, max) {
            Ok((0, _)) => break,
            Ok(r) => r,
            Err(e) => {
                sink(Err(err(file, line, format!("read error: {e}"))));
                return;
            }
        };
        any = true;
        let text = if fits {
            std::str::from_utf8(&buf).ok()
        } else {
            None
        };
        if text.is_some_and(|t| t.trim().is_empty()) {
            flush_block(file, id_stem, opts, &mut block, &mut n, sink);
            continue;
        }
        if !block.started {
            block.started = true;
            block.first_line = line;
        }
        block.bytes = block.bytes.saturating_add(len);
        if block.bytes > max {
            // Over the limit: counted, not kept.
            block.text = String::new();
            continue;
        }
        match std::str::from_utf8(&buf) {
            Ok(t) => block.text.push_str(t),
            Err(e) => {
                sink(Err(err(
                    file,
                    line,
                    format!(
                        "not valid UTF-8 (byte {}); its block is skipped",
                        e.valid_up_to()
                    ),
                )));
                block.bad = true;
            }
        }
    }
    flush_block(file, id_stem, opts, &mut block, &mut n, sink);
    if !any {
        sink(Err(err(file, 0, "empty file: no documents")));
    }
}

fn flush_block(
    file: &str,
    id_stem: &str,
    opts: &ReadOptions,
    block: &mut Block,
    n: &mut usize,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let b = std::mem::take(block);
    if !b.started {
        return;
    }
    *n += 1;
    if b.bad {
        return;
    }
    if b.bytes > opts.max_record_bytes {
        sink(Err(err(
            file,
            b.first_line,
            format!(
                "text block is {} bytes, over the limit of {} bytes",
                b.bytes, opts.max_record_bytes
            ),
        )));
    } else if !b.text.trim().is_empty() {
        sink(Ok(Document {
            id: format!("{id_stem}-{n}"),
            text: b.text.trim().to_string(),
            date: opts.default_date,
            ..Default::default()
        }));
    }
}

/// Reads documents held in memory (a request body): a JSON array of records, item N
/// reported as line N, or else JSON Lines. A body that opens with `[` but is no JSON
/// array is one error at line 0.
pub fn read_json_text(
    file: &str,
    text: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    if !text.trim_start().starts_with('[') {
        return read_json_lines(file, text.as_bytes(), opts, sink);
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(text) {
        Ok(items) => {
            for (i, item) in items.iter().enumerate() {
                sink(parse_json_value(file, i + 1, item, opts));
            }
        }
        Err(e) => sink(Err(err(file, 0, format!("malformed JSON array: {e}")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Vec<Result<Document, ReadError>> {
        let mut out = Vec::new();
        read_json_lines("in.jsonl", input, &ReadOptions::default(), &mut |r| {
            out.push(r)
        });
        out
    }

    #[test]
    fn good_and_bad_records() {
        let input = b"{\"id\":\"a\",\"text\":\"Hi.\",\"date\":\"2024-02-29\"}\n{bad json\n{\"id\":\"b\"}\n{\"id\":7,\"text\":\"x\"}\n{\"id\":\"c\",\"text\":\"x\",\"date\":\"2024-02-30\"}\n\n{\"id\":\"d\",\"text\":\"ok\"}\n";
        let r = read(input);
        assert_eq!(r.len(), 6);
        assert_eq!(
            r[0].as_ref().unwrap().date,
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert!(r[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("in.jsonl:2: malformed JSON"));
        assert_eq!(
            r[2].as_ref().unwrap_err().to_string(),
            "in.jsonl:3: record \"b\" has no \"text\""
        );
        assert_eq!(
            r[3].as_ref().unwrap_err().to_string(),
            "in.jsonl:4: \"id\" must be a string, found 7"
        );
        assert!(r[4]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("unparseable date \"2024-02-30\""));
        assert_eq!(r[5].as_ref().unwrap().id, "d");
    }

    #[test]
    fn a_fetch_date_is_marked_and_a_bad_basis_rejected() {
        let r = read(b"{\"id\":\"a\",\"text\":\"x\",\"date\":\"2025-01-02\",\"date_basis\":\"fetched\"}\n{\"id\":\"b\",\"text\":\"x\",\"date_basis\":\"given\"}\n{\"id\":\"c\",\"text\":\"x\",\"date_basis\":\"guessed\"}\n");
        assert_eq!(
            r[0].as_ref().unwrap().date_basis,
            Some(annalist_model::Basis::Fetched)
        );
        assert_eq!(r[1].as_ref().unwrap().date_basis, None);
        assert_eq!(
            r[2].as_ref().unwrap_err().to_string(),
            "in.jsonl:3: record \"c\": \"date_basis\" must be \"given\" or \"fetched\", found \"guessed\""
        );
        // Written back out, the mark round-trips.
        let doc = r[0].as_ref().unwrap();
        let json = serde_json::to_string(doc).unwrap();
        assert!(json.contains("\"date_basis\":\"fetched\""), "{json}");
    }

    #[test]
    fn non_utf8_empty_and_oversized() {
        let r = read(b"{\"id\":\"a\",\"text\":\"\xff\xfe\"}\n{\"id\":\"b\",\"text\":\"fine\"}\n");
        assert!(r[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("in.jsonl:1: not valid UTF-8"));
        assert!(r[1].is_ok());
        assert_eq!(
            read(b"")[0].as_ref().unwrap_err().to_string(),
            "in.jsonl:0: empty file: no documents"
        );
        let big = format!(
            "{{\"id\":\"x\",\"text\":\"{}\"}}\n{{\"id\":\"y\",\"text\":\"z\"}}\n",
            "a".repeat(5 << 20)
        );
        let r = read(big.as_bytes());
        assert!(r[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("over the limit"));
        assert!(r[1].is_ok());
    }

    #[test]
    fn a_body_is_a_json_array_or_json_lines() {
        let mut out = Vec::new();
        let opts = ReadOptions::default();
        read_json_text(
            "<request>",
            r#"[{"id":"a","text":"x"}, {"id":1}]"#,
            &opts,
            &mut |r| out.push(r),
        );
        assert_eq!(out[0].as_ref().unwrap().id, "a");
        assert!(out[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("<request>:2: \"id\" must be a string"));
        out.clear();
        read_json_text("<request>", "[{\"id\"", &opts, &mut |r| out.push(r));
        assert!(out[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("<request>:0: malformed JSON array"));
        out.clear();
        read_json_text(
            "<request>",
            "{\"id\":\"b\",\"text\":\"y\"}\n\n{\"id\":\"c\"}\n",
            &opts,
            &mut |r| out.push(r),
        );
        assert_eq!(out[0].as_ref().unwrap().id, "b");
        assert_eq!(
            out[1].as_ref().unwrap_err().to_string(),
            "<request>:3: record \"c\" has no \"text\""
        );
    }

    #[test]
    fn plain_text_blocks() {
        let mut out = Vec::new();
        let opts = ReadOptions {
            default_date: NaiveDate::from_ymd_opt(2025, 1, 2),
            ..Default::default()
        };
        read_plain_text(
            "news/feed.txt",
            &b"First story\ncontinues.\n\n\nSecond story.\n"[..],
            &opts,
            &mut |r| out.push(r.unwrap()),
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].id, "feed-1");
        assert_eq!(out[0].text, "First story\ncontinues.");
        assert_eq!(out[1].date, NaiveDate::from_ymd_opt(2025, 1, 2));
    }

    /// Issue 18, finding 4: a block skipped for bad UTF-8 (or its size) keeps its number,
    /// so the blocks after it keep their ids when the bad one is fixed or removed.
    #[test]
    fn skipped_blocks_do_not_shift_ids() {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        let opts = ReadOptions {
            max_record_bytes: 64,
            ..Default::default()
        };
        let mut bytes = b"First.\n\nBroken \xff line.\nmore\n\n".to_vec();
        bytes.extend_from_slice("x".repeat(100).as_bytes());
        bytes.extend_from_slice(b"\n\nFourth.\n");
        read_plain_text_as(
            "in/a/news.txt",
            "a/news",
            &bytes[..],
            &opts,
            &mut |r| match r {
                Ok(d) => ok.push(d.id),
                Err(e) => bad.push(e.to_string()),
            },
        );
        assert_eq!(ok, vec!["a/news-1", "a/news-4"]);
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(
            bad[0].starts_with("in/a/news.txt:3: not valid UTF-8"),
            "{bad:?}"
        );
        assert!(
            bad[1].starts_with("in/a/news.txt:6: text block is 101 bytes"),
            "{bad:?}"
        );
    }

    /// Issue 18, finding 6: a line is never held past the record limit, however long.
    #[test]
    fn long_lines_are_not_held() {
        struct Zeros(usize);
        impl std::io::Read for Zeros {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = out.len().min(self.0);
                out[..n].fill(b'0');
                self.0 -= n;
                Ok(n)
            }
        }
        let mut r = std::io::BufReader::new(std::io::Read::chain(
            Zeros(50 << 20),
            &b"\n{\"id\":\"b\",\"text\":\"t\"}\n"[..],
        ));
        let mut buf = Vec::new();
        let (len, fits) = read_line_limited(&mut r, &mut buf, 1000).unwrap();
        assert_eq!((len, fits), ((50 << 20) + 1, false));
        assert_eq!(buf.len(), 1001);
        buf.clear();
        let (len, fits) = read_line_limited(&mut r, &mut buf, 1000).unwrap();
        assert!(fits);
        assert_eq!(len, buf.len());
    }
}
