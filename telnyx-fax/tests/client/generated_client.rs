//! The GENERATED client (`client.faxes()...`, `client.fax_applications()...`)
//! against wiremock on 127.0.0.1: each of the 11 operations sends the right
//! method, path, query, headers and body, and decodes a realistic response
//! into the typed models (enums, date-times, unknown enum values, unknown
//! fields kept in `extra`). Then serde round trips of the models against
//! the spec's own examples, embedded below as JSON.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use futures::{StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use telnyx_fax::types::{
    AnchorsiteOverride, CreateFaxApplicationRequest, CreateFaxApplicationRequestInbound,
    CreateFaxApplicationRequestOutbound, Direction, Errors, FailureReason, FaxActionResponse,
    FaxApplicationListResponse, FaxApplicationResponse, FaxApplicationsListFilter,
    FaxApplicationsListFilterApplicationName,
    FaxApplicationsListSort, FaxDelivered, FaxFailed, FaxListResponse, FaxMediaProcessed,
    FaxQueued, FaxRecordType, FaxResponse, FaxSendingStarted, FaxStatus, FaxesListFilter,
    FaxesListFilterCreatedAt, FaxesListFilterDirection, FaxesListFilterFrom, FaxesListFilterTo,
    FaxesListPage, FaxesListParams, PreviewFormat, Quality,
    SendFaxRequest, SipSubdomainReceiveSettings, UpdateFaxApplicationRequest,
    UpdateFaxApplicationRequestInbound, UpdateFaxApplicationRequestOutbound, WebhookEvent,
};
use telnyx_fax::{Client, ErrorKind, FileUpload};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "KEY-generated-client-test";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client");
    (server, client)
}

/// Matchers every request of the generated client must satisfy.
fn authed(m: wiremock::MockBuilder) -> wiremock::MockBuilder {
    m.and(header(
        "authorization",
        format!("Bearer {API_KEY}").as_str(),
    ))
    .and(header("accept", "application/json"))
}

/// The only request the server received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:?}"
    );
    requests.remove(0)
}

/// The query of a request as sorted (key, value) pairs, decoded.
fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    pairs.sort();
    pairs
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    pairs.sort();
    pairs
}

fn body_of(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("JSON body")
}

/// A realistic fax application, with a field the spec does not know.
fn application_json(id: &str) -> Value {
    json!({
        "active": true,
        "anchorsite_override": "Chicago, IL",
        "application_name": "fax-router",
        "created_at": "2024-03-11T14:02:17.311Z",
        "id": id,
        "inbound": {
            "channel_limit": 10,
            "sip_subdomain": "example",
            "sip_subdomain_receive_settings": "only_my_connections"
        },
        "outbound": {"channel_limit": null, "outbound_voice_profile_id": "1293384261075731500"},
        "record_type": "fax_application",
        "tags": ["billing", "east"],
        "updated_at": "2024-03-12T09:45:03.118Z",
        "webhook_event_failover_url": null,
        "webhook_event_url": "https://example.com/fax-events",
        "webhook_timeout_secs": 25,
        "fax_email_recipient": "faxes@example.com"
    })
}

/// A realistic fax; `status` and `quality` can be varied.
fn fax_json(id: &str, status: &str) -> Value {
    json!({
        "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
        "connection_id": "234423",
        "created_at": "2024-05-05T09:59:12Z",
        "direction": "outbound",
        "from": "+13125790015",
        "from_display_name": "Acme Billing",
        "id": id,
        "media_name": "invoice_2024_05",
        "media_url": "https://example.com/docs/invoice.pdf",
        "preview_url": "https://storage.example.com/faxes/0ccc7b54_preview.tiff",
        "quality": "high",
        "record_type": "fax",
        "status": status,
        "store_media": true,
        "stored_media_url": "https://storage.example.com/faxes/0ccc7b54.pdf",
        "to": "+13127367276",
        "updated_at": "2024-05-05T10:01:40.250Z",
        "webhook_failover_url": "",
        "webhook_url": "https://example.com/fax-webhooks"
    })
}

fn page_meta(number: i64, total_pages: i64, size: i64, total_results: i64) -> Value {
    json!({"page_number": number, "page_size": size, "total_pages": total_pages, "total_results": total_results})
}

// ------------------------------------------------------------ fax applications

#[tokio::test]
async fn list_fax_applications_sends_every_query_parameter_and_decodes_the_page() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/fax_applications")))
        .and(query_param("filter[application_name][contains]", "fax-app"))
        .and(query_param(
            "filter[outbound_voice_profile_id]",
            "1293384261075731500",
        ))
        .and(query_param("page[number]", "2"))
        .and(query_param("page[size]", "50"))
        .and(query_param("sort", "application_name"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [application_json("1293384261075731499"), {
                "id": "1293384261075731777",
                "anchorsite_override": "Mars, Olympus Mons",
                "inbound": {"sip_subdomain_receive_settings": "from_the_future"},
                "application_name": "fax-router-2",
                "active": true, "record_type": "fax_application",
                "webhook_event_url": "https://example.com/fax-events",
                "created_at": "2024-03-11T14:02:17.311Z", "updated_at": "2024-03-11T14:02:17.311Z"
            }],
            "meta": page_meta(2, 4, 50, 152),
            "url": "/v2/fax_applications?page[number]=2"
        })))
        .expect(1)
        .mount(&server)
        .await;

    // Optional parameters are setters on the request; `page[number]` and
    // `page[size]` are flattened as the official SDKs name them.
    let page: FaxApplicationListResponse = client
        .fax_applications()
        .list()
        .filter(
            FaxApplicationsListFilter::new()
                .application_name(
                    FaxApplicationsListFilterApplicationName::new().contains("fax-app"),
                )
                .outbound_voice_profile_id("1293384261075731500"),
        )
        .page_number(2)
        .page_size(50)
        .sort(FaxApplicationsListSort::ApplicationName)
        .await
        .unwrap();

    // Nothing else is in the query string.
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("filter[application_name][contains]", "fax-app"),
            ("filter[outbound_voice_profile_id]", "1293384261075731500"),
            ("page[number]", "2"),
            ("page[size]", "50"),
            ("sort", "application_name"),
        ])
    );
    assert!(request.body.is_empty(), "a GET has no body");

    let data = &page.data;
    assert_eq!(data.len(), 2);
    let app = &data[0];
    assert_eq!(app.id.as_str(), "1293384261075731499");
    assert!(app.active);
    assert_eq!(app.anchorsite_override, AnchorsiteOverride::ChicagoIl);
    assert_eq!(
        app.tags.as_deref(),
        Some(&["billing".to_owned(), "east".to_owned()][..])
    );
    let inbound = app.inbound.as_ref().unwrap();
    assert_eq!(inbound.channel_limit, Some(10));
    assert_eq!(
        inbound.sip_subdomain_receive_settings,
        Some(SipSubdomainReceiveSettings::OnlyMyConnections)
    );
    assert_eq!(
        app.outbound.as_ref().unwrap().channel_limit,
        None,
        "null decodes as None"
    );
    assert_eq!(app.webhook_event_failover_url, None);
    assert_eq!(app.webhook_timeout_secs, Some(25));
    // A field the spec does not declare is kept.
    assert_eq!(
        app.extra.get("fax_email_recipient"),
        Some(&json!("faxes@example.com"))
    );
    assert_eq!(
        page.extra.get("url"),
        Some(&json!("/v2/fax_applications?page[number]=2"))
    );

    // Enum values this version does not know are kept, not errors.
    let future = &data[1];
    assert_eq!(
        future.anchorsite_override,
        AnchorsiteOverride::Unknown("Mars, Olympus Mons".into())
    );
    assert!(future.anchorsite_override.is_unknown());
    assert_eq!(
        future
            .inbound
            .as_ref()
            .unwrap()
            .sip_subdomain_receive_settings,
        Some(SipSubdomainReceiveSettings::Unknown(
            "from_the_future".into()
        ))
    );

    let meta = page.meta.as_ref().unwrap();
    assert_eq!(
        (
            meta.page_number,
            meta.page_size,
            meta.total_pages,
            meta.total_results
        ),
        (Some(2), Some(50), Some(4), Some(152))
    );
}

