//! Issue 20's Standard Webhooks probe: the time of one verification of a
//! 1 MiB body against a `webhook-signature` header of 1, 31 or 2,000
//! entries (fake ones, with or without a valid one last). Before the MAC was
//! computed once per verification, 2,000 fake entries cost 1.17 s in a debug
//! build against 0.59 ms for one; a header of more than
//! `webhooks::MAX_SIGNATURE_ENTRIES` is now refused unread.
//!
//! `cargo run -p telnyx-fax --example webhook_probe` (the figures in
//! BENCHMARKS.md, "Issue 20"). A timing probe, not a test.

use std::time::{Duration, Instant, UNIX_EPOCH};

use telnyx_fax::webhooks::StandardWebhooksVerifier;

fn main() {
    let verifier = StandardWebhooksVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .expect("a valid test secret")
        .with_clock(|| UNIX_EPOCH + Duration::from_secs(1_700_000_010));
    let body = vec![b'x'; 1024 * 1024];
    let valid = verifier.sign("msg_1", 1_700_000_000, &body);
    let cases = [
        ("1 fake entry", 1, false),
        ("2,000 fake entries", 2000, false),
        ("2,000 fake entries and a valid one", 2000, true),
        ("31 fake entries and a valid one", 31, true),
    ];
    for (label, fakes, with_valid) in cases {
        let mut signature = vec!["v1,AAAA"; fakes].join(" ");
        if with_valid {
            signature.push(' ');
            signature.push_str(&valid);
        }
        let headers = [
            ("webhook-id", "msg_1".to_string()),
            ("webhook-timestamp", "1700000000".to_string()),
            ("webhook-signature", signature.clone()),
        ];
        let started = Instant::now();
        let outcome = verifier.verify(&body, &headers);
        println!(
            "{label}: header {} B, {:?}, {:?}",
            signature.len(),
            started.elapsed(),
            outcome.map_err(|e| e.kind())
        );
    }
}
