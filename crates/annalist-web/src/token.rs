//! The write token check: a constant-time comparison, so the time a refusal takes does
//! not tell an attacker how many leading bytes of a guess were right.

/// `true` when `a == b`. Runs in time that depends only on the lengths: every byte pair
/// is compared, differences are OR-ed together, and the result is read once at the end.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // Fold the length difference in too, comparing against `a` repeated if lengths differ
    // (the loop length depends on the guess's length only, never on the secret's content).
    let mut diff = (a.len() ^ b.len()) as u64;
    for (i, &y) in b.iter().enumerate() {
        let x = if a.is_empty() { 0 } else { a[i % a.len()] };
        diff |= (x ^ y) as u64;
    }
    std::hint::black_box(diff) == 0
}

/// The token of an `Authorization: Bearer TOKEN` header value, if it is one.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_exactly() {
        assert!(constant_time_eq(b"s3cret-token", b"s3cret-token"));
        assert!(!constant_time_eq(b"s3cret-token", b"s3cret-tokem"));
        assert!(!constant_time_eq(b"s3cret-token", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3cret-token"));
        assert!(!constant_time_eq(b"s3cret", b""));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
        // A guess that repeats the secret is still wrong.
        assert!(!constant_time_eq(b"ab", b"abab"));
    }

    #[test]
    fn reads_bearer_headers() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("abc"), None);
    }
}
