//! The API prefix of a path: the leading segments that say which API or
//! which version a path belongs to (`/v1`, `/api`, `/rest/api/2`,
//! `/2010-04-01`, `/sapi/v1`) rather than which resource it is. Resources are
//! named from what follows it, so `GET /v1/customers` is
//! `client.customers().list()`, not `client.v1().customers().list()`, and the
//! per-resource cargo features split the crate at its real resources.
//!
//! Only the resource tree changes: the request still goes to the whole
//! path under the server URL the document gives. Moving the prefix into the
//! base URL instead was weighed and not done: servers of one document may
//! differ (one with the prefix, one without, or `{variables}` around it),
//! documents that mix versions (`/api/v1`, `/api/v2`) have no one prefix,
//! the API's own SDKs and a user's base-URL override mean the server root
//! (`https://api.stripe.com`, not `.../v1`), and next-page URLs the server
//! sends carry the whole path: keeping the path whole keeps all of these true.
//!
//! Where two versions would give one method twice (`GET /v1/customers` and
//! `GET /v2/customers` both `customers().list()`), the root resources
//! involved keep their version (`client.v1().customers()`,
//! `client.v2().customers()`) and the others do not: resources per version
//! only where names would collide.

/// Words that name an API, not a resource, when they lead a path.
const API_WORDS: &[&str] = &["api", "apis", "rest"];

/// Segments before a version segment that may still belong to the prefix
/// (`/services/data/v58.0`, `/sapi/v1`).
const MAX_WORDS_BEFORE_VERSION: usize = 2;

/// A version segment: `v1`, `V2`, `v1.1`, `v1_alpha`, `v2beta1`, a plain
/// number or dotted number (`2`, `2.0`), or a date (`2010-04-01`, `2024-01`).
pub(super) fn is_version(seg: &str) -> bool {
    let b = seg.as_bytes();
    let versioned = matches!(b, [b'v' | b'V', d, ..] if d.is_ascii_digit())
        && b[1..].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
    let dotted = !b.is_empty() && b[0].is_ascii_digit() && b.iter().all(|c| c.is_ascii_digit() || *c == b'.') && !seg.ends_with('.');
    let date = {
        let parts: Vec<&str> = seg.split('-').collect();
        matches!(parts.as_slice(), [y, m] | [y, m, _] if y.len() == 4 && m.len() == 2)
            && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    };
    versioned || dotted || date
}

/// How many leading segments of `path` are its API prefix (0 when none).
/// A prefix ends at a version segment among the first
/// `MAX_WORDS_BEFORE_VERSION + 1` literal segments, else it is a lone API
/// word (`/api/orders`); a path is never left without a literal segment
/// to name its resource (`/v1/{id}` keeps `v1`).
pub(super) fn api_prefix(path: &str) -> usize {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let literal_lead = segs.iter().take_while(|s| !s.contains('{')).count();
    let window = literal_lead.min(MAX_WORDS_BEFORE_VERSION + 1);
    let n = match (0..window).rev().find(|&i| is_version(segs[i])) {
        Some(i) => i + 1,
        None if literal_lead > 0 && API_WORDS.contains(&segs[0].to_ascii_lowercase().as_str()) => 1,
        None => 0,
    };
    if segs[n..].iter().any(|s| !s.contains('{')) {
        n
    } else {
        0
    }
}

/// The segments of a prefix kept when versions collide: the prefix from
/// its first segment that is not an API word (`/api/v1` -> `v1`, `/sapi/v1`
/// -> `sapi/v1`).
pub(super) fn kept_on_collision(prefix: &[&str]) -> usize {
    prefix.iter().take_while(|s| API_WORDS.contains(&s.to_ascii_lowercase().as_str())).count().min(prefix.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for yes in ["v1", "V2", "v1.1", "v1_alpha", "v2beta1", "2", "2.0", "2010-04-01", "2024-01"] {
            assert!(is_version(yes), "{yes}");
        }
        for no in ["vendors", "v", "api", "customers", "2fa", "1.", "2010-4-01", "x1"] {
            assert!(!is_version(no), "{no}");
        }
    }

    #[test]
    fn prefixes() {
        for (path, n) in [
            ("/v1/customers", 1),
            ("/v1/customers/{id}", 1),
            ("/api/v2/channels", 2),
            ("/rest/api/2/issue", 3),
            ("/services/data/v58.0/sobjects", 3),
            ("/sapi/v1/margin/order", 2),
            ("/2010-04-01/Accounts.json", 1),
            ("/api/orders", 1),
            ("/customers", 0),
            ("/v1", 0),
            ("/v1/{id}", 0),
            ("/api/{id}", 0),
            ("/companies/{companyId}/v1/things", 0),
            ("/a/b/c/v1/things", 0),
        ] {
            assert_eq!(api_prefix(path), n, "{path}");
        }
        assert_eq!(kept_on_collision(&["api", "v1"]), 1);
        assert_eq!(kept_on_collision(&["v1"]), 0);
        assert_eq!(kept_on_collision(&["sapi", "v1"]), 0);
        assert_eq!(kept_on_collision(&["api"]), 0);
    }
}
