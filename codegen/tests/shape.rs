//! Resources shaped like the API (`tests/fixtures/shape/`): a path prefix
//! every operation shares (`/v1`) is not a resource, and of several
//! versions only the resources whose names collide keep their version.
//! Read from the IR (`codegen::shape`), no crate is built.

use codegen::emit::features::FeaturePlan;
use std::path::{Path, PathBuf};

fn fixture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shape").join(file)
}

/// `(resource chain, method, path)` of every operation, sorted, with the
/// config beside the document applied.
fn methods(file: &str) -> (Vec<(String, String, String)>, codegen::ir::Api) {
    let spec = fixture(file);
    let config = codegen::config::CrateConfig::beside_spec(&spec).unwrap();
    let cfg = codegen::EmitConfig { crate_config: config, ..codegen::EmitConfig::default() };
    let generated = codegen::generate_file(&spec, &cfg).unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<_> = generated.api.operations.iter().map(|o| (o.resource.join("."), o.name.clone(), o.path.clone())).collect();
    out.sort();
    (out, generated.api)
}

fn strs(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect()
}

#[test]
fn a_common_version_prefix_is_not_a_resource() {
    let (got, api) = methods("common_prefix.yaml");
    assert_eq!(
        got,
        strs(&[
            ("charges", "list", "/v1/charges"),
            ("customers", "create", "/v1/customers"),
            ("customers", "list", "/v1/customers"),
            ("customers", "retrieve", "/v1/customers/{id}"),
            // `[renames]` of the config still applies.
            ("invoices.actions", "settle", "/v1/invoices/{id}/actions/pay"),
        ])
    );
    // One feature per real resource, not one `v1` for the whole crate.
    let plan = FeaturePlan::new(&api);
    assert_eq!(plan.features().into_iter().collect::<Vec<_>>(), ["charges", "customers", "invoices"]);
    // The requests keep the whole path under the server the document gives.
    assert_eq!(api.base_url.as_deref(), Some("https://api.example.com"));
    let shape = codegen::shape::measure(&api);
    assert_eq!(shape.roots.len(), 3);
}

#[test]
fn versions_stay_apart_only_where_names_collide() {
    let (got, _) = methods("mixed_versions.yaml");
    assert_eq!(
        got,
        strs(&[
            ("charges", "retrieve", "/api/v1/charges/{id}"),
            ("health", "list", "/health"),
            ("payouts", "create", "/api/v2/payouts"),
            ("v1.customers", "list", "/api/v1/customers"),
            ("v2.customers", "list", "/api/v2/customers"),
        ])
    );
}

/// Every convention of `fixtures/paging-auto/` is found without a config,
/// with its reason; a config entry still decides over detection.
#[test]
fn paging_is_found_and_the_config_overrides_it() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paging-auto/paging.yaml");
    let generate = |toml: &str| {
        let crate_config = codegen::config::CrateConfig::from_toml(toml, "test").unwrap();
        codegen::generate_file(&spec, &codegen::EmitConfig { crate_config, ..codegen::EmitConfig::default() }).unwrap_or_else(|e| panic!("{e}")).api
    };
    let api = generate("");
    let kinds: Vec<(&str, &str, &str)> =
        api.paging.iter().map(|(op, p)| (op.as_str(), codegen::paging::kind_name(p), api.paging_reasons[op].as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("ListBans", "last-item", "`after` = the last item's `user.id`, until a page is empty"),
            ("ListBuckets", "next-url", "the next page's URL in `links.next`"),
            ("ListCustomers", "last-item", "`starting_after` = the last item's `id`, until `has_more` is false"),
            ("ListEvents", "next-url", "the next page's URL in `links.next.href`"),
            ("ListFiles", "cursor", "`cursor` <- `next` (a token or the next page's URL)"),
            ("ListInstances", "cursor", "`page_token` <- `next_page` (a token or the next page's URL)"),
            ("ListLogs", "cursor", "`page` <- `meta.next_page` (the next page's number)"),
            ("ListMessages", "last-item", "`after` = the last item's `id`, until a page is empty"),
            ("ListNotes", "last-item", "`after` = the last item's `id`, until a page is empty"),
            ("ListPeers", "page", "`page` counted from `page` up to `total_pages`"),
            ("ListPorts", "page", "`page[number]` counted from `meta.page_number` up to `meta.total_pages`"),
            ("ListRows", "page-until-empty", "`page` counted up from 0 (its default) until a page is empty (the response gives no total)"),
            ("ListStreams", "cursor", "`after` <- `pagination.cursor` (a token or the next page's URL)"),
            ("ListTags", "last-item", "`after` = the last item (a string), until a page is empty"),
            ("ListVideos", "page-until-empty", "`page` counted up from 1 (none declared) until a page is empty (the response gives no total)"),
        ]
    );
    assert!(api.single_page.is_empty(), "{:?}", api.single_page);

    let api = generate("[pagination.ListStreams]\nkind = \"none\"\n[pagination.ListCustomers]\nkind = \"last-item\"\nparam = \"ending_before\"\n[pagination.ListLogs]\nkind = \"page\"\n[pagination.ListPeers]\nkind = \"page-until-empty\"\n");
    assert_eq!(api.single_page["ListStreams"], "set to `none` in the crate config");
    match &api.paging["ListCustomers"] {
        codegen::ir::Paging::LastItem { param, more, .. } => assert_eq!((param.as_str(), more.as_slice()), ("ending_before", &["has_more".to_string()][..])),
        other => panic!("{other:?}"),
    }
    assert_eq!(codegen::paging::kind_name(&api.paging["ListLogs"]), "page");
    assert_eq!(api.paging_reasons["ListLogs"], "set in the crate config");
    match &api.paging["ListPeers"] {
        codegen::ir::Paging::PageUntilEmpty { param, first, .. } => assert_eq!((param.as_str(), *first), ("page", 1)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_format_suffix_does_not_make_another_resource() {
    // Before: `accounts.calls_json` (with `retrieve` for the list: its page
    // parameters are capitalized) beside `accounts.calls`, and `feeds.news_xml`.
    let (got, _) = methods("format_suffix.yaml");
    assert_eq!(
        got,
        strs(&[
            ("accounts.calls", "delete", "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json"),
            ("accounts.calls", "list", "/2010-04-01/Accounts/{AccountSid}/Calls.json"),
            ("accounts.calls", "retrieve", "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json"),
            ("feeds.news", "list", "/feeds/news.xml"),
        ])
    );
}
