//! The intermediate representation: what the SDK *is*, independent of both the
//! OpenAPI document's shape and Rust syntax. Built once by [`crate::lower`],
//! sorted there, and walked in order by the emitters and the differ.
//! All names in here are final Rust identifiers (made by [`crate::naming`]);
//! wire names are kept next to them for serde renames and URLs.

use std::collections::BTreeMap;

/// The whole API.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// First server URL, if any.
    pub base_url: Option<String>,
    /// Named types by Rust name (sorted).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations, sorted by (resource path, method name).
    pub operations: Vec<Operation>,
    /// Webhook events, sorted by event type.
    pub webhooks: Vec<WebhookEvent>,
    /// The type generated for each schema object the lowering visited, by its
    /// JSON pointer in the (normalised) document: component, property, item,
    /// parameter, media-type and webhook schemas, `$ref` sites included. For
    /// tools that check the document's examples against the generated types.
    pub places: BTreeMap<String, Ty>,
    /// Example values of each operation, by operation id: what the generated
    /// test double answers and what the doc examples send. Read from the
    /// document before it is dropped (see [`crate::emit::examples::collect`]).
    pub examples: BTreeMap<String, OperationExample>,
    /// Authentication: the document's security schemes and requirements.
    pub security: Security,
    /// How each list operation pages, by operation id (see [`crate::paging`]).
    pub paging: BTreeMap<String, Paging>,
    /// List-looking operations left single-page, with the reason.
    pub single_page: BTreeMap<String, String>,
    /// Why each paged operation pages the way it does (for the summary).
    pub paging_reasons: BTreeMap<String, String>,
    /// The error body type most error responses (`4XX`, `5XX`, `default`) declare.
    pub error_body: Option<Ty>,
}

/// The document's `components.securitySchemes` and `security` requirements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Security {
    /// Every scheme, in document order.
    pub schemes: Vec<SecurityScheme>,
    /// The top-level `security`: alternatives, each a set of scheme names.
    pub default: Vec<Vec<String>>,
    /// Operations whose own `security` differs from the default, by id.
    pub per_operation: BTreeMap<String, Vec<Vec<String>>>,
}