#[tokio::test]
async fn list_fax_applications_without_parameters_sends_no_query() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/fax_applications")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [], "meta": page_meta(1, 0, 20, 0)})),
        )
        .mount(&server)
        .await;
    let page = client
        .fax_applications()
        .list()
        .await
        .unwrap();
    assert_eq!(page.data, vec![]);
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        None,
        "no parameter set, no query string: {}",
        request.url
    );
}

#[tokio::test]
async fn create_fax_application_sends_the_body_and_decodes_201() {
    let (server, client) = setup().await;
    let expected_body = json!({
        "application_name": "fax-router",
        "webhook_event_url": "https://example.com/fax-events",
        "active": true,
        "anchorsite_override": "Amsterdam, Netherlands",
        "inbound": {"channel_limit": 10, "sip_subdomain": "example", "sip_subdomain_receive_settings": "only_my_connections"},
        "outbound": {"channel_limit": null, "outbound_voice_profile_id": "1293384261075731500"},
        "tags": ["billing", "east"],
        "webhook_event_failover_url": null,
        "webhook_timeout_secs": 25
    });
    authed(Mock::given(method("POST")).and(path("/fax_applications")))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"data": application_json("1293384261075731499")})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
        .active(true)
        .anchorsite_override(AnchorsiteOverride::AmsterdamNetherlands)
        .inbound(
            CreateFaxApplicationRequestInbound::new()
                .channel_limit(10i64)
                .sip_subdomain("example")
                .sip_subdomain_receive_settings(SipSubdomainReceiveSettings::OnlyMyConnections),
        )
        .outbound(
            CreateFaxApplicationRequestOutbound::new()
                .channel_limit_null()
                .outbound_voice_profile_id("1293384261075731500"),
        )
        .tags(vec!["billing".to_owned(), "east".to_owned()])
        .webhook_event_failover_url_null()
        .webhook_timeout_secs(25i64);
    let response = client
        .fax_applications()
        .create(body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 201);
    let app = response.data.data;
    assert_eq!(app.id.as_str(), "1293384261075731499");
    assert_eq!(app.anchorsite_override, AnchorsiteOverride::ChicagoIl);

    // The body is compact JSON (no whitespace between tokens).
    let request = only_request(&server).await;
    let text = String::from_utf8(request.body.clone()).unwrap();
    assert!(!text.contains(": ") && !text.contains('\n'), "{text}");
}

#[tokio::test]
async fn create_fax_application_with_required_fields_only_sends_only_them() {
    let (server, client) = setup().await;
    authed(Mock::given(method("POST")).and(path("/fax_applications")))
        .and(body_json(json!({"application_name": "fax-router", "webhook_event_url": "https://example.com/fax-events"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": application_json("1")})))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events");
    client.fax_applications().create(body).await.unwrap();
}

#[tokio::test]
async fn retrieve_fax_application_escapes_the_id_as_one_segment() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/fax_applications/1293384261075731499")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": application_json("1293384261075731499")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    authed(Mock::given(method("GET")).and(path("/fax_applications/a%2Fb%20c")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": application_json("a/b c")})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let got = client
        .fax_applications()
        .retrieve("1293384261075731499")
        .await
        .unwrap();
    assert_eq!(
        got.data.webhook_event_url.as_str(),
        "https://example.com/fax-events"
    );
    let odd = client.fax_applications().retrieve("a/b c").await.unwrap();
    assert_eq!(odd.data.id.as_str(), "a/b c");

    // An empty id is refused before anything is sent.
    let err = client.fax_applications().retrieve("").await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn update_fax_application_sends_null_only_for_fields_set_to_none() {
    let (server, client) = setup().await;
    authed(Mock::given(method("PATCH")).and(path("/fax_applications/1293384261075731499")))
        .and(header("content-type", "application/json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": application_json("1293384261075731499")})),
        )
        .expect(3)
        .mount(&server)
        .await;
    let apps = client.fax_applications();
    let id = "1293384261075731499";

    // Set to None through the setter: an explicit null.
    let nulls = UpdateFaxApplicationRequest::new("fax-router-eu", "https://example.com/fax-events")
        .fax_email_recipient_null()
        .webhook_event_failover_url_null()
        .webhook_timeout_secs_null()
        .inbound(
            UpdateFaxApplicationRequestInbound::new()
                .channel_limit_null()
                .sip_subdomain_null(),
        )
        .outbound(UpdateFaxApplicationRequestOutbound::new().channel_limit_null());
    // Never set: absent.
    let absent =
        UpdateFaxApplicationRequest::new("fax-router-eu", "https://example.com/fax-events")
            .inbound(UpdateFaxApplicationRequestInbound::new())
            .outbound(UpdateFaxApplicationRequestOutbound::new());
    // Set to values.
    let values =
        UpdateFaxApplicationRequest::new("fax-router-eu", "https://example.com/fax-events")
            .active(false)
            .anchorsite_override(AnchorsiteOverride::from("Chicago, IL"))
            .fax_email_recipient("faxes@example.com")
            .webhook_event_failover_url("https://failover.example.com/fax-events")
            .webhook_timeout_secs(10)
            .tags(vec!["eu".to_owned()])
            .inbound(
                UpdateFaxApplicationRequestInbound::new()
                    .channel_limit(5i64)
                    .sip_subdomain("example-eu")
                    .sip_subdomain_receive_settings(SipSubdomainReceiveSettings::FromAnyone),
            )
            .outbound(
                UpdateFaxApplicationRequestOutbound::new()
                    .channel_limit(5i64)
                    .outbound_voice_profile_id("42"),
            );

    let updated = apps.update(id, nulls).await.unwrap();
    assert!(updated.data.active);
    apps.update(id, absent).await.unwrap();
    apps.update(id, values).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<Value> = requests.iter().map(body_of).collect();
    assert_eq!(
        bodies[0],
        json!({
            "application_name": "fax-router-eu",
            "webhook_event_url": "https://example.com/fax-events",
            "fax_email_recipient": null,
            "webhook_event_failover_url": null,
            "webhook_timeout_secs": null,
            "inbound": {"channel_limit": null, "sip_subdomain": null},
            "outbound": {"channel_limit": null}
        })
    );
    assert_eq!(
        bodies[1],
        json!({
            "application_name": "fax-router-eu",
            "webhook_event_url": "https://example.com/fax-events",
            "inbound": {},
            "outbound": {}
        })
    );
    assert_eq!(
        bodies[2],
        json!({
            "application_name": "fax-router-eu",
            "webhook_event_url": "https://example.com/fax-events",
            "active": false,
            "anchorsite_override": "Chicago, IL",
            "fax_email_recipient": "faxes@example.com",
            "webhook_event_failover_url": "https://failover.example.com/fax-events",
            "webhook_timeout_secs": 10,
            "tags": ["eu"],
            "inbound": {"channel_limit": 5, "sip_subdomain": "example-eu", "sip_subdomain_receive_settings": "from_anyone"},
            "outbound": {"channel_limit": 5, "outbound_voice_profile_id": "42"}
        })
    );
}

#[tokio::test]
async fn delete_fax_application_returns_the_deleted_application() {
    let (server, client) = setup().await;
    authed(Mock::given(method("DELETE")).and(path("/fax_applications/1293384261075731499")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": application_json("1293384261075731499")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let deleted = client
        .fax_applications()
        .delete("1293384261075731499")
        .await
        .unwrap();
    assert_eq!(
        deleted.data.application_name.as_str(),
        "fax-router"
    );
    assert!(only_request(&server).await.body.is_empty());
}

// ----------------------------------------------------------------------- faxes

#[tokio::test]
async fn list_faxes_sends_deep_object_filters_from_date_times() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/faxes")))
        .and(query_param(
            "filter[created_at][gte]",
            "2024-01-01T00:00:00Z",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [
                fax_json("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", "delivered"),
                fax_json("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e", "transmitting")
            ],
            "meta": page_meta(1, 1, 20, 2)
        })))
        .expect(1)
        .mount(&server)
        .await;

    let gte: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let lt =
        Utc.with_ymd_and_hms(2024, 2, 1, 12, 30, 15).unwrap() + chrono::Duration::milliseconds(250);
    // The whole parameter struct at once (the 0.1 `list(params)` form).
    let params = FaxesListParams::new()
        .filter(
            FaxesListFilter::new()
                .created_at(FaxesListFilterCreatedAt::new().gte(gte).lt(lt))
                .direction(FaxesListFilterDirection::new().eq(Direction::Outbound))
                .from(FaxesListFilterFrom::new().eq("+13125790015"))
                .to(FaxesListFilterTo::new().eq("+13127367276")),
        )
        .page(FaxesListPage::new().number(1).size(20));
    let page: FaxListResponse = client.faxes().list().params(params).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            // Query date-times keep their offset; a zero offset is `Z`.
            ("filter[created_at][gte]", "2024-01-01T00:00:00Z"),
            ("filter[created_at][lt]", "2024-02-01T12:30:15.250Z"),
            ("filter[direction][eq]", "outbound"),
            ("filter[from][eq]", "+13125790015"),
            ("filter[to][eq]", "+13127367276"),
            ("page[number]", "1"),
            ("page[size]", "20"),
        ])
    );
    // On the wire the brackets and the `+` are percent-encoded.
    let raw = request.url.query().unwrap();
    assert!(
        raw.contains("filter%5Bcreated_at%5D%5Bgte%5D=2024-01-01T00%3A00%3A00Z"),
        "{raw}"
    );
    assert!(
        raw.contains("filter%5Bfrom%5D%5Beq%5D=%2B13125790015"),
        "{raw}"
    );

    let data = page.data;
    let fax = &data[0];
    assert_eq!(fax.status, FaxStatus::Delivered);
    assert_eq!(fax.quality, Some(Quality::High));
    assert_eq!(fax.direction, Direction::Outbound);
    assert_eq!(fax.record_type, FaxRecordType::Fax);
    assert_eq!(
        fax.created_at,
        Utc.with_ymd_and_hms(2024, 5, 5, 9, 59, 12).unwrap()
    );
    assert_eq!(
        fax.updated_at,
        Utc.with_ymd_and_hms(2024, 5, 5, 10, 1, 40).unwrap() + chrono::Duration::milliseconds(250)
    );
    assert_eq!(fax.store_media, Some(true));
    assert_eq!(fax.webhook_failover_url.as_deref(), Some(""));
    // A status this version does not know.
    assert_eq!(
        data[1].status,
        FaxStatus::Unknown("transmitting".into())
    );
    assert_eq!(data[1].status.as_str(), "transmitting");
}

