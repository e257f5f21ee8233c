//! Issue 18, finding 6: limits were checked after reading, so a 1 MB `.jsonl.gz` or
//! `.txt.gz` of zeros expanded to 1 GB in memory before the record limit rejected it.
//! This test binary counts the bytes allocated (a counting global allocator) and reads
//! gzip bombs: the peak must stay near the record limit, not the expanded size. It
//! holds one test only, so no other test's allocations count.
use annalist_feeds::{read_input, ReadOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new > l.size() {
                let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

/// `mib` MiB of `byte` as gzip: one member of 1 MiB repeated (gzip members
/// concatenate), so the file is small and quick to make.
fn bomb(byte: u8, mib: usize) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![byte; 1 << 20]).unwrap();
    let member = enc.finish().unwrap();
    member.repeat(mib)
}

#[test]
fn gzip_bombs_are_read_within_the_record_limit() {
    let dir = tempfile::tempdir().unwrap();
    let expanded_mib = 256;
    let opts = ReadOptions::default(); // 1 MiB records
    for (name, byte) in [
        ("zeros.jsonl.gz", b'0'),
        ("zeros.txt.gz", b'0'),
        ("spaces.txt.gz", b'x'),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bomb(byte, expanded_mib)).unwrap();
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let mut errors = Vec::new();
        let mut docs = 0;
        read_input(path.to_str().unwrap(), None, &opts, &mut |r| match r {
            Ok(_) => docs += 1,
            Err(e) => errors.push(e.to_string()),
        });
        let peak = PEAK.load(Ordering::Relaxed) - before;
        assert_eq!(docs, 0, "{name}");
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert!(errors[0].contains("over the limit"), "{name}: {errors:?}");
        assert!(
            peak < 16 << 20,
            "{name}: {expanded_mib} MiB expanded, {} MiB held at the peak",
            peak >> 20
        );
    }
}
