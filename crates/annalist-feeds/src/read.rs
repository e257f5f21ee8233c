//! Files and folders to documents, whatever their format. The format comes from the
//! `--format` flag, else the file name (after a `.gz` suffix): `.jsonl/.ndjson/.json` →
//! JSON Lines, `.txt/.text` → plain text (blank-line-separated blocks), `.md/.markdown`
//! → Markdown (one document per file), `.html/.htm/.xhtml` → an HTML article page,
//! `.xml/.rss/.atom/.rdf` → a feed; else the first bytes decide (`<rss`, `<feed`,
//! `<rdf:RDF` → feed, `<html`/`<!doctype html` → HTML, `{` → JSON Lines, anything else
//! → plain text). Gzip is recognised by its magic bytes, whatever the name. A folder is
//! walked recursively in name order; hidden entries are skipped and so are files whose
//! name has none of the extensions above; a symlinked folder is followed unless it was
//! walked already (same device and inode), so symlink loops end. Errors name the file
//! (and line for JSON Lines and text); a truncated gzip yields the complete records
//! before the damage (JSON Lines, text) or nothing (the whole-file formats), never a
//! partial document. Limits hold while reading, after decompression: no line or text
//! block over `max_record_bytes` and no whole file over [`MAX_FILE_BYTES`] is held in
//! memory, whatever a `.gz` expands to.
//!
//! **Plain-text ids** are `STEM-N`, N the block's place in its file: STEM is the file's
//! path relative to the folder given (`a/news` for `FOLDER/a/news.txt`), or its name
//! alone for a file given by itself (`news` for `news.txt`), without `.gz` and the
//! extension; so `a/news.txt` and `b/news.txt` of one folder never share an id.
use crate::{feed, html, markdown, warc};
use annalist_io::{ReadError, ReadOptions};
use annalist_model::Document;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    JsonLines,
    PlainText,
    Markdown,
    Html,
    Feed,
    /// A web archive (`.warc`, `.warc.gz`): one document per HTML page fetched.
    Warc,
}

/// Largest whole file (feed, HTML page, Markdown) read, after decompression.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

impl InputKind {
    /// The format a file name names, ignoring a `.gz` suffix; `None` when it names none.
    pub fn for_name(name: &str) -> Option<InputKind> {
        let lower = name.to_ascii_lowercase();
        let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "jsonl" | "ndjson" | "json" => InputKind::JsonLines,
            "txt" | "text" => InputKind::PlainText,
            "md" | "markdown" => InputKind::Markdown,
            "html" | "htm" | "xhtml" => InputKind::Html,
            "xml" | "rss" | "atom" | "rdf" => InputKind::Feed,
            "warc" => InputKind::Warc,
            _ => return None,
        })
    }

    /// The format the first bytes of a file suggest.
    pub fn sniff(head: &[u8]) -> InputKind {
        let head = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
        let t = head.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with("warc/1.") {
            return InputKind::Warc;
        }
        if t.starts_with('{') {
            return InputKind::JsonLines;
        }
        if t.starts_with('<') {
            if t.contains("<rss") || t.contains("<feed") || t.contains("<rdf:rdf") {
                return InputKind::Feed;
            }
            if t.contains("<html") || t.starts_with("<!doctype html") {
                return InputKind::Html;
            }
        }
        InputKind::PlainText
    }
}

/// Reads a file, a folder (recursively) or `-` (standard input), calling `sink` for each
/// document or error.
pub fn read_input(
    path: &str,
    kind: Option<InputKind>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    if path == "-" {
        let stdin = std::io::stdin();
        return read_stream(
            path,
            Box::new(stdin.lock()),
            kind.or(Some(InputKind::JsonLines)),
            opts,
            sink,
        );
    }
    let p = Path::new(path);
    if p.is_dir() {
        let mut files = Vec::new();
        if let Err(e) = walk(p, &mut files, &mut Default::default()) {
            return sink(Err(file_error(
                path,
                format!("cannot read the folder: {e}"),
            )));
        }
        if files.is_empty() {
            return sink(Err(file_error(
                path,
                "folder holds no readable files".into(),
            )));
        }
        for f in files {
            let stem = f.strip_prefix(p).ok().map(relative_stem);
            read_file(&f.to_string_lossy(), stem.as_deref(), kind, opts, sink);
        }
        return;
    }
    read_file(path, None, kind, opts, sink);
}