#[tokio::test]
async fn into_stream_walks_three_pages_keeping_the_page_size() {
    let (server, client) = setup().await;
    let ids = ["f1", "f2", "f3", "f4", "f5"];
    let pages: [(Option<&str>, &[&str]); 3] = [
        (None, &ids[0..2]),
        (Some("2"), &ids[2..4]),
        (Some("3"), &ids[4..5]),
    ];
    for (i, (number, page_ids)) in pages.iter().enumerate() {
        let mut mock = authed(Mock::given(method("GET")).and(path("/faxes")))
            .and(query_param("page[size]", "2"))
            .and(query_param("filter[direction][eq]", "inbound"));
        mock = match number {
            Some(n) => mock.and(query_param("page[number]", *n)),
            None => mock.and(query_param_is_missing("page[number]")),
        };
        let data: Vec<Value> = page_ids.iter().map(|id| fax_json(id, "received")).collect();
        mock.respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": data, "meta": page_meta(i as i64 + 1, 3, 2, 5)})),
        )
        .expect(1)
        .mount(&server)
        .await;
    }

    let faxes: Vec<_> = client
        .faxes()
        .list()
        .filter(
            FaxesListFilter::new()
                .direction(FaxesListFilterDirection::new().eq(Direction::Inbound)),
        )
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let got: Vec<&str> = faxes.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(got, ids);
    assert!(faxes.iter().all(|f| f.status == FaxStatus::Received));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "one request per page, then stop"
    );
}

/// A date-time filter is sent with the offset the caller gave, not
/// converted to `Z` (what the official Python SDK sends).
#[tokio::test]
async fn date_time_filters_keep_the_callers_offset() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/faxes")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [], "meta": page_meta(1, 0, 20, 0)})),
        )
        .mount(&server)
        .await;
    let paris = DateTime::parse_from_rfc3339("2024-05-01T09:00:00+02:00").unwrap();
    client
        .faxes()
        .list()
        .filter(FaxesListFilter::new().created_at(FaxesListFilterCreatedAt::new().gte(paris)))
        .page_number(1)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("filter[created_at][gte]", "2024-05-01T09:00:00+02:00"),
            ("page[number]", "1"),
        ])
    );
    assert!(
        request.url.query().unwrap().contains("09%3A00%3A00%2B02%3A00"),
        "{}",
        request.url
    );
}

/// Setters and `extra_query` combine: the explicit key wins, the rest stay.
#[tokio::test]
async fn setters_params_and_extra_query_combine() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/faxes")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [], "meta": page_meta(3, 3, 5, 15)})),
        )
        .mount(&server)
        .await;
    client
        .faxes()
        .list()
        .page_number(2)
        .page_size(5)
        .extra_query("page[number]", "3")
        .await
        .unwrap();
    // `.params(..)` replaces every optional parameter set before it.
    client
        .faxes()
        .list()
        .page_size(5)
        .params(FaxesListParams::new().page(FaxesListPage::new().number(4)))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(query_pairs(&requests[0]), pairs(&[("page[size]", "5"), ("page[number]", "3")]));
    assert_eq!(query_pairs(&requests[1]), pairs(&[("page[number]", "4")]));
}

