//! `Api::places`: every schema the lowering visits is found by its JSON
//! pointer, and operations keep the pointers of their parameters, bodies and
//! responses (what the conformance run uses to check examples in place).

use codegen::ir::Ty;
use std::path::Path;

fn fax() -> codegen::ir::Api {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/telnyx-fax.yml");
    codegen::lower_file(&spec).expect("the fax spec lowers").0
}

#[test]
fn component_property_and_item_schemas_have_places() {
    let api = fax();
    assert_eq!(api.places.get("/components/schemas/Fax"), Some(&Ty::Named("Fax".into())));
    assert_eq!(api.places.get("/components/schemas/Fax/properties/status"), Some(&Ty::Named("FaxStatus".into())));
    assert_eq!(api.places.get("/components/schemas/FaxListResponse/properties/data/items"), Some(&Ty::Named("Fax".into())));
    // Every place names a type that exists.
    for (ptr, ty) in &api.places {
        let mut t = ty;
        while let Ty::Vec(i) | Ty::Map(i) | Ty::Boxed(i) = t {
            t = i;
        }
        if let Ty::Named(n) = t {
            assert!(api.types.contains_key(n), "{ptr} -> {n}, which is not a type");
        }
    }
}

#[test]
fn operations_keep_the_pointers_of_their_parts() {
    let api = fax();
    let list = api.operations.iter().find(|o| o.pointer == "/paths/~1faxes/get").expect("GET /faxes");
    let page = list.optional_params.iter().find(|p| p.wire == "page").expect("page parameter");
    assert_eq!(page.pointer, "/components/parameters/Page", "a shared parameter points at its definition");
    // Each operation gets its own type for a shared inline schema; the place
    // keeps the first (any of them decodes the parameter's example).
    assert!(matches!(api.places.get(&format!("{}/schema", page.pointer)), Some(Ty::Named(_))));
    let ok = list.responses.iter().find(|r| r.status == "200").expect("200");
    let media = ok.media_pointer.as_deref().expect("JSON response");
    assert_eq!(media, "/paths/~1faxes/get/responses/200/content/application~1json");
    assert_eq!(api.places.get(&format!("{media}/schema")), ok.ty.as_ref());

    let create = api.operations.iter().find(|o| o.pointer == "/paths/~1faxes/post").expect("POST /faxes");
    for b in &create.body {
        assert!(b.pointer.starts_with("/paths/~1faxes/post/requestBody/content/"), "{}", b.pointer);
        assert_eq!(api.places.get(&format!("{}/schema", b.pointer)), Some(&b.ty), "{}", b.pointer);
    }
    let retrieve = api.operations.iter().find(|o| o.pointer == "/paths/~1faxes~1{id}/get").expect("GET /faxes/{id}");
    assert_eq!(retrieve.path_params[0].pointer, "/components/parameters/FaxId");
}