/// The id stem of a file found in a folder: its path below the folder, `/`-separated,
/// without `.gz` and its extension (`a/news.txt.gz` → `a/news`).
fn relative_stem(rel: &Path) -> String {
    let joined = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let s = joined
        .strip_suffix(".gz")
        .or_else(|| joined.strip_suffix(".GZ"))
        .unwrap_or(&joined);
    let name_at = s.rfind('/').map_or(0, |i| i + 1);
    match s[name_at..].rfind('.') {
        Some(dot) if dot > 0 => s[..name_at + dot].to_string(),
        _ => s.to_string(),
    }
}

fn file_error(file: &str, message: String) -> ReadError {
    ReadError {
        file: file.to_string(),
        line: 0,
        message,
        skipped: false,
    }
}

/// A folder's identity: symlinks to one folder, or a loop, lead to the same one.
#[cfg(unix)]
type FolderKey = (u64, u64);
#[cfg(not(unix))]
type FolderKey = std::path::PathBuf;

#[cfg(unix)]
fn folder_key(_dir: &Path, meta: &std::fs::Metadata) -> Option<FolderKey> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn folder_key(dir: &Path, _meta: &std::fs::Metadata) -> Option<FolderKey> {
    std::fs::canonicalize(dir).ok()
}

/// Files under `dir` with a known extension, sorted, hidden entries skipped; each
/// folder (symlinked or not) walked once.
fn walk(
    dir: &Path,
    out: &mut Vec<std::path::PathBuf>,
    visited: &mut std::collections::HashSet<FolderKey>,
) -> std::io::Result<()> {
    let meta = std::fs::metadata(dir)?;
    if let Some(key) = folder_key(dir, &meta) {
        if !visited.insert(key) {
            return Ok(());
        }
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.as_deref().is_none_or(|n| n.starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, visited)?;
        } else if InputKind::for_name(name.as_deref().unwrap_or("")).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

fn read_file(
    path: &str,
    id_stem: Option<&str>,
    kind: Option<InputKind>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    match std::fs::File::open(path) {
        Ok(f) => read_stream_as(path, id_stem, Box::new(BufReader::new(f)), kind, opts, sink),
        Err(e) => sink(Err(file_error(path, format!("cannot open: {e}")))),
    }
}

/// Reads one stream: gunzips it when it starts with the gzip magic, then reads it in
/// `kind`, else the format its name or its first bytes suggest.
pub fn read_stream(
    name: &str,
    reader: Box<dyn BufRead + '_>,
    kind: Option<InputKind>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    read_stream_as(name, None, reader, kind, opts, sink)
}

/// [`read_stream`], plain-text ids made with `id_stem` (else the stem of `name`).
pub fn read_stream_as(
    name: &str,
    id_stem: Option<&str>,
    mut reader: Box<dyn BufRead + '_>,
    kind: Option<InputKind>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let (gz, gz_warc) = match reader.fill_buf() {
        Ok(head) => (head.starts_with(&[0x1f, 0x8b]), gzip_holds_warc(head)),
        Err(e) => return sink(Err(file_error(name, format!("read error: {e}")))),
    };
    // A WARC is inflated member by member by its own reader (a bad member is skipped,
    // not the end of the file).
    let named = kind.or_else(|| InputKind::for_name(name));
    if named == Some(InputKind::Warc) || (named.is_none() && gz_warc) {
        return warc::read_warc(name, reader, opts, sink);
    }
    let mut reader: Box<dyn BufRead + '_> = if gz {
        Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader)))
    } else {
        reader
    };
    let kind = match named {
        Some(k) => k,
        None => match reader.fill_buf() {
            Ok(head) => InputKind::sniff(head),
            Err(e) => return sink(Err(file_error(name, gz_message(gz, e)))),
        },
    };
    // Line errors of the streaming readers say "read error: …"; for gzip say why.
    let mut gz_sink = |r: Result<Document, ReadError>| {
        sink(r.map_err(|mut e| {
            if gz && e.message.starts_with("read error") {
                e.message = format!("truncated or corrupt gzip data: {}", &e.message[12..]);
            }
            e
        }))
    };
    match kind {
        InputKind::JsonLines => annalist_io::read_json_lines(name, reader, opts, &mut gz_sink),
        InputKind::PlainText => {
            // Ids are STEM-N with the given stem, else the name's without ".gz".
            let stem = id_stem.map(str::to_string).unwrap_or_else(|| {
                let stem_name = name.strip_suffix(".gz").unwrap_or(name);
                Path::new(stem_name)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| stem_name.to_string())
            });
            annalist_io::read_plain_text_as(name, &stem, reader, opts, &mut gz_sink)
        }
        whole => {
            let mut bytes = Vec::new();
            if let Err(e) = reader
                .by_ref()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
            {
                return gz_sink(Err(file_error(name, gz_message(gz, e))));
            }
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return gz_sink(Err(file_error(
                    name,
                    format!("file is over the limit of {MAX_FILE_BYTES} bytes"),
                )));
            }
            read_whole(name, &bytes, whole, opts, &mut gz_sink);
        }
    }
}

