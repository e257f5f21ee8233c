//! Web archives: WARC 1.0/1.1 files (`.warc`, `.warc.gz`), as Common Crawl's CC-NEWS
//! ships them, to documents. Each `response` record whose HTTP status is 200 and whose
//! payload is an HTML page goes through the article reader ([`html::extract_article`]):
//! the document's id is the record's `WARC-Target-URI`, its url the page's canonical
//! URL (else the target URI), its date the page's own publication date, else the day of
//! `WARC-Date` — the day the page was fetched, which [`WarcPage::date_basis`] marks as
//! [`DateBasis::Fetched`] and the document as [`Document::date_basis`] `fetched` (every
//! record coded from it carries `document_date: {date, basis: "fetched"}`).
//!
//! Other record types (`warcinfo`, `request`, `metadata`, …) are passed over silently;
//! a response that is not a 200 (redirects, 404s) or not HTML (images, PDFs, feeds) is
//! skipped and reported as a [`ReadError`] `FILE:0: record N (URI): problem` marked
//! [`ReadError::skipped`] (counted apart: an archive is full of them, and they do not
//! fail a run); a page without an article, or a record that cannot be read, is a
//! rejected record like any other. N counts every record of the file from 1.
//!
//! **Gzip.** A `.warc.gz` is a series of gzip members, one per record in CC-NEWS; this
//! module inflates member by member itself (flate2's raw `Decompress`) so that a member
//! that is truncated, corrupt (bad deflate data or CRC) or over the size limit is
//! reported — `record N: truncated or corrupt gzip member at byte OFFSET: …` — and
//! reading goes on at the next gzip header after it. A member may hold several records
//! (a whole-file gzip works too, up to the size limit). Limits: no member's inflated
//! content and no uncompressed record over [`MAX_RECORD_BYTES`] is held; the compressed
//! bytes kept for resynchronising are those of the current member.
use crate::html;
use annalist_io::{ReadError, ReadOptions};
use annalist_model::dating::Basis;
use annalist_model::Document;
use flate2::{Decompress, FlushDecompress, Status};
use std::io::{BufRead, Read};

/// The largest record (headers and block) held, and the largest inflated gzip member.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// Where a WARC page's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBasis {
    /// The page's own publication date (JSON-LD, meta tags, `<time>`).
    Page,
    /// The record's `WARC-Date`: when the crawler fetched the page.
    Fetched,
    /// Neither (a record without a valid `WARC-Date`): the reader's default date, if any.
    Default,
}

/// One page read from a WARC file.
#[derive(Debug, Clone, PartialEq)]
pub struct WarcPage {
    /// The record's place in the file, counting every record from 1.
    pub record: usize,
    pub document: Document,
    pub date_basis: DateBasis,
}

/// A parsed WARC record: its header fields (names as written) and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// The first value of a header field, by case-blind name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a WARC stream (gzipped per member, or not) and calls `sink` with each page or
/// each rejected record.
pub fn read_warc(
    name: &str,
    reader: Box<dyn BufRead + '_>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    read_warc_pages(name, reader, opts, &mut |r| sink(r.map(|p| p.document)))
}

/// [`read_warc`], each page with its record number and date basis.
pub fn read_warc_pages(
    name: &str,
    reader: Box<dyn BufRead + '_>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<WarcPage, ReadError>),
) {
    let mut number = 0usize;
    let mut on_record = |r: Result<WarcRecord, String>| {
        number += 1;
        let page = r
            .map_err(Problem::Bad)
            .and_then(|rec| page_of(&rec, number, opts));
        let (message, skipped) = match page {
            Ok(Some(p)) => return sink(Ok(p)),
            Ok(None) => return,
            Err(Problem::Bad(m)) => (m, false),
            Err(Problem::Skip(m)) => (m, true),
        };
        sink(Err(ReadError {
            file: name.to_string(),
            line: 0,
            message: format!("record {number}{message}"),
            skipped,
        }))
    };
    for_each_record(reader, &mut on_record);
}