#[tokio::test]
async fn into_stream_reports_a_server_that_repeats_page_one() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/fax_applications")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [application_json("1"), application_json("2")],
            "meta": page_meta(1, 5, 2, 10)
        })))
        .mount(&server)
        .await;
    let results: Vec<_> = client.fax_applications().list().into_stream().collect().await;
    assert_eq!(results.len(), 3, "the repeated page is not yielded twice");
    assert!(results[..2].iter().all(Result::is_ok));
    // The list is incomplete, and the stream says so.
    assert_eq!(results[2].as_ref().unwrap_err().kind(), ErrorKind::Paging);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn send_fax_json_sends_every_field_and_exposes_the_202() {
    let (server, client) = setup().await;
    let expected = json!({
        "connection_id": "234423",
        "from": "+13125790015",
        "to": "+13127367276",
        "media_url": "https://example.com/docs/invoice.pdf",
        "quality": "very_high",
        "store_media": true,
        "store_preview": true,
        "preview_format": "pdf",
        "monochrome": true,
        "t38_enabled": false,
        "black_threshold": 80,
        "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
        "from_display_name": "Acme Billing",
        "webhook_url": "https://example.com/fax-webhooks"
    });
    authed(Mock::given(method("POST")).and(path("/faxes")))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("x-request-id", "req-7f3a")
                .set_body_json(
                    json!({"data": fax_json("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", "queued")}),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = SendFaxRequest::new("234423", "+13125790015", "+13127367276")
        .media_url("https://example.com/docs/invoice.pdf")
        .quality(Quality::VeryHigh)
        .store_media(true)
        .store_preview(true)
        .preview_format(PreviewFormat::Pdf)
        .monochrome(true)
        .t38_enabled(false)
        .black_threshold(80)
        .client_state("aGF2ZSBhIG5pY2UgZGF5ID1d")
        .from_display_name("Acme Billing")
        .webhook_url("https://example.com/fax-webhooks");
    let response = client
        .faxes()
        .create(body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status, reqwest::StatusCode::ACCEPTED);
    assert_eq!(response.request_id(), Some("req-7f3a"));
    let fax = response.into_data().data;
    assert_eq!(fax.status, FaxStatus::Queued);
    assert_eq!(
        fax.id.as_str(),
        "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"
    );
    let ua = only_request(&server).await.headers["user-agent"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ua.starts_with("telnyx-fax-rust/"), "{ua}");
}

#[tokio::test]
async fn send_fax_json_with_required_fields_only() {
    let (server, client) = setup().await;
    authed(Mock::given(method("POST")).and(path("/faxes")))
        .and(body_json(
            json!({"connection_id": "234423", "from": "+13125790015", "to": "+13127367276"}),
        ))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"data": fax_json("x", "queued")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    client
        .faxes()
        .create(SendFaxRequest::new(
            "234423",
            "+13125790015",
            "+13127367276",
        ))
        .await
        .unwrap();
}

/// One part of a multipart body.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A small `multipart/form-data` parser, enough for reqwest's bodies.
fn parse_multipart(request: &wiremock::Request) -> Vec<Part> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut body = request.body.as_slice();
    let start = find(body, delimiter.as_bytes()).expect("first boundary");
    body = &body[start + delimiter.len()..];
    let mut parts = Vec::new();
    while !body.starts_with(b"--") {
        body = body.strip_prefix(b"\r\n").expect("CRLF after boundary");
        let header_end = find(body, b"\r\n\r\n").expect("end of part headers");
        let headers = std::str::from_utf8(&body[..header_end]).unwrap().to_owned();
        body = &body[header_end + 4..];
        let end = find(body, format!("\r\n{delimiter}").as_bytes()).expect("next boundary");
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data: body[..end].to_vec(),
        };
        body = &body[end + 2 + delimiter.len()..];
        for line in headers.split("\r\n") {
            let (key, value) = line.split_once(':').unwrap();
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').map(str::trim) {
                        if let Some(v) = param.strip_prefix("name=") {
                            part.name = v.trim_matches('"').to_owned();
                        } else if let Some(v) = param.strip_prefix("filename=") {
                            part.file_name = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(part);
    }
    parts
}

fn text_part(name: &str, value: &str) -> Part {
    Part {
        name: name.to_owned(),
        file_name: None,
        content_type: None,
        data: value.as_bytes().to_vec(),
    }
}

#[tokio::test]
/// `create` with a file attached is sent as multipart (the 0.1
/// `create_multipart` with `SendFaxMultipartRequest`).
async fn create_with_a_file_sends_multipart_with_the_file_and_every_text_field() {
    let (server, client) = setup().await;
    authed(Mock::given(method("POST")).and(path("/faxes")))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"data": fax_json("m1", "queued")})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n".to_vec();

    let all = SendFaxRequest::new("234423", "+13125790015", "+13127367276")
        .contents(FileUpload::from_bytes("invoice.pdf", pdf.clone()))
        .quality(Quality::UltraDark)
        .store_media(false)
        .store_preview(true)
        .preview_format(PreviewFormat::Tiff)
        .monochrome(true)
        .t38_enabled(true)
        .black_threshold(95)
        .client_state("aGF2ZSBhIG5pY2UgZGF5ID1d")
        .from_display_name("Acme Billing")
        .webhook_url("https://example.com/fax-webhooks");
    let sent = client.faxes().create(all).await.unwrap();
    assert_eq!(sent.data.status, FaxStatus::Queued);

    let minimal = SendFaxRequest::new("234423", "+13125790015", "+13127367276")
        .contents(FileUpload::from_bytes("scan", b"raw".to_vec()).content_type("image/tiff"));
    client.faxes().create(minimal).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        parse_multipart(&requests[0]),
        vec![
            text_part("connection_id", "234423"),
            text_part("from", "+13125790015"),
            text_part("to", "+13127367276"),
            Part {
                name: "contents".into(),
                file_name: Some("invoice.pdf".into()),
                content_type: Some("application/pdf".into()),
                data: pdf,
            },
            text_part("quality", "ultra_dark"),
            text_part("store_media", "false"),
            text_part("store_preview", "true"),
            text_part("preview_format", "tiff"),
            text_part("monochrome", "true"),
            text_part("t38_enabled", "true"),
            text_part("black_threshold", "95"),
            text_part("client_state", "aGF2ZSBhIG5pY2UgZGF5ID1d"),
            text_part("from_display_name", "Acme Billing"),
            text_part("webhook_url", "https://example.com/fax-webhooks"),
        ]
    );
    // Unset optional fields send no part at all.
    assert_eq!(
        parse_multipart(&requests[1]),
        vec![
            text_part("connection_id", "234423"),
            text_part("from", "+13125790015"),
            text_part("to", "+13127367276"),
            Part {
                name: "contents".into(),
                file_name: Some("scan".into()),
                content_type: Some("image/tiff".into()),
                data: b"raw".to_vec(),
            },
        ]
    );
}

#[tokio::test]
async fn create_with_a_file_uploads_it_from_a_path() {
    let (server, client) = setup().await;
    authed(Mock::given(method("POST")).and(path("/faxes")))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"data": fax_json("m2", "queued")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contract.tiff");
    std::fs::write(&file, b"II*\x00tiff-bytes").unwrap();
    let body = SendFaxRequest::new("234423", "+13125790015", "+13127367276")
        .media_name("ignored-by-the-mock")
        .contents(file.as_path());
    client.faxes().create(body).await.unwrap();
    let parts = parse_multipart(&only_request(&server).await);
    let contents = parts
        .iter()
        .find(|p| p.name == "contents")
        .expect("contents part");
    assert_eq!(contents.file_name.as_deref(), Some("contract.tiff"));
    assert_eq!(contents.content_type.as_deref(), Some("image/tiff"));
    assert_eq!(contents.data, b"II*\x00tiff-bytes");
    assert!(parts.contains(&text_part("media_name", "ignored-by-the-mock")));
}