/// Whether a gzip stream's first bytes inflate to a WARC record's version line.
fn gzip_holds_warc(head: &[u8]) -> bool {
    if !head.starts_with(&[0x1f, 0x8b]) {
        return false;
    }
    let mut first = [0u8; 8];
    let mut d = flate2::bufread::GzDecoder::new(head);
    let mut n = 0;
    while n < first.len() {
        match d.read(&mut first[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    InputKind::sniff(&first[..n]) == InputKind::Warc
}

fn gz_message(gz: bool, e: std::io::Error) -> String {
    if gz {
        format!("truncated or corrupt gzip data: {e}; nothing read from it")
    } else {
        format!("read error: {e}")
    }
}

/// Reads a whole-file format from its bytes.
pub fn read_whole(
    name: &str,
    bytes: &[u8],
    kind: InputKind,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    match kind {
        InputKind::Feed => feed::read_feed(name, bytes, opts, sink),
        InputKind::Warc => warc::read_warc(name, Box::new(bytes), opts, sink),
        InputKind::JsonLines => annalist_io::read_json_lines(name, bytes, opts, sink),
        InputKind::PlainText => annalist_io::read_plain_text(name, bytes, opts, sink),
        InputKind::Html | InputKind::Markdown => {
            let decoded;
            let text = if kind == InputKind::Html {
                decoded = html::decode_html(bytes, None);
                &decoded
            } else {
                match std::str::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        return sink(Err(file_error(
                            name,
                            format!("not valid UTF-8 (byte {})", e.valid_up_to()),
                        )))
                    }
                }
            };
            let doc = if kind == InputKind::Html {
                match html::extract_article(text, None) {
                    Ok(a) => Document {
                        id: a.url.clone().unwrap_or_else(|| crate::content_id(&a.text)),
                        date: a.date.or(opts.default_date),
                        source: a
                            .site
                            .or_else(|| a.url.as_deref().and_then(crate::url_host)),
                        text: a.text,
                        title: a.title,
                        url: a.url,
                        date_basis: None,
                    },
                    Err(e) => return sink(Err(file_error(name, e))),
                }
            } else {
                let mut d = markdown::markdown_document(text);
                if d.text.is_empty() {
                    return sink(Err(file_error(name, "Markdown file has no text".into())));
                }
                d.date = d.date.or(opts.default_date);
                d
            };
            if doc.text.len() > opts.max_record_bytes {
                return sink(Err(file_error(
                    name,
                    format!(
                        "text is {} bytes, over the limit of {} bytes",
                        doc.text.len(),
                        opts.max_record_bytes
                    ),
                )));
            }
            sink(Ok(doc))
        }
    }
}
