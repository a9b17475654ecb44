//! Manage a fax application: create, retrieve, update, find it in the list,
//! and delete it.
//!
//! ```sh
//! TELNYX_API_KEY=KEY... cargo run -p telnyx-fax --example manage_application -- \
//!     [name] [webhook_url]
//! ```
//!
//! Without a Telnyx account, run it against the Prism mock of the spec
//! (`scripts/prism.sh mock 4010` in another terminal); Prism answers with
//! the spec's examples, so the names printed are the examples' names:
//!
//! ```sh
//! TELNYX_API_KEY=test TELNYX_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p telnyx-fax --example manage_application
//! ```

use telnyx_fax::prelude::*;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let name = args
        .next()
        .unwrap_or_else(|| "fax-router-example".to_owned());
    let webhook_url = args
        .next()
        .unwrap_or_else(|| "https://example.com/fax-events".to_owned());
    if let Err(err) = run(&name, &webhook_url).await {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

fn describe(app: &FaxApplication) -> String {
    format!(
        "{} {:?} active={} anchor={} timeout={} webhook={} failover={}",
        app.id.as_str(),
        app.application_name.as_str(),
        app.active,
        app.anchorsite_override.as_str(),
        app.webhook_timeout_secs
            .map_or("default".to_owned(), |s| format!("{s}s")),
        app.webhook_event_url.as_str(),
        app.webhook_event_failover_url.as_deref().unwrap_or("none"),
    )
}

async fn run(name: &str, webhook_url: &str) -> telnyx_fax::Result<()> {
    let client = Client::from_env()?;
    let apps = client.fax_applications();

    let created = apps
        .create(
            CreateFaxApplicationRequest::new(name, webhook_url)
                .anchorsite_override(AnchorsiteOverride::ChicagoIl)
                .inbound(
                    CreateFaxApplicationRequestInbound::new()
                        .channel_limit(10i64)
                        .sip_subdomain_receive_settings(
                            SipSubdomainReceiveSettings::OnlyMyConnections,
                        ),
                )
                .tags(vec!["example".to_owned()])
                .webhook_timeout_secs(25i64),
        )
        .await?
        .data;
    let id = created.id.clone();
    println!("created   {}", describe(&created));

    let fetched = apps.retrieve(&id).await?.data;
    println!("retrieved {}", describe(&fetched));

    // An update sends the required fields again; `None` on a nullable field
    // sends an explicit null (here: clear the failover URL and go back to
    // the default webhook timeout).
    let updated = apps
        .update(
            &id,
            UpdateFaxApplicationRequest::new(format!("{name}-eu"), webhook_url)
                .active(false)
                .anchorsite_override(AnchorsiteOverride::AmsterdamNetherlands)
                .webhook_event_failover_url_null()
                .webhook_timeout_secs_null(),
        )
        .await?
        .data;
    println!("updated   {}", describe(&updated));

    // Find it by name, across every page.
    let matching: Vec<FaxApplication> = apps
        .list()
        .filter(
            FaxApplicationsListFilter::new()
                .application_name(FaxApplicationsListFilterApplicationName::new().contains(name)),
        )
        .sort(FaxApplicationsListSort::ApplicationName)
        .into_stream()
        .try_collect()
        .await?;
    println!("{} application(s) named like {name:?}:", matching.len());
    for app in &matching {
        println!("  {}", describe(app));
    }

    let deleted = apps.delete(&id).await?.data;
    println!("deleted   {}", describe(&deleted));
    Ok(())
}
