//! Every example in `spec/telnyx-fax.yml` (schema examples, response examples,
//! error-response examples) deserializes into its generated model and
//! serializes back to the same JSON. The examples are read from the spec at
//! test time, so a new or changed example is checked without editing this
//! file; an example whose schema has no mapping below fails the test.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use telnyx_fax::types::*;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/telnyx-fax.yml");
    let text = std::fs::read_to_string(path).expect("read spec");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

/// Response models keep `None` for an explicit `null` and skip it when
/// serializing, so nulls are compared as absent; request models are exact.
fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), strip_nulls(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(example: &Value, exact: bool) -> Result<(), String> {
    let typed: T = serde_json::from_value(example.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    let (want, got) = if exact { (example.clone(), back) } else { (strip_nulls(example), strip_nulls(&back)) };
    if want == got {
        Ok(())
    } else {
        Err(format!("round trip differs:\n want {want}\n  got {got}"))
    }
}

/// An enum example must be a value the enum knows, not its `Unknown` catch-all.
fn known<T: DeserializeOwned + Serialize>(example: &Value, is_unknown: fn(&T) -> bool) -> Result<(), String> {
    round_trip::<T>(example, true)?;
    let v: T = serde_json::from_value(example.clone()).map_err(|e| e.to_string())?;
    if is_unknown(&v) {
        return Err(format!("{example} is not one of the enum's values"));
    }
    Ok(())
}

/// Schema name -> its generated model.
fn check(schema: &str, example: &Value) -> Result<(), String> {
    match schema {
        "AnchorsiteOverride" => known::<AnchorsiteOverride>(example, AnchorsiteOverride::is_unknown),
        "Quality" => known::<Quality>(example, Quality::is_unknown),
        "FaxStatus" => known::<FaxStatus>(example, FaxStatus::is_unknown),
        "Direction" => known::<Direction>(example, Direction::is_unknown),
        "PreviewFormat" => known::<PreviewFormat>(example, PreviewFormat::is_unknown),
        "SipSubdomainReceiveSettings" => known::<SipSubdomainReceiveSettings>(example, SipSubdomainReceiveSettings::is_unknown),
        "FailureReason" => known::<FailureReason>(example, FailureReason::is_unknown),
        "CreateFaxApplicationRequest" => round_trip::<CreateFaxApplicationRequest>(example, true),
        "UpdateFaxApplicationRequest" => round_trip::<UpdateFaxApplicationRequest>(example, true),
        "SendFaxRequest" => round_trip::<SendFaxRequest>(example, true),
        "FaxApplication" => round_trip::<FaxApplication>(example, false),
        "FaxApplicationResponse" => round_trip::<FaxApplicationResponse>(example, false),
        "FaxApplicationListResponse" => round_trip::<FaxApplicationListResponse>(example, false),
        "Fax" => round_trip::<Fax>(example, false),
        "FaxResponse" => round_trip::<FaxResponse>(example, false),
        "FaxListResponse" => round_trip::<FaxListResponse>(example, false),
        "FaxActionResponse" => round_trip::<FaxActionResponse>(example, false),
        "PaginationMeta" => round_trip::<PaginationMeta>(example, false),
        "Errors" => round_trip::<Errors>(example, false),
        "FaxDelivered" | "FaxFailed" | "FaxMediaProcessed" | "FaxQueued" | "FaxSendingStarted" => {
            round_trip::<WebhookEvent>(example, true)?;
            let event: WebhookEvent = serde_json::from_value(example.clone()).map_err(|e| e.to_string())?;
            match event {
                WebhookEvent::Unknown(_) => Err(format!("{schema} example parsed as an unknown event")),
                _ => Ok(()),
            }
        }
        other => Err(format!("no model mapped for schema `{other}`: add it to this test")),
    }
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.rsplit('/').next()
}

#[test]
fn every_spec_example_round_trips_through_its_model() {
    let spec = spec();
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    let mut visit = |place: String, schema: &str, example: &Value| {
        match check(schema, example) {
            Ok(()) => checked.push(place),
            Err(e) => failures.push(format!("{place} ({schema}): {e}")),
        }
    };
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.get("example") {
            visit(format!("components/schemas/{name}"), name, example);
        }
    }
    let media_examples = |place: String, response: &Value, visit: &mut dyn FnMut(String, &str, &Value)| {
        for (media, content) in response["content"].as_object().into_iter().flatten() {
            let (Some(example), Some(schema)) = (content.get("example"), ref_name(&content["schema"])) else { continue };
            visit(format!("{place} {media}"), schema, example);
        }
    };
    for (name, response) in spec["components"]["responses"].as_object().into_iter().flatten() {
        media_examples(format!("components/responses/{name}"), response, &mut visit);
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                media_examples(format!("{method} {path} {status}"), response, &mut visit);
            }
        }
    }
    assert!(failures.is_empty(), "{} example(s) fail:\n{}", failures.len(), failures.join("\n"));
    assert!(checked.len() >= 20, "only {} examples found: {checked:?}", checked.len());
    eprintln!("{} spec examples round-trip", checked.len());
}
