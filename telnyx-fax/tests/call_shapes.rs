//! The call shapes of issue 12 exactly as a user writes them (one import,
//! no parameter structs, setters named as the official SDKs, upload through
//! `create`, `data` not an `Option`), run against wiremock on 127.0.0.1 so
//! they keep compiling and working. `run` uses nothing but the prelude.

use serde_json::{json, Value};
use telnyx_fax::prelude::*;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn run(client: &Client) -> Result<Vec<String>> {
    let mut seen = Vec::new();

    let page = client.faxes().list().await?;
    seen.push(format!("list {}", page.data.len()));
    let page = client.faxes().list().page_number(2).page_size(20).await?;
    seen.push(format!("page {}", page.data.len()));
    let page = client
        .faxes()
        .list()
        .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq(Direction::Outbound)))
        .await?;
    seen.push(format!("filtered {}", page.data.len()));

    let mut all = client.faxes().list().page_size(50).into_stream();
    while let Some(fax) = all.try_next().await? {
        seen.push(format!("streamed {}", fax.id));
    }

    let sent = client
        .faxes()
        .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf"))
        .await?;
    let fax: Fax = sent.data;
    seen.push(format!("sent {}", fax.id));
    let sent = client
        .faxes()
        .create(
            SendFaxRequest::new("234423", "+13125790015", "+13127367276").contents(FileUpload::from_path("fax.pdf")),
        )
        .await?;
    let fax: Fax = sent.data;
    seen.push(format!("uploaded {}", fax.id));

    let apps = client.fax_applications().list().page_size(10).await?;
    seen.push(format!("apps {}", apps.data.len()));
    Ok(seen)
}

fn fax(id: &str) -> Value {
    json!({
        "id": id, "record_type": "fax", "direction": "outbound", "status": "queued",
        "connection_id": "234423", "from": "+13125790015", "to": "+13127367276",
        "created_at": "2024-05-05T09:59:12Z", "updated_at": "2024-05-05T09:59:12Z"
    })
}

fn page(ids: &[&str], number: i64, total: i64) -> ResponseTemplate {
    let data: Vec<Value> = ids.iter().map(|id| fax(id)).collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "data": data,
        "meta": {"page_number": number, "page_size": 50, "total_pages": total, "total_results": 3}
    }))
}

#[tokio::test]
async fn the_issue_12_shapes_compile_and_work() {
    let server = MockServer::start().await;
    let get_faxes = || Mock::given(method("GET")).and(path("/faxes"));
    get_faxes()
        .and(query_param("page[number]", "2"))
        .and(query_param("page[size]", "20"))
        .respond_with(page(&["p2"], 2, 2))
        .with_priority(1)
        .mount(&server)
        .await;
    get_faxes()
        .and(query_param("filter[direction][eq]", "outbound"))
        .respond_with(page(&["o1", "o2"], 1, 1))
        .with_priority(1)
        .mount(&server)
        .await;
    get_faxes()
        .and(query_param("page[size]", "50"))
        .and(query_param_is_missing("page[number]"))
        .respond_with(page(&["s1", "s2"], 1, 2))
        .with_priority(1)
        .mount(&server)
        .await;
    get_faxes()
        .and(query_param("page[size]", "50"))
        .and(query_param("page[number]", "2"))
        .respond_with(page(&["s3"], 2, 2))
        .with_priority(1)
        .mount(&server)
        .await;
    get_faxes().respond_with(page(&["a"], 1, 1)).with_priority(5).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/faxes"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"data": fax("new")})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/fax_applications"))
        .and(query_param("page[size]", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "id": "app1", "record_type": "fax_application", "active": true, "anchorsite_override": "Latency", "application_name": "fax-router", "webhook_event_url": "https://example.com/fax-events",
            "created_at": "2024-03-11T14:02:17.311Z", "updated_at": "2024-03-11T14:02:17.311Z"
        }]})))
        .mount(&server)
        .await;

    // `FileUpload::from_path("fax.pdf")` is relative: run in a directory
    // holding one (this binary has this one test, so changing the current
    // directory affects nothing else).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fax.pdf"), b"%PDF-1.4 call shapes").unwrap();
    std::env::set_current_dir(dir.path()).unwrap();

    let client = Client::builder().api_key("KEY-shapes").base_url(server.uri()).build().unwrap();
    let seen = run(&client).await.unwrap();
    assert_eq!(
        seen,
        [
            "list 1",
            "page 1",
            "filtered 2",
            "streamed s1",
            "streamed s2",
            "streamed s3",
            "sent new",
            "uploaded new",
            "apps 1",
        ]
    );
    let requests = server.received_requests().await.unwrap();
    let posts: Vec<&wiremock::Request> = requests.iter().filter(|r| r.method.as_str() == "POST").collect();
    assert_eq!(posts[0].headers["content-type"], "application/json");
    assert!(posts[1].headers["content-type"].to_str().unwrap().starts_with("multipart/form-data"));
    assert!(String::from_utf8_lossy(&posts[1].body).contains("%PDF-1.4 call shapes"));
}
