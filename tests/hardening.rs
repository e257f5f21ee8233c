//! Issue 18 (hardening) through the binary: a database in a folder the user cannot
//! write (finding 7) and plain-text files of one name in two folders (finding 4).
use std::path::Path;
use std::process::{Command, Output};

fn annalist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .unwrap()
}

/// `annalist ARGS` as a user who cannot write `dir`: as root (who can write anything),
/// as `nobody` through `setpriv`; otherwise as ourselves with `dir` made read-only.
/// `None` when neither is possible here.
fn as_reader(dir: &Path, args: &[&str]) -> Option<Output> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let out = if is_root {
        let setpriv = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_annalist"))
            .args(args)
            .output();
        match setpriv {
            Ok(o) => o,
            Err(e) => {
                assert!(
                    std::env::var_os("ANNALIST_REQUIRE_TOOLS").is_none(),
                    "setpriv: {e}"
                );
                println!("SKIPPED: no setpriv to drop root ({e})");
                return None;
            }
        }
    } else {
        annalist(args)
    };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    Some(out)
}

/// Finding 7: a WAL database in a folder the reader cannot write (another user's, a
/// mounted archive) failed `stats`, `timeline` and `export` with "cannot write the
/// database": SQLite could not make its `-shm` file. It is now opened immutable.
#[cfg(unix)]
#[test]
fn a_database_in_a_read_only_folder_can_be_queried() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let db_s = db.to_str().unwrap();
    let out = annalist(&["ingest", "--sample", "--db", db_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    assert!(!Path::new(&shm).exists(), "ingest left its -shm behind");
    let mut stats = Vec::new();
    for args in [
        vec!["stats", "--json", "--db", db_s],
        vec!["timeline", "--json", "--db", db_s],
        vec!["export", "--format", "jsonl", "--db", db_s],
    ] {
        let Some(out) = as_reader(dir.path(), &args) else {
            return;
        };
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{args:?}: no output");
        if args[0] == "stats" {
            stats = out.stdout;
        }
    }
    assert!(!Path::new(&shm).exists(), "a reader made a -shm file");
    let direct = annalist(&["stats", "--json", "--db", db_s]);
    assert_eq!(stats, direct.stdout);
}

/// Finding 4: `a/news.txt` and `b/news.txt` of one folder were both `news-1`; the
/// second silently replaced the first ("1 replaced", exit 0).
#[test]
fn same_named_text_files_in_two_folders_are_two_documents() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    for (sub, text) in [
        ("a", "Russian forces shelled Kharkiv on Monday."),
        (
            "b",
            "Protesters in Nairobi marched on parliament on Tuesday.",
        ),
    ] {
        std::fs::create_dir_all(news.join(sub)).unwrap();
        std::fs::write(news.join(sub).join("news.txt"), format!("{text}\n")).unwrap();
    }
    let db = dir.path().join("n.db");
    let out = annalist(&[
        "ingest",
        news.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--date",
        "2025-03-12",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("2 documents added, 0 replaced"), "{stderr}");
}