/// One entry of `components.securitySchemes`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's key in the document.
    pub name: String,
    /// How the credential is sent.
    pub kind: AuthKind,
    /// Description.
    pub doc: Option<String>,
    /// OAuth2: the `tokenUrl` of the client-credentials flow, when the
    /// document declares one (the client can then fetch its own token).
    pub token_url: Option<String>,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` (HTTP bearer).
    Bearer,
    /// OAuth2 or OpenID Connect: sent as `Authorization: Bearer <token>`, the
    /// access token supplied by the user.
    OAuth2,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// An API key in a header.
    Header(String),
    /// An API key in a query parameter.
    Query(String),
    /// An API key in a cookie.
    Cookie(String),
}

/// How a list operation reaches its next page.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// A page number parameter and a response with the page number and total
    /// pages (`meta.page_number`, `meta.total_pages`).
    PageNumber {
        /// Query parameter of the page number.
        param: String,
        /// Dotted path of the items array in the response (Rust idents).
        items: Vec<String>,
        /// Item type.
        item: Ty,
        /// Dotted path of the current page number.
        number: Vec<String>,
        /// Dotted path of the total number of pages.
        total: Vec<String>,
    },
    /// A response field fed back into a request parameter.
    Cursor {
        /// Query parameter of the cursor.
        param: String,
        /// Items path.
        items: Vec<String>,
        /// Item type.
        item: Ty,
        /// Dotted path of the next cursor (Rust idents).
        next: Vec<String>,
        /// The field may hold the next page's URL instead of a token (a
        /// `next` or `next_page` field the document does not say more of):
        /// an absolute URL or a path is followed, anything else is the cursor.
        or_url: bool,
    },
    /// An offset parameter advanced by the number of items received.
    Offset {
        /// Query parameter of the offset.
        param: String,
        /// Items path.
        items: Vec<String>,
        /// Item type.
        item: Ty,
    },
    /// A request parameter given a field of the last item received (`after`
    /// = the last item's `id`, as Discord pages); set in the crate config.
    LastItem {
        /// Query parameter fed the last item's field.
        param: String,
        /// Items path (empty: the response is the array).
        items: Vec<String>,
        /// Item type.
        item: Ty,
        /// Dotted path of the field inside the item (Rust idents).
        field: Vec<String>,
        /// Dotted path of the response's "more" flag (`has_more`), empty
        /// when it has none: `false` ends the list without one more request.
        more: Vec<String>,
    },
    /// A response field with the URL of the next page (`next_page_uri`,
    /// `links.next`), absolute or relative to the server.
    NextUrl {
        /// Items path.
        items: Vec<String>,
        /// Item type.
        item: Ty,
        /// Dotted path of the next URL (Rust idents).
        next: Vec<String>,
    },
    /// The `Link: <url>; rel="next"` response header.
    Link {
        /// Items path (empty: the response is the array).
        items: Vec<String>,
        /// Item type.
        item: Ty,
    },
    /// A page-number parameter whose response says nothing of pages (no
    /// total, no next page): the request's page plus one, until a page is
    /// empty (Vimeo's `page`/`per_page` answering a bare array).
    PageUntilEmpty {
        /// Query parameter of the page number.
        param: String,
        /// Items path (empty: the response is the array).
        items: Vec<String>,
        /// Item type.
        item: Ty,
        /// The first page's number, when the first request does not set
        /// `param`: the parameter's declared `default`, else its `minimum`,
        /// else 1.
        first: i64,
    },
}

/// A reference to a type, as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32` (format int32).
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// RFC 3339 date-time: `chrono::DateTime<Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// A file part in a multipart body: the runtime's `FileUpload`.
    Binary,
    /// Any JSON value.
    Json,
    /// A named type in [`Api::types`].
    Named(String),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>` (`additionalProperties`).
    Map(Box<Ty>),
    /// A field whose type is the owning type itself (or reaches it by value): `Box<T>`.
    Boxed(Box<Ty>),
}

impl Ty {
    /// The named type this reference reaches through `Vec`, `Map` and `Box`.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => t.named(),
            _ => None,
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Description from the spec.
    pub doc: Option<String>,
    /// Where it came from (JSON pointer), for diagnostics.
    pub origin: String,
    /// What it is.
    pub kind: TypeKind,
    /// Whether request code constructs it (gets `new` + setters).
    pub is_input: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known fields.
    Struct(Struct),
    /// A string enum with a catch-all.
    Enum(StringEnum),
    /// `oneOf`/`anyOf`.
    Union(Union),
    /// `type X = T;`
    Alias(Ty),
}

impl TypeKind {
    /// The named types its members refer to, in order: the fields, the
    /// flattened map's values (when the map exists), the union's members,
    /// the alias's target. What every walk over the types a type reaches
    /// follows (feature closures, the diff's groups, tests).
    pub fn member_names(&self) -> Vec<&str> {
        let tys: Vec<&Ty> = match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.keep_unknown.then_some(&s.additional)).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        };
        tys.into_iter().filter_map(Ty::named).collect()
    }
}

/// An object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// Value type of undeclared properties, kept in a flattened map
    /// (`additionalProperties`, or `Json` to keep unknown fields).
    pub additional: Ty,
    /// Rust name of the flattened map field.
    pub additional_name: String,
    /// Whether the flattened map exists (false for `additionalProperties:
    /// false` and for parameter structs).
    pub keep_unknown: bool,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust identifier (may be raw, `r#type`).
    pub ident: String,
    /// Type (without the `Option` wrappers).
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable` / `type: [T, "null"]`.
    pub nullable: bool,
    /// Description.
    pub doc: Option<String>,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Variants in spec order.
    pub variants: Vec<EnumVariant>,
    /// Index of the spec's `default`, if it is one of the variants.
    pub default: Option<usize>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Value on the wire.
    pub wire: String,
    /// Rust variant name.
    pub ident: String,
}

/// A `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Members.
    pub variants: Vec<UnionVariant>,
    /// Property that names the member, when the spec gives one.
    pub discriminator: Option<String>,
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub ident: String,
    /// Payload type.
    pub ty: Ty,
    /// Discriminator values that select this member.
    pub tags: Vec<String>,
    /// What a JSON value must look like to be this member, tested before
    /// decoding it (untagged unions).
    pub shape: Shape,
}

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonKind {
    /// A JSON object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// `true` / `false`.
    Boolean,
}