/// Calls `f` with each record of a WARC stream, or with the problem of a record that
/// could not be read (a message to follow `record N`).
pub fn for_each_record(
    mut reader: Box<dyn BufRead + '_>,
    f: &mut dyn FnMut(Result<WarcRecord, String>),
) {
    let gz = match reader.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(e) => return f(Err(format!(": read error: {e}"))),
    };
    if gz {
        read_members(reader, f)
    } else {
        read_plain(reader, f)
    }
}

/// An uncompressed WARC: records one after another. After a bad record, lines are
/// skipped up to the next `WARC/1.` line.
fn read_plain(mut reader: Box<dyn BufRead + '_>, f: &mut dyn FnMut(Result<WarcRecord, String>)) {
    loop {
        match read_record(&mut reader) {
            Ok(None) => return,
            Ok(Some(rec)) => f(Ok(rec)),
            Err(RecordError::Io(e)) => return f(Err(format!(": read error: {e}"))),
            Err(RecordError::Bad(m)) => {
                f(Err(format!(": {m}")));
                if !skip_to_next_version_line(&mut reader) {
                    return;
                }
            }
        }
    }
}

enum RecordError {
    Io(std::io::Error),
    Bad(String),
}

/// Reads one record (`None` at the end of the input, blank lines before it skipped).
fn read_record<R: BufRead + ?Sized>(reader: &mut R) -> Result<Option<WarcRecord>, RecordError> {
    let mut line = Vec::new();
    // The version line, after any blank lines left by the previous record.
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(4096)
            .read_until(b'\n', &mut line)
            .map_err(RecordError::Io)?;
        if n == 0 {
            return Ok(None);
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        let shown = String::from_utf8_lossy(&line[..line.len().min(40)])
            .trim()
            .to_string();
        return Err(RecordError::Bad(format!(
            "not a WARC record (starts with {shown:?})"
        )));
    }
    let mut headers = Vec::new();
    let mut header_bytes = 0usize;
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(65536)
            .read_until(b'\n', &mut line)
            .map_err(RecordError::Io)?;
        if n == 0 {
            return Err(RecordError::Bad(
                "the file ends inside the record's header".into(),
            ));
        }
        header_bytes += n;
        if header_bytes > 1 << 20 {
            return Err(RecordError::Bad("record header over 1 MiB".into()));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        match text.split_once(':') {
            Some((k, v)) => headers.push((k.trim().to_string(), v.trim().to_string())),
            None => {
                // A continuation line (obsolete folding): part of the previous value.
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
            }
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.clone())
        .ok_or_else(|| RecordError::Bad("record has no Content-Length".into()))?;
    let length: usize = length
        .parse()
        .map_err(|_| RecordError::Bad(format!("bad Content-Length {length:?}")))?;
    if length > MAX_RECORD_BYTES {
        // Pass over the block without holding it.
        let skipped = std::io::copy(
            &mut (&mut *reader).take(length as u64),
            &mut std::io::sink(),
        )
        .map_err(RecordError::Io)?;
        return Err(RecordError::Bad(if skipped < length as u64 {
            "the file ends inside the record's block".into()
        } else {
            format!("record of {length} bytes, over the limit of {MAX_RECORD_BYTES} bytes")
        }));
    }
    let mut block = Vec::with_capacity(length);
    (&mut *reader)
        .take(length as u64)
        .read_to_end(&mut block)
        .map_err(RecordError::Io)?;
    if block.len() < length {
        return Err(RecordError::Bad(format!(
            "the file ends inside the record's block ({} of {length} bytes)",
            block.len()
        )));
    }
    Ok(Some(WarcRecord { headers, block }))
}

/// Skips lines up to (not including) the next line starting `WARC/1.`; false at the end.
fn skip_to_next_version_line(reader: &mut Box<dyn BufRead + '_>) -> bool {
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) if !b.is_empty() => b,
            _ => return false,
        };
        if buf.starts_with(b"WARC/1.") {
            return true;
        }
        let n = buf
            .iter()
            .position(|&c| c == b'\n')
            .map_or(buf.len(), |p| p + 1);
        reader.consume(n);
    }
}

/// The raw bytes of a gzip stream, kept from the start of the current member so that a
/// bad member can be rescanned for the next gzip header.
struct Raw<'a> {
    reader: Box<dyn BufRead + 'a>,
    buf: Vec<u8>,
    /// Position in `buf` of the next byte to inflate.
    pos: usize,
    /// File offset of `buf[0]`.
    base: u64,
    eof: bool,
}

