//! List every fax, across all pages, optionally since a date and in one
//! direction.
//!
//! ```sh
//! TELNYX_API_KEY=KEY... cargo run -p telnyx-fax --example list_faxes -- \
//!     [--since 2024-01-01T00:00:00Z] [--direction inbound|outbound] [--page-size 50]
//! ```
//!
//! Without a Telnyx account, run it against the Prism mock of the spec
//! (`scripts/prism.sh mock 4010` in another terminal):
//!
//! ```sh
//! TELNYX_API_KEY=test TELNYX_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p telnyx-fax --example list_faxes -- --since 2024-01-01T00:00:00Z
//! ```

use chrono::{DateTime, FixedOffset};
use telnyx_fax::prelude::*;

/// What to list: a filter and a page size.
struct Args {
    filter: FaxesListFilter,
    page_size: i64,
}

#[tokio::main]
async fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\nusage: list_faxes [--since RFC3339] [--direction inbound|outbound] [--page-size N]");
            std::process::exit(2);
        }
    };
    if let Err(err) = run(args).await {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut filter = FaxesListFilter::new();
    let mut page_size = 50;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--since" => {
                // Sent with the offset given (`+02:00` stays `+02:00`).
                let since: DateTime<FixedOffset> =
                    DateTime::parse_from_rfc3339(&value).map_err(|e| format!("--since {value}: {e}"))?;
                filter = filter.created_at(FaxesListFilterCreatedAt::new().gte(since));
            }
            "--direction" => {
                let direction = Direction::from(value.as_str());
                if direction.is_unknown() {
                    return Err(format!(
                        "--direction must be inbound or outbound, not {value:?}"
                    ));
                }
                filter = filter.direction(FaxesListFilterDirection::new().eq(direction));
            }
            "--page-size" => {
                page_size = value
                    .parse::<i64>()
                    .map_err(|e| format!("--page-size {value}: {e}"))?;
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Args { filter, page_size })
}

async fn run(args: Args) -> telnyx_fax::Result<()> {
    let client = Client::from_env()?;
    // Optional parameters are setters on the request (there is no status
    // filter in the API: filter on `fax.status` yourself).
    let list = client.faxes().list().filter(args.filter).page_size(args.page_size);

    // One page: the request as is (a clone, to reuse the request below).
    let first = list.clone().await?;
    if let Some(meta) = &first.meta {
        println!(
            "{} faxes in {} pages of {}",
            meta.total_results.unwrap_or(0),
            meta.total_pages.unwrap_or(0),
            meta.page_size.unwrap_or(0)
        );
    }

    // Every page: `into_stream` requests page 2, 3, ... as the stream is
    // read, and stops after the last page.
    let mut faxes = list.into_stream();
    let mut count = 0;
    while let Some(fax) = faxes.try_next().await? {
        count += 1;
        println!(
            "{:>4}. {}  {:<8} {:<16} {} -> {}  {}",
            count,
            fax.created_at.format("%Y-%m-%d %H:%M"),
            fax.direction.as_str(),
            fax.status.as_str(),
            fax.from.as_str(),
            fax.to.as_str(),
            fax.id.as_str(),
        );
    }
    println!("listed {count} faxes");
    Ok(())
}
