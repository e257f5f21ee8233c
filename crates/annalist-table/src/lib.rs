//! Hash tables of byte-string keys and values, written once (by a build script, from
//! the text dictionaries) and read in place from the bytes embedded in the program: a
//! lookup hashes the key, probes a slot array and compares bytes, with nothing to parse
//! or allocate at start-up. The compiled lexicon (`annalist-dict`) and gazetteer index
//! (`annalist-geo`) are such tables; `--dictionaries DIR` still parses text.
//!
//! Input: `(key, value)` pairs ([`TableWriter`]); output: bytes, read by [`Table`].
//! Layout (little-endian): the magic `ANTABLE1`; `u32` entry count; `u32` slot count
//! (a power of two, at most half full); then one `u64` per slot (0 = empty, else the
//! key's hash in the high 32 bits and 1 + the entry's offset in the low 32); then the
//! entries in insertion order, each `u16` key length, `u32` value length, key, value.
//! The hash ([`hash`]) is fixed by this crate, so writer and reader always agree.

const MAGIC: &[u8; 8] = b"ANTABLE1";
const HEADER: usize = 16;

/// The table's hash of a key: FNV-1a over 8-byte words then the tail, finished by a
/// multiply-xorshift (stable across platforms and releases).
#[inline]
pub fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ key.len() as u64;
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = 0u64;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        tail |= (b as u64) << (8 * i);
    }
    h = (h ^ tail).wrapping_mul(K);
    h ^= h >> 32;
    h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^ (h >> 29)
}

/// Why bytes are not a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError(pub String);

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "compiled table: {}", self.0)
    }
}

impl std::error::Error for TableError {}

/// Collects entries and writes the table's bytes. A key inserted twice keeps its last
/// value (as later lines of a dictionary file replace earlier ones).
#[derive(Debug, Default)]
pub struct TableWriter {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
    index: std::collections::HashMap<Vec<u8>, usize>,
}

impl TableWriter {
    pub fn new() -> TableWriter {
        TableWriter::default()
    }

