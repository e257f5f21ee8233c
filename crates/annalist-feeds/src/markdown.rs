//! Markdown files: one document per file, markup stripped to plain text. A YAML front
//! matter block (`---` … `---`) may give `title:`, `date:` (YYYY-MM-DD or a timestamp),
//! `url:` and `source:`; otherwise the first `#` heading is the title (and leaves the
//! text). Code blocks,
//! images, HTML tags and link targets are dropped; link texts, emphasis and list items
//! keep their words. The id is the front matter's `url`, else the hash of the text.
use annalist_model::Document;

/// The plain-text document of a Markdown file.
pub fn markdown_document(md: &str) -> Document {
    let md = md.trim_start_matches('\u{feff}');
    let mut doc = Document::default();
    let mut body = md;
    if let Some(rest) = md
        .strip_prefix("---\n")
        .or_else(|| md.strip_prefix("---\r\n"))
    {
        if let Some(end) = rest.find("\n---") {
            for line in rest[..end].lines() {
                if let Some((k, v)) = line.split_once(':') {
                    let v = v.trim().trim_matches(['"', '\'']).to_string();
                    match k.trim() {
                        "title" if !v.is_empty() => doc.title = Some(v),
                        "date" => doc.date = crate::parse_loose_date(&v),
                        "url" if !v.is_empty() => doc.url = Some(v),
                        "source" if !v.is_empty() => doc.source = Some(v),
                        _ => {}
                    }
                }
            }
            let after = &rest[end + 4..];
            body = after.split_once('\n').map(|(_, b)| b).unwrap_or("");
        }
    }
    let mut out = Vec::new();
    let mut in_code = false;
    for line in body.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
            out.push(String::new());
            continue;
        }
        if in_code
            || line.starts_with("    ")
                && !t.is_empty()
                && out.last().is_none_or(|l: &String| l.is_empty())
        {
            continue;
        }
        if t.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ')) && t.len() >= 3 {
            out.push(String::new()); // rules and setext underlines
            continue;
        }
        let mut t = t.trim_start_matches('>').trim_start();
        let heading = t.starts_with('#');
        t = t.trim_start_matches('#').trim_start();
        if let Some(rest) = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| t.strip_prefix("+ "))
        {
            t = rest;
        } else if let Some((num, rest)) = t.split_once(". ") {
            if !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) {
                t = rest;
            }
        }
        let inline = strip_inline(t);
        if heading {
            if doc.title.is_none() && !inline.is_empty() {
                // The first heading is the title, not part of the text.
                doc.title = Some(inline);
                continue;
            }
            out.push(String::new());
            out.push(inline);
            out.push(String::new());
        } else {
            out.push(inline);
        }
    }
    doc.text = crate::tidy_text(&out.join("\n"));
    doc.id = doc
        .url
        .clone()
        .unwrap_or_else(|| crate::content_id(&doc.text));
    doc
}

/// Inline markup: `![alt](src)` dropped, `[text](url)` → text, `<tags>` dropped,
/// emphasis and code marks removed.
fn strip_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '!' if chars.get(i + 1) == Some(&'[') => {
                // image: skip ![alt](src)
                if let Some(close) = find(&chars, i + 2, ']') {
                    if chars.get(close + 1) == Some(&'(') {
                        if let Some(end) = find(&chars, close + 2, ')') {
                            i = end + 1;
                            continue;
                        }
                    }
                }
                i += 1;
            }
            '[' => {
                if let Some(close) = find(&chars, i + 1, ']') {
                    let text: String = chars[i + 1..close].iter().collect();
                    let mut next = close + 1;
                    if chars.get(next) == Some(&'(') {
                        if let Some(end) = find(&chars, next + 1, ')') {
                            next = end + 1;
                        }
                    } else if chars.get(next) == Some(&'[') {
                        if let Some(end) = find(&chars, next + 1, ']') {
                            next = end + 1;
                        }
                    } else if chars.get(next) == Some(&':') {
                        // reference definition "[x]: url": drop the line
                        return out;
                    }
                    out.push_str(&strip_inline(&text));
                    i = next;
                    continue;
                }
                out.push(c);
                i += 1;
            }
            '<' => {
                if let Some(end) = find(&chars, i + 1, '>') {
                    let inner: String = chars[i + 1..end].iter().collect();
                    if inner.starts_with("http") {
                        out.push_str(&inner);
                    }
                    i = end + 1;
                    continue;
                }
                out.push(c);
                i += 1;
            }
            '*' | '`' | '~' => i += 1,
            '_' if (i == 0 || !chars[i - 1].is_alphanumeric())
                || (i + 1 >= chars.len() || !chars[i + 1].is_alphanumeric()) =>
            {
                i += 1
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn find(chars: &[char], from: usize, c: char) -> Option<usize> {
    (from..chars.len()).find(|&j| chars[j] == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup() {
        let d = markdown_document(
            "---\ntitle: \"Harbour report\"\ndate: 2025-04-02\n---\n# Harbour *reopens*\n\nThe [port authority](https://example.org/pa) said **on Monday** that ships may dock.\n\n![a crane](crane.png)\n\n- Ferries resume\n- Cargo `waits`\n\n```\ncode();\n```\n",
        );
        assert_eq!(d.title.as_deref(), Some("Harbour report"));
        assert_eq!(d.date, chrono::NaiveDate::from_ymd_opt(2025, 4, 2));
        assert_eq!(
            d.text,
            "Harbour reopens\n\nThe port authority said on Monday that ships may dock.\n\nFerries resume\nCargo waits"
        );
        assert!(d.id.starts_with("sha256:"));
        let d = markdown_document("# Title here\n\nsnake_case stays.\n");
        assert_eq!(d.title.as_deref(), Some("Title here"));
        assert_eq!(d.text, "snake_case stays.");
    }
}