impl Raw<'_> {
    /// Ensures at least `n` bytes after `pos` (fewer at the end of the file).
    fn fill(&mut self, n: usize) -> std::io::Result<()> {
        while self.buf.len() - self.pos < n && !self.eof {
            let got = {
                let b = self.reader.fill_buf()?;
                self.buf.extend_from_slice(b);
                b.len()
            };
            if got == 0 {
                self.eof = true;
            }
            self.reader.consume(got);
        }
        Ok(())
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Forgets the bytes before `pos` (the start of the next member).
    fn drop_consumed(&mut self) {
        self.buf.drain(..self.pos);
        self.base += self.pos as u64;
        self.pos = 0;
    }
}

/// Gzip members one after another, each inflated and split into records.
fn read_members(reader: Box<dyn BufRead + '_>, f: &mut dyn FnMut(Result<WarcRecord, String>)) {
    let mut raw = Raw {
        reader,
        buf: Vec::new(),
        pos: 0,
        base: 0,
        eof: false,
    };
    // After a bad member, candidates found by scanning that do not inflate are passed
    // over silently: only the damage itself is reported, once.
    let mut resyncing = false;
    loop {
        raw.drop_consumed();
        if let Err(e) = raw.fill(1) {
            return f(Err(format!(": read error: {e}")));
        }
        if raw.available().is_empty() {
            return;
        }
        let start = raw.base;
        match inflate_member(&mut raw) {
            Ok(content) => {
                resyncing = false;
                let mut cursor: &[u8] = &content;
                loop {
                    match read_record(&mut cursor) {
                        Ok(None) => break,
                        Ok(Some(rec)) => f(Ok(rec)),
                        Err(RecordError::Io(e)) => {
                            f(Err(format!(": {e}")));
                            break;
                        }
                        Err(RecordError::Bad(m)) => {
                            f(Err(format!(": {m} (gzip member at byte {start})")));
                            break;
                        }
                    }
                }
            }
            Err(message) => {
                if !resyncing {
                    f(Err(format!(
                        ": truncated or corrupt gzip member at byte {start}: {message}; skipped"
                    )));
                }
                resyncing = true;
                // Go on at the next gzip header after the bad member's start.
                raw.pos = 1;
                match next_member(&mut raw) {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => return f(Err(format!(": read error: {e}"))),
                }
            }
        }
    }
}

/// Moves `pos` to the next gzip header (`1f 8b 08`, flags with no reserved bit) at or
/// after it; false when there is none.
fn next_member(raw: &mut Raw<'_>) -> std::io::Result<bool> {
    loop {
        raw.fill(4)?;
        let avail = raw.available();
        if avail.len() < 4 {
            return Ok(false);
        }
        let header = |w: &[u8]| w[..3] == [0x1f, 0x8b, 0x08] && w[3] & 0xe0 == 0;
        match avail.windows(4).position(header) {
            Some(p) => {
                raw.pos += p;
                return Ok(true);
            }
            None => {
                // Keep the last three bytes: a header may straddle the refill.
                raw.pos += avail.len() - 3;
                raw.drop_consumed();
                raw.fill(4096)?;
                if raw.available().len() < 4 {
                    return Ok(false);
                }
            }
        }
    }
}

