//! Issue 18 (hardening), the store's findings: paths that are not regular files
//! (finding 9).
use annalist_store::{OpenOptions, Store};

/// Finding 9: `--db /dev/null` was accepted (an empty "file"), and as root SQLite made
/// `/dev/null-journal`. Devices, pipes and sockets are refused, read-only or not.
#[cfg(unix)]
#[test]
fn paths_that_are_not_regular_files_are_refused() {
    let journal = std::path::Path::new("/dev/null-journal");
    let had_journal = journal.exists();
    for read_only in [false, true] {
        let e = Store::open(
            std::path::Path::new("/dev/null"),
            &OpenOptions {
                read_only,
                ..Default::default()
            },
        )
        .err()
        .expect("/dev/null opened as a database");
        assert!(
            e.to_string().contains("not a regular file"),
            "read_only={read_only}: {e}"
        );
    }
    assert_eq!(journal.exists(), had_journal, "a journal was made in /dev");
}