/// What tells a union member apart from the others: an untagged union tries
/// the member whose shape the input fits, most specific first, instead of the
/// first member that happens to deserialize.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// JSON type (`None`: any).
    pub kind: Option<JsonKind>,
    /// Keys that must be present.
    pub required: Vec<String>,
    /// Keys whose value, when present, is fixed (`const`, single-value enum).
    pub consts: Vec<(String, String)>,
    /// Keys whose value, when present, is one of these strings (string
    /// enums); checked in the strict pass only, since enums are open.
    pub one_of: Vec<(String, Vec<String>)>,
    /// Declared properties (objects): in the strict pass the input has no
    /// other keys. Empty: not checked.
    pub properties: Vec<String>,
    /// The value itself is one of these strings (a string enum member,
    /// beside other string members: Box's `"none"` or a count of days);
    /// checked in the strict pass only, since enums are open.
    pub values: Vec<String>,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    /// In the URL path.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust identifier.
    pub ident: String,
    /// Location.
    pub location: ParamLocation,
    /// Type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// Description.
    pub doc: Option<String>,
    /// JSON pointer of the parameter object (its `$ref` target when shared);
    /// empty for an undeclared path parameter.
    pub pointer: String,
    /// An array query parameter sent as one comma-separated value
    /// (`style: form, explode: false`: `fields=a,b`) instead of repeated keys.
    pub comma_separated: bool,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BodyEncoding {
    /// `application/json` (and `+json`).
    Json,
    /// `multipart/form-data`.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Anything else: raw bytes (`application/octet-stream`, `text/plain`, ...).
    Binary,
}

/// One way of sending the body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyVariant {
    /// Media type as written in the spec.
    pub media_type: String,
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Type of the body value.
    pub ty: Ty,
    /// Method name for this variant (`create`, `create_multipart`).
    pub method_name: String,
    /// JSON pointer of the media type object (`…/requestBody/content/application~1json`,
    /// under the `$ref` target when the body is shared).
    pub pointer: String,
}

/// The response an operation returns on success.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status (`200`, `2XX`, `default`).
    pub status: String,
    /// JSON body type; `None` when the response has no JSON content.
    pub ty: Option<Ty>,
    /// Description.
    pub doc: Option<String>,
    /// JSON pointer of the response object (its `$ref` target when shared).
    pub pointer: String,
    /// JSON pointer of the media type object `ty` was read from, if any.
    pub media_pointer: Option<String>,
    /// Every media type the response offers, as written (`application/json`,
    /// `audio/mpeg`): what the client puts in `Accept` when it asks for raw
    /// bytes, and which other forms of the body can be asked for.
    pub media_types: Vec<String>,
}

/// Page-number pagination, detected from the `page[number]` query parameter
/// and a response with `data: [T]` and `meta.page_number`/`meta.total_pages`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Query key that selects the page (`page[number]`).
    pub page_param: String,
    /// Item type.
    pub item: Ty,
    /// Rust name of the `data` field on the response.
    pub data_field: String,
    /// Rust name of the `meta` field on the response.
    pub meta_field: String,
    /// Meta field idents for page number and total pages.
    pub page_number_field: String,
    /// See above.
    pub total_pages_field: String,
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` (or one made from method and path).
    pub id: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/faxes/{id}/actions/cancel`.
    pub path: String,
    /// Resource chain, e.g. `["faxes", "actions"]` (snake-case idents).
    pub resource: Vec<String>,
    /// Method name on the resource, e.g. `cancel`.
    pub name: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Deprecated flag.
    pub deprecated: bool,
    /// Path parameters in template order.
    pub path_params: Vec<Param>,
    /// Required query and header parameters (method arguments), alphabetical.
    pub required_params: Vec<Param>,
    /// Optional query and header parameters, alphabetical.
    pub optional_params: Vec<Param>,
    /// Rust name of the struct holding the optional parameters.
    pub params_type: Option<String>,
    /// Request body variants; the first is the primary.
    pub body: Vec<BodyVariant>,
    /// Whether the body is required.
    pub body_required: bool,
    /// Type of a successful response (`None` = no content).
    pub success: Option<Ty>,
    /// All success responses, in status order.
    pub responses: Vec<Response>,
    /// Pagination, for list operations.
    pub pagination: Option<Pagination>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

/// A webhook event the API sends.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// `data.event_type` value, e.g. `fax.delivered`.
    pub event_type: String,
    /// Variant name, e.g. `FaxDelivered`.
    pub ident: String,
    /// Payload type (the whole delivered JSON document).
    pub ty: Ty,
    /// Description.
    pub doc: Option<String>,
}

/// Example values of one operation, from the document's examples (or built
/// from its schemas' examples, enums and formats where it gives none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationExample {
    /// Status of the first success response (`2XX` and `default` read as 200).
    pub status: u16,
    /// JSON body of that response; `None` when it has no JSON content.
    pub response: Option<serde_json::Value>,
    /// JSON request body (of the first body variant); `None` without one.
    pub request: Option<serde_json::Value>,
    /// Parameter values by wire name (path, query and header parameters).
    pub params: BTreeMap<String, serde_json::Value>,
}
