//! The intermediate model: plain data, fully resolved, every Rust name decided. Templates only loop
//! over it; analysis (`analyse.rs`) is the only place that builds it.

pub use crate::text::SpecText;
use std::fmt;

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: SpecText,
    pub version: SpecText,
    pub docs: Docs,
    /// The document's servers (the first is the default base URL).
    pub servers: Vec<Server>,
    /// Servers that some operations declare instead of the document's, each once.
    pub override_servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    pub tags: Vec<Tag>,
    pub types: Vec<TypeDef>,
}

/// Documentation lines, already sanitised for rustdoc.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    pub lines: Vec<String>,
}

impl Docs {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL template as written, `https://{project_slug}.projects.oryapis.com/`.
    pub url_template: SpecText,
    /// Name of the `Server` enum variant the generated code uses for it.
    pub rust_variant: String,
    /// Name of the builder method that overrides it (override servers only).
    pub rust_setter: String,
    pub variables: Vec<ServerVariable>,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: SpecText,
    pub rust_name: String,
    pub default: SpecText,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    pub name: SpecText,
    /// Variant of the generated `SecurityScheme` enum.
    pub rust_variant: String,
    /// The builder method that sets its credential.
    pub rust_setter: String,
    /// The field of the generated credentials struct.
    pub rust_field: String,
    pub kind: SecurityKind,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>` (http bearer, and oauth2/openIdConnect access tokens).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key sent as a header, query parameter or cookie.
    ApiKey {
        location: ParamLocation,
        name: SpecText,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: SpecText,
    /// Module under `apis/` and accessor method on the client (`jwk`, `oauth2`).
    pub rust_module: String,
    /// The API struct (`JwkApi`).
    pub rust_struct: String,
    pub docs: Docs,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: SpecText,
    pub rust_name: String,
    /// The request builder the operation's method returns (`GetJsonWebKeyRequest`).
    pub request_struct: String,
    pub method: Method,
    pub path_template: SpecText,
    pub path: Vec<PathPart>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// What a successful call returns.
    pub success: Outcome,
    /// The documented error body (`E` of `Error<E>`).
    pub error: Outcome,
    /// Alternatives: any one inner list, fully satisfied, authorises the call. Empty: no credentials.
    pub security: Vec<Vec<String>>,
    /// How to walk the pages of a list operation, when it is one.
    pub pagination: Option<Pagination>,
    /// `Server::rust_variant` of the server this operation goes to, when not the document's.
    pub server_override: Option<String>,
    pub deprecated: bool,
    pub docs: Docs,
    /// JSON pointer of the operation object.
    pub pointer: String,
}

/// A list operation: it takes a `page_token` query parameter and answers with a page of items.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The builder field of the `page_token` parameter.
    pub token_param: String,
    /// The type of one item.
    pub item: TypeRef,
    /// Where the items and the next token are.
    pub shape: PageShape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageShape {
    /// The body is the array of items; the next page is in the `Link` header (`rel="next"`).
    Array,
    /// The body is an object with the items in one array field and the next token in another (or,
    /// failing that, in the `Link` header).
    Object {
        items_field: String,
        items_optional: bool,
        token_field: String,
        token_optional: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(SpecText),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: SpecText,
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    /// `form` + `explode` arrays: the key repeats for each value.
    pub explode: bool,
    /// Carries a credential (a session token, a cookie): never shown by `Debug`.
    pub secret: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub media: BodyMedia,
    pub content_type: SpecText,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyMedia {
    Json,
    Form,
    Text,
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    /// A successful answer (2xx/3xx, or `default` when nothing else is documented as success).
    pub success: bool,
    /// `None`: no body (or none we decode).
    pub body: Option<ResponseBody>,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    pub media: BodyMedia,
    pub ty: TypeRef,
}

/// The Rust type one side (success or error) of an operation's answers decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every answer of this side has this body (`None`: no body).
    Single(Option<TypeRef>),
    /// Answers differ: an enum generated beside the operation, one variant per status.
    Enum {
        rust_name: String,
        variants: Vec<OutcomeVariant>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeVariant {
    pub rust_name: String,
    pub status: StatusMatch,
    pub ty: Option<TypeRef>,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `2XX`, `4XX`: the first digit.
    Range(u16),
    Default,
}

impl StatusMatch {
    pub fn is_success(self) -> bool {
        matches!(
            self,
            StatusMatch::Code(200..=399) | StatusMatch::Range(2 | 3)
        )
    }
}

/// A reference to a type as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A generated type, by its Rust name.
    Named(String),
    String,
    Bool,
    I32,
    I64,
    U8,
    U32,
    U64,
    F32,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Anything JSON: the schema says nothing more.
    Json,
    /// Bytes (`array` of `uint8`, Go's `[]byte`): base64 text on the wire, an integer array accepted.
    Bytes,
    /// An integer sent as a JSON string (`type: string, format: int64`).
    IntegerString,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    Option(Box<TypeRef>),
    /// Behind a pointer: a field that leads back to its own type.
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// Named types this reference mentions, directly or inside containers.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Boxed(inner) => inner.named(),
            _ => None,
        }
    }

    /// The named type this reference holds by value (directly, or in an `Option`): the references
    /// that make a type infinitely large when they lead back to it.
    pub fn held_by_value(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Option(inner) => inner.held_by_value(),
            _ => None,
        }
    }

    /// The same reference with the named type behind a `Box` (inside any `Option`).
    pub fn boxed(self) -> TypeRef {
        match self {
            TypeRef::Option(inner) => TypeRef::Option(Box::new(inner.boxed())),
            named @ TypeRef::Named(_) => TypeRef::Boxed(Box::new(named)),
            other => other,
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, TypeRef::Option(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, TypeRef::String)
    }
}

/// How the generated code spells the type (fully qualified where it is not a prelude name).
impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Named(name) => write!(f, "crate::models::{name}"),
            TypeRef::String => f.write_str("String"),
            TypeRef::Bool => f.write_str("bool"),
            TypeRef::I32 => f.write_str("i32"),
            TypeRef::I64 => f.write_str("i64"),
            TypeRef::U8 => f.write_str("u8"),
            TypeRef::U32 => f.write_str("u32"),
            TypeRef::U64 => f.write_str("u64"),
            TypeRef::F32 => f.write_str("f32"),
            TypeRef::F64 => f.write_str("f64"),
            TypeRef::Uuid => f.write_str("uuid::Uuid"),
            TypeRef::DateTime => f.write_str("chrono::DateTime<chrono::Utc>"),
            TypeRef::Date => f.write_str("chrono::NaiveDate"),
            TypeRef::Json => f.write_str("serde_json::Value"),
            TypeRef::Bytes => f.write_str("crate::types::Base64Bytes"),
            TypeRef::IntegerString => f.write_str("crate::types::IntegerString"),
            TypeRef::Vec(inner) => write!(f, "Vec<{inner}>"),
            TypeRef::Map(inner) => write!(f, "std::collections::BTreeMap<String, {inner}>"),
            TypeRef::Option(inner) => write!(f, "Option<{inner}>"),
            TypeRef::Boxed(inner) => write!(f, "Box<{inner}>"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub rust_name: String,
    /// The component schema name, or a description of where an inline schema sits.
    pub origin: String,
    pub pointer: String,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; decoding an unknown value gives the `Unknown(String)` variant.
    Enum(StringEnum),
    OneOf(OneOf),
    /// `pub type X = T;`
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside properties: flattened into a map of this type.
    pub additional: Option<TypeRef>,
    /// Every field may be absent, so `Default` is derived.
    pub derive_default: bool,
    /// Some field is secret, so `Debug` is written out to redact it.
    pub redacted_debug: bool,
}

impl Struct {
    /// The fields the model's `new` takes, in order: those that are not `Option`s. The others start
    /// absent and have a `with_` setter.
    pub fn constructor_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| !f.ty.is_option())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: SpecText,
    pub rust_name: String,
    /// The field's Rust type, `Option` included where the field may be absent or null.
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    /// Never shown by `Debug` (private key material, passwords).
    pub secret: bool,
    pub docs: Docs,
}

impl Field {
    /// Absent on the wire when `None` (optional and not nullable-required).
    pub fn skip_if_none(&self) -> bool {
        self.ty.is_option() && !(self.required && self.nullable)
    }

    /// Read as `None` when absent from the wire; otherwise an absent member is an error. Required
    /// nullable members too, as serde's derive reads an absent `Option`.
    pub fn absent_is_none(&self) -> bool {
        self.ty.is_option()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub wire_value: SpecText,
    pub rust_name: String,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    /// The discriminating property, for an internally tagged enum; `None`: untagged.
    pub discriminator: Option<SpecText>,
    pub variants: Vec<OneOfVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Discriminator values selecting this variant (tagged enums).
    pub tag_values: Vec<SpecText>,
    pub docs: Docs,
}

impl Api {
    pub fn type_by_name(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.rust_name == name)
    }

    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.tags.iter().flat_map(|t| t.operations.iter())
    }
}