/// Inflates the member at `raw.pos`, leaving `pos` after its trailer.
fn inflate_member(raw: &mut Raw<'_>) -> Result<Vec<u8>, String> {
    let io = |e: std::io::Error| format!("read error: {e}");
    raw.fill(10).map_err(io)?;
    let head = raw.available();
    if head.len() < 10 {
        return Err("the file ends inside a gzip header".into());
    }
    if head[0] != 0x1f || head[1] != 0x8b || head[2] != 8 {
        return Err("not a gzip header".into());
    }
    let flags = head[3];
    raw.pos += 10;
    if flags & 0x04 != 0 {
        raw.fill(2).map_err(io)?;
        let a = raw.available();
        if a.len() < 2 {
            return Err("the file ends inside a gzip header".into());
        }
        let xlen = u16::from_le_bytes([a[0], a[1]]) as usize;
        raw.fill(2 + xlen).map_err(io)?;
        if raw.available().len() < 2 + xlen {
            return Err("the file ends inside a gzip header".into());
        }
        raw.pos += 2 + xlen;
    }
    for bit in [0x08, 0x10] {
        if flags & bit != 0 {
            loop {
                raw.fill(1).map_err(io)?;
                let a = raw.available();
                if a.is_empty() {
                    return Err("the file ends inside a gzip header".into());
                }
                match a.iter().position(|&c| c == 0) {
                    Some(p) => {
                        raw.pos += p + 1;
                        break;
                    }
                    None => raw.pos += a.len(),
                }
            }
        }
    }
    if flags & 0x02 != 0 {
        raw.pos += 2;
    }
    let mut inflater = Decompress::new(false);
    let mut out: Vec<u8> = Vec::with_capacity(64 << 10);
    let mut crc = flate2::Crc::new();
    loop {
        raw.fill(1).map_err(io)?;
        if raw.available().is_empty() {
            return Err(format!(
                "the file ends inside the member (after {} bytes of content)",
                out.len()
            ));
        }
        if out.len() == out.capacity() {
            if out.len() >= MAX_RECORD_BYTES {
                return Err(format!(
                    "member inflates to over {MAX_RECORD_BYTES} bytes; not read"
                ));
            }
            out.reserve(out.len().clamp(64 << 10, 8 << 20));
        }
        let (in0, out0) = (inflater.total_in(), out.len());
        let status = inflater
            .decompress_vec(raw.available(), &mut out, FlushDecompress::None)
            .map_err(|e| format!("bad deflate data ({e})"))?;
        raw.pos += (inflater.total_in() - in0) as usize;
        crc.update(&out[out0..]);
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                if inflater.total_in() == in0 && out.len() == out0 {
                    // No progress with input left: fetch more.
                    let before = raw.available().len();
                    raw.fill(before + 1).map_err(io)?;
                    if raw.available().len() == before {
                        return Err(format!(
                            "the file ends inside the member (after {} bytes of content)",
                            out.len()
                        ));
                    }
                }
            }
        }
    }
    raw.fill(8).map_err(io)?;
    let t = raw.available();
    if t.len() < 8 {
        return Err("the file ends inside the member's trailer".into());
    }
    let want_crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
    let want_len = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
    raw.pos += 8;
    if want_crc != crc.sum() || want_len != crc.amount() {
        return Err("CRC or length check failed".into());
    }
    Ok(out)
}

/// Why a record gave no page: a message to follow `record N`.
enum Problem {
    /// A record that cannot be read, or a page without an article.
    Bad(String),
    /// A response that is no page to code (not 200, not HTML): skipped by design.
    Skip(String),
}

/// The page of a record: `Ok(None)` for records that are not responses (passed over),
/// `Err(" (URI): problem")` for responses that are not a readable HTML page.
fn page_of(
    rec: &WarcRecord,
    number: usize,
    opts: &ReadOptions,
) -> Result<Option<WarcPage>, Problem> {
    if !rec
        .header("WARC-Type")
        .is_some_and(|t| t.eq_ignore_ascii_case("response"))
    {
        return Ok(None);
    }
    let uri = rec
        .header("WARC-Target-URI")
        .map(|u| u.trim_matches(['<', '>']).to_string())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| Problem::Bad(": response has no WARC-Target-URI".to_string()))?;
    let at = |problem: String| Problem::Bad(format!(" ({uri}): {problem}"));
    let skip = |problem: String| Problem::Skip(format!(" ({uri}): {problem}"));
    let http = parse_http(&rec.block).map_err(at)?;
    if http.status != 200 {
        return Err(skip(format!("HTTP status {}; skipped", http.status)));
    }
    let ctype = http.header("Content-Type").unwrap_or("").to_string();
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let body = decode_body(&http).map_err(at)?;
    let html_type = matches!(mime.as_str(), "text/html" | "application/xhtml+xml");
    let sniffed_html = mime.is_empty() && looks_like_html(&body);
    if !(html_type || sniffed_html) {
        let shown = if mime.is_empty() { "none" } else { &mime };
        return Err(skip(format!(
            "not an HTML page (Content-Type {shown}); skipped"
        )));
    }
    let text = html::decode_html(&body, Some(&ctype));
    let article = html::extract_article(&text, Some(&uri)).map_err(at)?;
    if article.text.len() > opts.max_record_bytes {
        return Err(at(format!(
            "text is {} bytes, over the limit of {} bytes",
            article.text.len(),
            opts.max_record_bytes
        )));
    }
    let fetched = rec.header("WARC-Date").and_then(crate::parse_loose_date);
    let (date, date_basis) = match (article.date, fetched) {
        (Some(d), _) => (Some(d), DateBasis::Page),
        (None, Some(d)) => (Some(d), DateBasis::Fetched),
        (None, None) => (opts.default_date, DateBasis::Default),
    };
    let source = article
        .site
        .or_else(|| crate::url_host(article.url.as_deref().unwrap_or(&uri)));
    Ok(Some(WarcPage {
        record: number,
        document: Document {
            id: uri.clone(),
            text: article.text,
            date,
            title: article.title,
            url: article.url.or(Some(uri)),
            source,
            date_basis: (date_basis == DateBasis::Fetched).then_some(Basis::Fetched),
        },
        date_basis,
    }))
}