    /// Adds `key` with `value`, replacing the value of an equal key.
    pub fn insert(&mut self, key: &[u8], value: &[u8]) {
        assert!(key.len() <= u16::MAX as usize, "table key too long");
        match self.index.get(key) {
            Some(&i) => self.entries[i].1 = value.to_vec(),
            None => {
                self.index.insert(key.to_vec(), self.entries.len());
                self.entries.push((key.to_vec(), value.to_vec()));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The table's bytes.
    pub fn finish(&self) -> Vec<u8> {
        let n = self.entries.len();
        let slots = (2 * n).max(2).next_power_of_two();
        let mask = slots - 1;
        let mut table = vec![0u64; slots];
        let mut body = Vec::new();
        for (k, v) in &self.entries {
            let offset = body.len();
            body.extend_from_slice(&(k.len() as u16).to_le_bytes());
            body.extend_from_slice(&(v.len() as u32).to_le_bytes());
            body.extend_from_slice(k);
            body.extend_from_slice(v);
            let h = hash(k);
            let mut s = h as usize & mask;
            while table[s] != 0 {
                s = (s + 1) & mask;
            }
            assert!(offset < u32::MAX as usize, "table too large");
            table[s] = (h >> 32) << 32 | (offset as u64 + 1);
        }
        let mut out = Vec::with_capacity(HEADER + 8 * slots + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&(slots as u32).to_le_bytes());
        for s in table {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(&body);
        out
    }
}

/// A table read in place.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    slots: &'a [u8],
    body: &'a [u8],
    mask: usize,
    len: usize,
}

#[inline]
fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

#[inline]
fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

impl<'a> Table<'a> {
    /// Reads the header and checks that every entry lies within the bytes (so no
    /// lookup can fail later); the entries themselves are not parsed.
    pub fn new(bytes: &'a [u8]) -> Result<Table<'a>, TableError> {
        let t = Self::trusted(bytes)?;
        t.check_entries()?;
        Ok(t)
    }

    /// Reads the header and checks the slot array's bounds, but trusts the entries:
    /// for tables the build wrote into the program, checked whole by [`Table::new`] in
    /// the tests, so that start-up does not walk them. A damaged entry makes a lookup
    /// that reaches it panic (every access is bounds-checked), never read out of bounds.
    pub fn trusted(bytes: &'a [u8]) -> Result<Table<'a>, TableError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(TableError("not a compiled table".into()));
        }
        let len = u32_at(bytes, 8);
        let slots = u32_at(bytes, 12);
        if !slots.is_power_of_two() || slots < len {
            return Err(TableError(format!("{slots} slots for {len} entries")));
        }
        let body_at = HEADER + 8 * slots;
        if bytes.len() < body_at {
            return Err(TableError("truncated slot array".into()));
        }
        Ok(Table {
            slots: &bytes[HEADER..body_at],
            body: &bytes[body_at..],
            mask: slots - 1,
            len,
        })
    }

    /// Every entry in bounds, and as many as the header says.
    fn check_entries(&self) -> Result<(), TableError> {
        let t = self;
        let mut at = 0;
        let mut count = 0;
        while at < t.body.len() {
            if at + 6 > t.body.len() {
                return Err(TableError(format!("entry at {at} truncated")));
            }
            let end = at + 6 + u16_at(t.body, at) + u32_at(t.body, at + 2);
            if end > t.body.len() {
                return Err(TableError(format!("entry at {at} out of bounds")));
            }
            at = end;
            count += 1;
        }
        if count != t.len {
            return Err(TableError(format!(
                "{count} entries, the header says {}",
                t.len
            )));
        }
        Ok(())
    }

    #[inline]
    fn slot(&self, s: usize) -> u64 {
        let at = 8 * s;
        let b = &self.slots[at..at + 8];
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    }

    /// The key and value of the entry at `offset` of the body.
    #[inline]
    fn entry(&self, offset: usize) -> (&'a [u8], &'a [u8]) {
        let b = self.body;
        let kl = u16_at(b, offset);
        let vl = u32_at(b, offset + 2);
        let k = offset + 6;
        (&b[k..k + kl], &b[k + kl..k + kl + vl])
    }

    /// The value of `key`, if present.
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<&'a [u8]> {
        if self.len == 0 {
            return None;
        }
        let h = hash(key);
        let tag = h >> 32;
        let mut s = h as usize & self.mask;
        loop {
            let slot = self.slot(s);
            if slot == 0 {
                return None;
            }
            if slot >> 32 == tag {
                let (k, v) = self.entry((slot & 0xFFFF_FFFF) as usize - 1);
                if k == key {
                    return Some(v);
                }
            }
            s = (s + 1) & self.mask;
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every `(key, value)`, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        let t = *self;
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= t.body.len() {
                return None;
            }
            let (k, v) = t.entry(at);
            at += 6 + k.len() + v.len();
            Some((k, v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_entries_are_found_and_others_not() {
        let mut w = TableWriter::new();
        for i in 0..1000u32 {
            w.insert(format!("key{i}").as_bytes(), &i.to_le_bytes());
        }
        w.insert(b"key7", b"replaced");
        w.insert(b"", b"empty key");
        let bytes = w.finish();
        let t = Table::new(&bytes).unwrap();
        assert_eq!(t.len(), 1001);
        assert_eq!(t.get(b"key999"), Some(&999u32.to_le_bytes()[..]));
        assert_eq!(t.get(b"key7"), Some(&b"replaced"[..]));
        assert_eq!(t.get(b""), Some(&b"empty key"[..]));
        assert_eq!(t.get(b"key1000"), None);
        assert_eq!(t.get(b"key"), None);
        let all: Vec<_> = t.iter().collect();
        assert_eq!(all.len(), 1001);
        assert_eq!(all[0], (&b"key0"[..], &0u32.to_le_bytes()[..]));
        assert_eq!(all[7].1, b"replaced");
        assert_eq!(all[1000].0, b"");
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let bytes = TableWriter::new().finish();
        let t = Table::new(&bytes).unwrap();
        assert!(t.is_empty());
        assert_eq!(t.get(b"x"), None);
        assert_eq!(t.iter().count(), 0);
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let mut w = TableWriter::new();
        w.insert(b"alpha", b"1");
        w.insert(b"beta", b"22");
        let bytes = w.finish();
        assert!(Table::new(&bytes[..bytes.len() - 1]).is_err());
        // `trusted` reads the same header but leaves the entries to the tests.
        assert!(Table::trusted(&bytes[..bytes.len() - 1]).is_ok());
        assert!(Table::trusted(&bytes[..20]).is_err(), "a cut slot array");
        assert_eq!(
            Table::trusted(&bytes).unwrap().get(b"beta"),
            Some(&b"22"[..])
        );
        assert!(Table::new(b"ANTABLE0\0\0\0\0\0\0\0\0").is_err());
        let mut more = bytes.clone();
        more.extend_from_slice(&[1, 0, 0, 0, 0, 0, b'x']);
        assert!(
            Table::new(&more).is_err(),
            "an entry the header does not count"
        );
    }

    #[test]
    fn the_hash_tells_keys_apart() {
        assert_eq!(hash(b"kyiv"), hash(b"kyiv"));
        assert_ne!(hash(b"ab"), hash(b"ba"));
        assert_ne!(hash(b"abcdefgh"), hash(b"abcdefgh\0"));
        assert_ne!(hash(b""), hash(b"\0"));
    }
}
