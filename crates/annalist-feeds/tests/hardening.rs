//! Issue 18 (hardening), the readers' findings: nested pages (2), plain-text ids (4)
//! and symlink loops in folders (5). Each failed on the main of the issue.
use annalist_feeds::{read_input, Document, ReadError, ReadOptions};
use std::path::Path;
use std::time::Duration;

/// Reads `path` on a thread, giving up after `limit` (a reader that never ends fails
/// the test instead of hanging it).
fn read_within(path: &Path, limit: Duration) -> (Vec<Document>, Vec<ReadError>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.to_str().unwrap().to_string();
    std::thread::spawn(move || {
        let (mut docs, mut errs) = (Vec::new(), Vec::new());
        read_input(&p, None, &ReadOptions::default(), &mut |r| match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        });
        let _ = tx.send((docs, errs));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("reading {} took over {limit:?}", path.display()))
}

/// Finding 4: plain-text ids were `STEM-N`, so `a/news.txt` and `b/news.txt` of one
/// folder were both `news-1` and the second replaced the first. Ids now carry the path
/// below the folder; a file given alone keeps its bare stem.
#[test]
fn plain_text_ids_come_from_the_path_below_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b", "b/deeper"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("news.txt"),
            format!("Story from {sub}.\n\nSecond story from {sub}.\n"),
        )
        .unwrap();
    }
    let (docs, errs) = read_within(dir.path(), Duration::from_secs(30));
    assert!(errs.is_empty(), "{errs:?}");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "a/news-1",
            "a/news-2",
            "b/deeper/news-1",
            "b/deeper/news-2",
            "b/news-1",
            "b/news-2"
        ]
    );
    let (alone, _) = read_within(&dir.path().join("a/news.txt"), Duration::from_secs(30));
    assert_eq!(alone[0].id, "news-1");
}

/// Finding 5: the walker followed symlinked folders without remembering them: one loop
/// read a file 41 times, two never finished. Each folder is now walked once.
#[cfg(unix)]
#[test]
fn symlink_loops_end_and_read_each_file_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("top.txt"), "Ministers met in Paris.\n").unwrap();
    std::fs::write(root.join("sub/inner.txt"), "Troops left the town.\n").unwrap();
    symlink(root, root.join("loop-to-root")).unwrap();
    symlink(root.join("sub"), root.join("sub/loop-to-self")).unwrap();
    symlink("..", root.join("sub/loop-up")).unwrap();
    let (docs, errs) = read_within(root, Duration::from_secs(30));
    assert!(errs.is_empty(), "{errs:?}");
    let mut texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    texts.sort();
    assert_eq!(texts, ["Ministers met in Paris.", "Troops left the town."]);
    // A symlinked folder that is no loop is still read.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("far.txt"), "Rebels shelled the port.\n").unwrap();
    symlink(other.path(), root.join("elsewhere")).unwrap();
    let (docs, _) = read_within(root, Duration::from_secs(30));
    assert_eq!(docs.len(), 3);
    assert!(docs.iter().any(|d| d.id == "elsewhere/far-1"));
}

/// Finding 2: extraction time grew with the square of the nesting (400 KB of nested
/// elements: over 100 s) and the fetch timeout did not cover it. A deeply nested page
/// is now refused before parsing, at once.
#[test]
fn deeply_nested_pages_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from("<!doctype html><html><head><title>t</title></head><body>");
    page.push_str(&"<div><span>".repeat(50_000)); // 550 KB, 100,000 deep
    page.push_str("Ministers met in Paris on Monday to discuss the treaty.");
    page.push_str("</body></html>");
    let path = dir.path().join("nested.html");
    std::fs::write(&path, &page).unwrap();
    let (docs, errs) = read_within(&path, Duration::from_secs(20));
    assert!(docs.is_empty());
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("nests elements"), "{}", errs[0]);

    // Extraction with a time limit gives up at the limit, whatever the page.
    let ordinary = format!(
        "<html><body><article><p>{}</p></article></body></html>",
        "Ministers met in Paris on Monday to discuss the treaty. ".repeat(20)
    );
    let e = annalist_feeds::html::extract_article_within(ordinary.clone(), None, Duration::ZERO)
        .unwrap_err();
    assert!(e.contains("took over"), "{e}");
    let a = annalist_feeds::html::extract_article_within(ordinary, None, Duration::from_secs(30))
        .unwrap();
    assert!(a.text.contains("treaty"));
}