#[tokio::test]
async fn retrieve_fax_decodes_an_inbound_fax() {
    let (server, client) = setup().await;
    let mut fax = fax_json("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e", "received");
    fax["direction"] = json!("inbound");
    fax["quality"] = json!("ultra_light");
    fax["page_count"] = json!(3); // not in the spec: kept in `extra`
    authed(Mock::given(method("GET")).and(path("/faxes/182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": fax})))
        .expect(1)
        .mount(&server)
        .await;
    let got = client
        .faxes()
        .retrieve("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e")
        .await
        .unwrap()
        .data;
    assert_eq!(got.direction, Direction::Inbound);
    assert_eq!(got.status, FaxStatus::Received);
    assert_eq!(got.quality, Some(Quality::UltraLight));
    assert_eq!(got.extra.get("page_count"), Some(&json!(3)));
}

#[tokio::test]
async fn delete_fax_decodes_204_as_unit() {
    let (server, client) = setup().await;
    // No response body: `Accept: */*`, as the official SDK sends.
    Mock::given(method("DELETE"))
        .and(path("/faxes/0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"))
        .and(header("authorization", format!("Bearer {API_KEY}").as_str()))
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    // The generated `delete` is a `Request<'_, ()>`: an empty 204 body decodes as `()`.
    let delete: telnyx_fax::Request<'_, ()> = client
        .faxes()
        .delete("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0");
    delete.await.unwrap();
    let response = client
        .faxes()
        .delete("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status, reqwest::StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn cancel_and_refresh_post_to_the_action_paths() {
    let (server, client) = setup().await;
    authed(Mock::given(method("POST")).and(path(
        "/faxes/0ccc7b54-4df3-4bca-a65a-3da1ecc777f0/actions/cancel",
    )))
    .respond_with(ResponseTemplate::new(202).set_body_json(json!({"data": {"result": "ok"}})))
    .expect(1)
    .mount(&server)
    .await;
    authed(Mock::given(method("POST")).and(path(
        "/faxes/182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e/actions/refresh",
    )))
    .respond_with(
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": {"result": "ok", "media_url": "https://x"}})),
    )
    .expect(1)
    .mount(&server)
    .await;
    let cancelled: FaxActionResponse = client
        .faxes()
        .actions()
        .cancel("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
        .await
        .unwrap();
    assert_eq!(cancelled.data.result.as_str(), "ok");
    let refreshed = client
        .faxes()
        .actions()
        .refresh("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(refreshed.status.as_u16(), 200);
    let data = refreshed.data.data;
    assert_eq!(data.extra.get("media_url"), Some(&json!("https://x")));
    // Action calls carry no body.
    for request in server.received_requests().await.unwrap() {
        assert!(request.body.is_empty(), "{request:?}");
    }
}

#[tokio::test]
async fn api_errors_from_generated_calls_are_typed() {
    let (server, client) = setup().await;
    authed(Mock::given(method("GET")).and(path("/faxes/missing")))
        .respond_with(ResponseTemplate::new(404).set_body_raw(NOT_FOUND_ERROR, "application/json"))
        .mount(&server)
        .await;
    authed(Mock::given(method("POST")).and(path("/faxes")))
        .respond_with(
            ResponseTemplate::new(422).set_body_raw(UNPROCESSABLE_ENTITY_ERROR, "application/json"),
        )
        .mount(&server)
        .await;
    let err = client.faxes().retrieve("missing").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(
        err.first_error().and_then(|e| e.title.as_deref()),
        Some("Not Found")
    );
    let err = client
        .faxes()
        .create(SendFaxRequest::new("1", "+1", "+2"))
        .await
        .unwrap_err();
    assert!(err.is_unprocessable_entity(), "{err}");
    let source = err
        .first_error()
        .and_then(|e| e.source.as_ref())
        .and_then(|s| s.pointer.as_deref());
    assert_eq!(source, Some("/to"));
}

// ------------------------------------------------------------- enums and serde

#[test]
fn enums_round_trip_every_value_and_keep_unknown_ones() {
    fn check<E>(values: &[&str], unknown: &str)
    where
        E: for<'a> From<&'a str>
            + Serialize
            + DeserializeOwned
            + std::fmt::Display
            + std::fmt::Debug
            + PartialEq,
    {
        for value in values {
            let parsed = E::from(value);
            assert_eq!(parsed.to_string(), *value);
            let json = serde_json::to_value(&parsed).unwrap();
            assert_eq!(json, json!(value));
            assert_eq!(serde_json::from_value::<E>(json).unwrap(), parsed);
        }
        let parsed: E = serde_json::from_value(json!(unknown)).unwrap();
        assert_eq!(parsed.to_string(), unknown);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(unknown));
    }
    check::<AnchorsiteOverride>(AnchorsiteOverride::VALUES, "Mars, Olympus Mons");
    check::<Quality>(Quality::VALUES, "super_fine");
    check::<FaxStatus>(FaxStatus::VALUES, "transmitting");
    check::<Direction>(Direction::VALUES, "sideways");
    check::<PreviewFormat>(PreviewFormat::VALUES, "png");
    check::<SipSubdomainReceiveSettings>(SipSubdomainReceiveSettings::VALUES, "from_friends");
    check::<FailureReason>(FailureReason::VALUES, "busy");
    check::<FaxApplicationsListSort>(FaxApplicationsListSort::VALUES, "-created_at");

    assert_eq!(
        AnchorsiteOverride::from("Chicago, IL"),
        AnchorsiteOverride::ChicagoIl
    );
    assert_eq!(AnchorsiteOverride::ChicagoIl.as_str(), "Chicago, IL");
    assert_eq!(
        serde_json::to_string(&AnchorsiteOverride::ChicagoIl).unwrap(),
        r#""Chicago, IL""#
    );
    assert_eq!(
        "media.processed".parse::<FaxStatus>().unwrap(),
        FaxStatus::MediaProcessed
    );
    assert_eq!(Quality::default(), Quality::High, "the spec's default");
    assert_eq!(
        AnchorsiteOverride::default(),
        AnchorsiteOverride::Latency,
        "the spec's default"
    );
    assert!(FaxStatus::from("transmitting").is_unknown());
    assert!(!FaxStatus::Delivered.is_unknown());
}

/// Deserializes `text` into `T`, serializes it back, and returns
/// (input, output) as JSON values.
fn roundtrip<T: DeserializeOwned + Serialize>(text: &str) -> (Value, Value) {
    let input: Value = serde_json::from_str(text).expect("example is JSON");
    let typed: T =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("does not decode: {e}\n{text}"));
    let output = serde_json::to_value(&typed).expect("serializes");
    (input, output)
}

/// `value` without the object keys whose value is `null`.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

type RoundTrip = fn(&str) -> (Value, Value);

/// Every example of the spec with the model it must decode into.
const EXAMPLES: &[(&str, &str, RoundTrip)] = &[
    (
        "ListFaxApplications 200",
        LIST_FAX_APPLICATIONS_200,
        roundtrip::<FaxApplicationListResponse>,
    ),
    (
        "CreateFaxApplication 201",
        CREATE_FAX_APPLICATION_201,
        roundtrip::<FaxApplicationResponse>,
    ),
    (
        "GetFaxApplication 200",
        GET_FAX_APPLICATION_200,
        roundtrip::<FaxApplicationResponse>,
    ),
    (
        "UpdateFaxApplication 200",
        UPDATE_FAX_APPLICATION_200,
        roundtrip::<FaxApplicationResponse>,
    ),
    (
        "DeleteFaxApplication 200",
        DELETE_FAX_APPLICATION_200,
        roundtrip::<FaxApplicationResponse>,
    ),
    (
        "ListFaxes 200",
        LIST_FAXES_200,
        roundtrip::<FaxListResponse>,
    ),
    ("SendFax 202", SEND_FAX_202, roundtrip::<FaxResponse>),
    ("ViewFax 200", VIEW_FAX_200, roundtrip::<FaxResponse>),
    (
        "CancelFax 202",
        CANCEL_FAX_202,
        roundtrip::<FaxActionResponse>,
    ),
    (
        "RefreshFax 200",
        REFRESH_FAX_200,
        roundtrip::<FaxActionResponse>,
    ),
    (
        "schema CreateFaxApplicationRequest",
        CREATE_FAX_APPLICATION_REQUEST_EXAMPLE,
        roundtrip::<CreateFaxApplicationRequest>,
    ),
    (
        "schema UpdateFaxApplicationRequest",
        UPDATE_FAX_APPLICATION_REQUEST_EXAMPLE,
        roundtrip::<UpdateFaxApplicationRequest>,
    ),
    (
        "schema SendFaxRequest",
        SEND_FAX_REQUEST_EXAMPLE,
        roundtrip::<SendFaxRequest>,
    ),
    (
        "schema FaxDelivered",
        FAX_DELIVERED_EXAMPLE,
        roundtrip::<FaxDelivered>,
    ),
    (
        "schema FaxFailed",
        FAX_FAILED_EXAMPLE,
        roundtrip::<FaxFailed>,
    ),
    (
        "schema FaxMediaProcessed",
        FAX_MEDIA_PROCESSED_EXAMPLE,
        roundtrip::<FaxMediaProcessed>,
    ),
    (
        "schema FaxQueued",
        FAX_QUEUED_EXAMPLE,
        roundtrip::<FaxQueued>,
    ),
    (
        "schema FaxSendingStarted",
        FAX_SENDING_STARTED_EXAMPLE,
        roundtrip::<FaxSendingStarted>,
    ),
    (
        "response BadRequest",
        BAD_REQUEST_ERROR,
        roundtrip::<Errors>,
    ),
    (
        "response Unauthorized",
        UNAUTHORIZED_ERROR,
        roundtrip::<Errors>,
    ),
    ("response NotFound", NOT_FOUND_ERROR, roundtrip::<Errors>),
    (
        "response UnprocessableEntity",
        UNPROCESSABLE_ENTITY_ERROR,
        roundtrip::<Errors>,
    ),
    ("response GenericError", GENERIC_ERROR, roundtrip::<Errors>),
];

#[test]
fn spec_examples_round_trip_through_the_models() {
    let mut lossy = BTreeMap::new();
    for (name, text, roundtrip) in EXAMPLES {
        let (input, output) = roundtrip(text);
        if input == output {
            continue;
        }
        // Response models declare nullable properties as plain `Option<T>`:
        // an explicit `null` decodes as `None` and is then left out when
        // serialized. Nothing else may differ.
        assert_eq!(
            without_nulls(&input),
            output,
            "{name}: the round trip changed more than nulls"
        );
        lossy.insert(*name, input);
    }
    // Request models keep explicit nulls (see the update test above), so the
    // request examples must round-trip exactly.
    for name in lossy.keys() {
        assert!(
            !name.starts_with("schema "),
            "{name}: a request/webhook model lost a null"
        );
    }
}

#[test]
fn unknown_fields_survive_a_round_trip() {
    let mut fax: Value = serde_json::from_str(VIEW_FAX_200).unwrap();
    fax["data"]["page_count"] = json!(3);
    fax["data"]["routing"] = json!({"carrier": "x", "hops": [1, 2]});
    fax["request_id"] = json!("r-1");
    let typed: FaxResponse = serde_json::from_value(fax.clone()).unwrap();
    let inner = &typed.data;
    assert_eq!(
        inner.extra.get("routing"),
        Some(&json!({"carrier": "x", "hops": [1, 2]}))
    );
    assert_eq!(typed.extra.get("request_id"), Some(&json!("r-1")));
    assert_eq!(serde_json::to_value(&typed).unwrap(), fax);
}

#[test]
fn webhook_examples_dispatch_to_their_variants() {
    let delivered: WebhookEvent = serde_json::from_str(FAX_DELIVERED_EXAMPLE).unwrap();
    assert!(
        matches!(delivered, WebhookEvent::FaxDelivered(_)),
        "{delivered:?}"
    );
    let failed: WebhookEvent = serde_json::from_str(FAX_FAILED_EXAMPLE).unwrap();
    match failed {
        WebhookEvent::FaxFailed(event) => {
            assert_eq!(
                event.data.payload.failure_reason,
                Some(FailureReason::Rejected)
            );
        }
        other => panic!("{other:?}"),
    }
    for (text, event_type) in [
        (FAX_MEDIA_PROCESSED_EXAMPLE, "fax.media.processed"),
        (FAX_QUEUED_EXAMPLE, "fax.queued"),
        (FAX_SENDING_STARTED_EXAMPLE, "fax.sending.started"),
    ] {
        let event: WebhookEvent = serde_json::from_str(text).unwrap();
        assert_eq!(event.event_type(), event_type);
        assert!(!matches!(event, WebhookEvent::Unknown(_)));
    }
}

// ------------------------------------------------------- the spec's examples
//
// Copied from spec/telnyx-fax.yml (the project's own spec) as JSON.

/// The spec's example for ListFaxApplications 200 (a [`FaxApplicationListResponse`]).
const LIST_FAX_APPLICATIONS_200: &str = r#"{
  "data": [
    {
      "active": true,
      "anchorsite_override": "Latency",
      "application_name": "fax-router",
      "created_at": "2024-03-11T14:02:17.311Z",
      "id": "1293384261075731499",
      "inbound": {
        "channel_limit": 10,
        "sip_subdomain": "example",
        "sip_subdomain_receive_settings": "only_my_connections"
      },
      "outbound": {
        "channel_limit": 10,
        "outbound_voice_profile_id": "1293384261075731500"
      },
      "record_type": "fax_application",
      "tags": [
        "billing",
        "east"
      ],
      "updated_at": "2024-03-12T09:45:03.118Z",
      "webhook_event_failover_url": "https://failover.example.com/fax-events",
      "webhook_event_url": "https://example.com/fax-events",
      "webhook_timeout_secs": 25
    }
  ],
  "meta": {
    "page_number": 1,
    "page_size": 20,
    "total_pages": 1,
    "total_results": 1
  }
}"#;
/// The spec's example for CreateFaxApplication 201 (a [`FaxApplicationResponse`]).
const CREATE_FAX_APPLICATION_201: &str = r#"{
  "data": {
    "active": true,
    "anchorsite_override": "Latency",
    "application_name": "fax-router",
    "created_at": "2024-03-11T14:02:17.311Z",
    "id": "1293384261075731499",
    "inbound": {
      "channel_limit": 10,
      "sip_subdomain": "example",
      "sip_subdomain_receive_settings": "only_my_connections"
    },
    "outbound": {
      "channel_limit": 10,
      "outbound_voice_profile_id": "1293384261075731500"
    },
    "record_type": "fax_application",
    "tags": [
      "billing",
      "east"
    ],
    "updated_at": "2024-03-11T14:02:17.311Z",
    "webhook_event_failover_url": null,
    "webhook_event_url": "https://example.com/fax-events",
    "webhook_timeout_secs": 25
  }
}"#;
/// The spec's example for GetFaxApplication 200 (a [`FaxApplicationResponse`]).
const GET_FAX_APPLICATION_200: &str = r#"{
  "data": {
    "active": true,
    "anchorsite_override": "Chicago, IL",
    "application_name": "fax-router",
    "created_at": "2024-03-11T14:02:17.311Z",
    "id": "1293384261075731499",
    "inbound": {
      "channel_limit": 10,
      "sip_subdomain": "example",
      "sip_subdomain_receive_settings": "from_anyone"
    },
    "outbound": {
      "channel_limit": null,
      "outbound_voice_profile_id": "1293384261075731500"
    },
    "record_type": "fax_application",
    "tags": [
      "billing"
    ],
    "updated_at": "2024-03-12T09:45:03.118Z",
    "webhook_event_failover_url": "https://failover.example.com/fax-events",
    "webhook_event_url": "https://example.com/fax-events",
    "webhook_timeout_secs": 25
  }
}"#;
/// The spec's example for UpdateFaxApplication 200 (a [`FaxApplicationResponse`]).
const UPDATE_FAX_APPLICATION_200: &str = r#"{
  "data": {
    "active": false,
    "anchorsite_override": "Amsterdam, Netherlands",
    "application_name": "fax-router-eu",
    "created_at": "2024-03-11T14:02:17.311Z",
    "id": "1293384261075731499",
    "inbound": {
      "channel_limit": 5,
      "sip_subdomain": "example-eu",
      "sip_subdomain_receive_settings": "only_my_connections"
    },
    "outbound": {
      "channel_limit": 5,
      "outbound_voice_profile_id": "1293384261075731500"
    },
    "record_type": "fax_application",
    "tags": [
      "billing",
      "eu"
    ],
    "updated_at": "2024-04-02T08:15:44.902Z",
    "webhook_event_failover_url": "https://failover.example.com/fax-events",
    "webhook_event_url": "https://example.com/fax-events",
    "webhook_timeout_secs": 10
  }
}"#;
/// The spec's example for DeleteFaxApplication 200 (a [`FaxApplicationResponse`]).
const DELETE_FAX_APPLICATION_200: &str = r#"{
  "data": {
    "active": false,
    "anchorsite_override": "Latency",
    "application_name": "fax-router",
    "created_at": "2024-03-11T14:02:17.311Z",
    "id": "1293384261075731499",
    "inbound": {
      "channel_limit": null,
      "sip_subdomain": null,
      "sip_subdomain_receive_settings": "from_anyone"
    },
    "outbound": {
      "channel_limit": null,
      "outbound_voice_profile_id": "1293384261075731500"
    },
    "record_type": "fax_application",
    "tags": [],
    "updated_at": "2024-04-02T08:15:44.902Z",
    "webhook_event_failover_url": null,
    "webhook_event_url": "https://example.com/fax-events",
    "webhook_timeout_secs": null
  }
}"#;
/// The spec's example for ListFaxes 200 (a [`FaxListResponse`]).
const LIST_FAXES_200: &str = r#"{
  "data": [
    {
      "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
      "connection_id": "234423",
      "created_at": "2024-05-05T09:59:12Z",
      "direction": "outbound",
      "from": "+13125790015",
      "from_display_name": "Acme Billing",
      "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
      "media_name": "invoice_2024_05",
      "media_url": "https://example.com/docs/invoice.pdf",
      "preview_url": "https://storage.example.com/faxes/0ccc7b54_preview.tiff",
      "quality": "high",
      "record_type": "fax",
      "status": "delivered",
      "store_media": true,
      "stored_media_url": "https://storage.example.com/faxes/0ccc7b54.pdf",
      "to": "+13127367276",
      "updated_at": "2024-05-05T10:01:40Z",
      "webhook_failover_url": "https://failover.example.com/fax-webhooks",
      "webhook_url": "https://example.com/fax-webhooks"
    }
  ],
  "meta": {
    "page_number": 1,
    "page_size": 20,
    "total_pages": 1,
    "total_results": 1
  }
}"#;
/// The spec's example for SendFax 202 (a [`FaxResponse`]).
const SEND_FAX_202: &str = r#"{
  "data": {
    "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
    "connection_id": "234423",
    "created_at": "2024-05-05T09:59:12Z",
    "direction": "outbound",
    "from": "+13125790015",
    "from_display_name": "Acme Billing",
    "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
    "media_name": "invoice_2024_05",
    "media_url": "https://example.com/docs/invoice.pdf",
    "preview_url": "https://storage.example.com/faxes/0ccc7b54_preview.tiff",
    "quality": "high",
    "record_type": "fax",
    "status": "queued",
    "store_media": false,
    "stored_media_url": "",
    "to": "+13127367276",
    "updated_at": "2024-05-05T09:59:12Z",
    "webhook_failover_url": "",
    "webhook_url": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for ViewFax 200 (a [`FaxResponse`]).
const VIEW_FAX_200: &str = r#"{
  "data": {
    "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
    "connection_id": "234423",
    "created_at": "2024-05-05T09:59:12Z",
    "direction": "inbound",
    "from": "+13127367276",
    "from_display_name": "+13127367276",
    "id": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
    "media_name": "",
    "media_url": "https://storage.example.com/faxes/182bd5e5.pdf",
    "preview_url": "",
    "quality": "high",
    "record_type": "fax",
    "status": "received",
    "store_media": true,
    "stored_media_url": "https://storage.example.com/faxes/182bd5e5.pdf",
    "to": "+13125790015",
    "updated_at": "2024-05-05T10:00:31Z",
    "webhook_failover_url": "",
    "webhook_url": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for CancelFax 202 (a [`FaxActionResponse`]).
const CANCEL_FAX_202: &str = r#"{
  "data": {
    "result": "ok"
  }
}"#;
/// The spec's example for RefreshFax 200 (a [`FaxActionResponse`]).
const REFRESH_FAX_200: &str = r#"{
  "data": {
    "result": "ok"
  }
}"#;
/// The spec's example for schema CreateFaxApplicationRequest (a [`CreateFaxApplicationRequest`]).
const CREATE_FAX_APPLICATION_REQUEST_EXAMPLE: &str = r#"{
  "application_name": "fax-router",
  "webhook_event_url": "https://example.com/fax-events",
  "active": true,
  "anchorsite_override": "Latency",
  "inbound": {
    "channel_limit": 10,
    "sip_subdomain": "example",
    "sip_subdomain_receive_settings": "only_my_connections"
  },
  "outbound": {
    "channel_limit": 10,
    "outbound_voice_profile_id": "1293384261075731500"
  },
  "tags": [
    "billing",
    "east"
  ],
  "webhook_event_failover_url": "https://failover.example.com/fax-events",
  "webhook_timeout_secs": 25
}"#;
/// The spec's example for schema UpdateFaxApplicationRequest (a [`UpdateFaxApplicationRequest`]).
const UPDATE_FAX_APPLICATION_REQUEST_EXAMPLE: &str = r#"{
  "application_name": "fax-router",
  "webhook_event_url": "https://example.com/fax-events",
  "active": false,
  "fax_email_recipient": "faxes@example.com",
  "tags": [
    "billing"
  ]
}"#;
/// The spec's example for schema SendFaxRequest (a [`SendFaxRequest`]).
const SEND_FAX_REQUEST_EXAMPLE: &str = r#"{
  "connection_id": "234423",
  "from": "+13125790015",
  "to": "+13127367276",
  "media_url": "https://example.com/docs/invoice.pdf",
  "quality": "high",
  "store_media": true,
  "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"
}"#;
/// The spec's example for schema FaxDelivered (a [`FaxDelivered`]).
const FAX_DELIVERED_EXAMPLE: &str = r#"{
  "data": {
    "record_type": "event",
    "id": "95479a2e-b947-470a-a88f-2da6dd07ae0f",
    "occurred_at": "2024-05-05T10:01:40.039204Z",
    "event_type": "fax.delivered",
    "payload": {
      "call_duration_secs": 25,
      "connection_id": "234423",
      "direction": "outbound",
      "fax_id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
      "original_media_url": "https://example.com/docs/invoice.pdf",
      "media_name": "invoice_2024_05",
      "to": "+13127367276",
      "from": "+13125790015",
      "user_id": "19a75cea-02c6-4b9a-84fa-c9bc8341feb8",
      "page_count": 2,
      "status": "delivered",
      "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"
    }
  },
  "meta": {
    "attempt": 1,
    "delivered_to": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for schema FaxFailed (a [`FaxFailed`]).
const FAX_FAILED_EXAMPLE: &str = r#"{
  "data": {
    "record_type": "event",
    "id": "4a1bde3c-2b6e-4c8f-9c2f-7b3a2d1e0f55",
    "occurred_at": "2024-05-05T10:01:40.039204Z",
    "event_type": "fax.failed",
    "payload": {
      "connection_id": "234423",
      "direction": "outbound",
      "fax_id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
      "original_media_url": "https://example.com/docs/invoice.pdf",
      "media_name": "invoice_2024_05",
      "to": "+13127367276",
      "from": "+13125790015",
      "user_id": "19a75cea-02c6-4b9a-84fa-c9bc8341feb8",
      "failure_reason": "rejected",
      "status": "failed",
      "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"
    }
  },
  "meta": {
    "attempt": 1,
    "delivered_to": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for schema FaxMediaProcessed (a [`FaxMediaProcessed`]).
const FAX_MEDIA_PROCESSED_EXAMPLE: &str = r#"{
  "data": {
    "record_type": "event",
    "id": "6f0e2c1d-8a3b-4d5e-9f60-1a2b3c4d5e6f",
    "occurred_at": "2024-05-05T09:59:20.512003Z",
    "event_type": "fax.media.processed",
    "payload": {
      "connection_id": "234423",
      "direction": "outbound",
      "fax_id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
      "original_media_url": "https://example.com/docs/invoice.pdf",
      "media_name": "invoice_2024_05",
      "to": "+13127367276",
      "from": "+13125790015",
      "user_id": "19a75cea-02c6-4b9a-84fa-c9bc8341feb8",
      "status": "media.processed",
      "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"
    }
  },
  "meta": {
    "attempt": 1,
    "delivered_to": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for schema FaxQueued (a [`FaxQueued`]).
const FAX_QUEUED_EXAMPLE: &str = r#"{
  "data": {
    "record_type": "event",
    "id": "2c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
    "occurred_at": "2024-05-05T09:59:12.104877Z",
    "event_type": "fax.queued",
    "payload": {
      "connection_id": "234423",
      "direction": "outbound",
      "fax_id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
      "original_media_url": "https://example.com/docs/invoice.pdf",
      "media_name": "invoice_2024_05",
      "to": "+13127367276",
      "from": "+13125790015",
      "user_id": "19a75cea-02c6-4b9a-84fa-c9bc8341feb8",
      "status": "queued",
      "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"
    }
  },
  "meta": {
    "attempt": 1,
    "delivered_to": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for schema FaxSendingStarted (a [`FaxSendingStarted`]).
const FAX_SENDING_STARTED_EXAMPLE: &str = r#"{
  "data": {
    "record_type": "event",
    "id": "8b7a6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d",
    "occurred_at": "2024-05-05T09:59:31.771450Z",
    "event_type": "fax.sending.started",
    "payload": {
      "connection_id": "234423",
      "direction": "outbound",
      "fax_id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
      "original_media_url": "https://example.com/docs/invoice.pdf",
      "media_name": "invoice_2024_05",
      "to": "+13127367276",
      "from": "+13125790015",
      "user_id": "19a75cea-02c6-4b9a-84fa-c9bc8341feb8",
      "status": "sending",
      "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d"
    }
  },
  "meta": {
    "attempt": 1,
    "delivered_to": "https://example.com/fax-webhooks"
  }
}"#;
/// The spec's example for response BadRequest (a [`Errors`]).
const BAD_REQUEST_ERROR: &str = r#"{
  "errors": [
    {
      "code": "10015",
      "title": "Bad Request",
      "detail": "The request could not be understood.",
      "source": {
        "parameter": "page[size]"
      }
    }
  ]
}"#;
/// The spec's example for response Unauthorized (a [`Errors`]).
const UNAUTHORIZED_ERROR: &str = r#"{
  "errors": [
    {
      "code": "10009",
      "title": "Authentication failed",
      "detail": "The supplied credentials were not accepted."
    }
  ]
}"#;
/// The spec's example for response NotFound (a [`Errors`]).
const NOT_FOUND_ERROR: &str = r#"{
  "errors": [
    {
      "code": "404",
      "title": "Not Found",
      "detail": "No resource with this identifier exists."
    }
  ]
}"#;
/// The spec's example for response UnprocessableEntity (a [`Errors`]).
const UNPROCESSABLE_ENTITY_ERROR: &str = r#"{
  "errors": [
    {
      "code": "422",
      "title": "Unprocessable Entity",
      "detail": "The field is required.",
      "source": {
        "pointer": "/to"
      }
    }
  ]
}"#;
/// The spec's example for response GenericError (a [`Errors`]).
const GENERIC_ERROR: &str = r#"{
  "errors": [
    {
      "code": "500",
      "title": "Internal Server Error",
      "detail": "Something went wrong while handling the request."
    }
  ]
}"#;

/// A field the API always sends is not an `Option`; a response without it
/// is a decode error that names the field (and keeps the raw body).
#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_naming_it() {
    let server = MockServer::start().await;
    let mut fax = fax_json("f1", "queued");
    fax.as_object_mut().unwrap().remove("status");
    Mock::given(method("GET"))
        .and(path("/faxes/f1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": fax})))
        .mount(&server)
        .await;
    let client = Client::builder().api_key("k").base_url(server.uri()).build().unwrap();
    let err = client.faxes().retrieve("f1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("missing field `status`"), "{err}");
    assert!(err.raw_body().is_some_and(|b| b.contains("\"id\":\"f1\"")), "{err:?}");
}