/// An HTTP response as the crawler received it.
struct Http<'a> {
    status: u16,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl Http<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn parse_http(block: &[u8]) -> Result<Http<'_>, String> {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| {
            block
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|p| (p, p + 2))
        })
        .ok_or("no HTTP header in the response block")?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .strip_prefix("HTTP/")
        .and_then(|s| s.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("bad HTTP status line {:?}", status_line.trim()))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Http {
        status,
        headers,
        body: &block[end.1..],
    })
}

/// The payload without chunked transfer coding and gzip/deflate content coding (Common
/// Crawl keeps bodies decoded and renames those headers; other crawlers may not).
fn decode_body(http: &Http<'_>) -> Result<Vec<u8>, String> {
    let mut body = http.body.to_vec();
    if http
        .header("Transfer-Encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        body = dechunk(&body).ok_or("bad chunked transfer coding")?;
    }
    match http
        .header("Content-Encoding")
        .map(|e| e.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") | Some("identity") => Ok(body),
        Some(enc @ ("gzip" | "x-gzip" | "deflate")) => {
            let mut out = Vec::new();
            let limit = MAX_RECORD_BYTES as u64 + 1;
            let r = if enc == "deflate" {
                flate2::read::ZlibDecoder::new(&body[..])
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                flate2::read::MultiGzDecoder::new(&body[..])
                    .take(limit)
                    .read_to_end(&mut out)
            };
            r.map_err(|e| format!("bad {enc} content coding ({e})"))?;
            if out.len() > MAX_RECORD_BYTES {
                return Err(format!("body inflates to over {MAX_RECORD_BYTES} bytes"));
            }
            Ok(out)
        }
        Some(other) => Err(format!(
            "content coding {other:?} is not supported; skipped"
        )),
    }
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = b.iter().position(|&c| c == b'\n')?;
        let size_text = String::from_utf8_lossy(&b[..nl]);
        let size_text = size_text.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        b = &b[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = &b[size..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    head.contains("<html") || head.trim_start().starts_with("<!doctype html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_chunks() {
        let h = parse_http(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>x</p>")
            .unwrap();
        assert_eq!(h.status, 404);
        assert_eq!(h.header("content-type"), Some("text/html"));
        assert_eq!(h.body, b"<p>x</p>");
        assert!(parse_http(b"garbage").is_err());
        assert!(parse_http(b"SMTP 1\r\n\r\n").is_err());
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=1\r\npedia\r\n0\r\n\r\n").as_deref(),
            Some(&b"Wikipedia"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"9\r\nshort"), None);
    }

    #[test]
    fn plain_records_and_resync() {
        let text = b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n\
junk line\r\nWARC/1.1\r\nWARC-Type: metadata\r\nContent-Length: 2\r\n\r\nok\r\n\r\n";
        let mut got = Vec::new();
        for_each_record(Box::new(&text[..]), &mut |r| got.push(r));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().block, b"hello");
        assert!(got[1].as_ref().unwrap_err().contains("not a WARC record"));
        assert_eq!(
            got[2].as_ref().unwrap().header("warc-type"),
            Some("metadata")
        );
    }
}
