//! Analysis: `openapiv3::OpenAPI` → the IR. Every `$ref` is resolved, every name decided, every type
//! mapped here; nothing after this step looks at the spec again.

use crate::docs::docs;
use crate::error::{pointer_join, pointer_push, Error, Result};
use crate::ir::*;
use crate::names::{self, Namespace};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// What the generator needs beyond the spec.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// JSON pointers of schema properties whose values are secret (never shown by `Debug`), in addition
    /// to every `format: password` property.
    pub secret_properties: Vec<String>,
}

/// The analysed API plus what analysis noticed along the way.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub api: Api,
    /// Pointers of schemas that say something yet end up as untyped JSON.
    pub untyped: Vec<String>,
    /// Operations left out, with why: a request body in no media type the client can send
    /// (XML-only, multipart).
    pub unsupported: Vec<(String, String)>,
}

impl Analysis {
    /// What analysis noticed, one line each, for the person generating.
    pub fn notes(&self) -> Vec<String> {
        let untyped = self.untyped.iter().map(|pointer| {
            format!("note: schema at `{pointer}` says something but becomes untyped JSON")
        });
        let unsupported = self
            .unsupported
            .iter()
            .map(|(pointer, reason)| format!("note: operation left out at `{pointer}`: {reason}"));
        // Pointers and reasons quote spec text: shown on a terminal, it stays text.
        untyped
            .chain(unsupported)
            .map(|note| crate::text::escape_unsafe(&note).into_owned())
            .collect()
    }
}

pub fn analyse(spec: &OpenAPI, config: &Config) -> Result<Analysis> {
    let mut analyser = Analyser::new(spec, config);
    analyser.define_components()?;
    // Only the first server's variables become builder settings.
    let servers = spec
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| match i {
            0 => server(s, "Default", "", &mut analyser.builder_names),
            _ => server(s, "", "", &mut Namespace::new("_")),
        })
        .collect::<Vec<_>>();
    let security_schemes = analyser.security_schemes()?;
    let tags = analyser.tags(&security_schemes)?;
    let mut types = std::mem::take(&mut analyser.types);
    types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let api = Api {
        title: spec.info.title.as_str().into(),
        version: spec.info.version.as_str().into(),
        docs: docs(None, spec.info.description.as_deref()),
        servers,
        override_servers: analyser.override_servers.into_values().collect(),
        security_schemes,
        tags,
        types,
    };
    let mut untyped = analyser.untyped;
    untyped.sort();
    Ok(Analysis {
        api,
        untyped,
        unsupported: analyser.unsupported,
    })
}

/// `variable_names`: where the variables' Rust names are claimed.
fn server(
    s: &openapiv3::Server,
    variant: &str,
    setter: &str,
    variable_names: &mut Namespace,
) -> Server {
    let mut sorted: Vec<_> = s.variables.iter().flatten().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let variables = sorted
        .into_iter()
        .map(|(name, v)| ServerVariable {
            name: name.into(),
            rust_name: variable_names.claim(&names::snake(name)),
            default: v.default.as_str().into(),
            docs: docs(None, v.description.as_deref()),
        })
        .collect();
    Server {
        url_template: s.url.as_str().into(),
        rust_variant: variant.to_owned(),
        rust_setter: setter.to_owned(),
        variables,
        docs: docs(None, s.description.as_deref()),
    }
}

/// Where a component schema's Rust type stands while the components are being defined.
#[derive(Debug, Clone)]
enum ComponentState {
    /// Gets a type definition of its own under this name.
    Named(String),
    /// An alias whose target is being computed (a cycle through aliases if seen again).
    Resolving,
    /// An alias, resolved to the type it stands for.
    Alias(TypeRef),
}

/// The name an inline schema's type would take, spelled out only when it gets one: most schemas
/// (references, strings, numbers) need no type of their own, and spelling every member's name in
/// UpperCamelCase was a sixth of the analysis.
#[derive(Clone, Copy)]
enum NameHint<'a> {
    /// A name as it is.
    Whole(&'a str),
    /// An owner's name, then a member's in UpperCamelCase (`Identity` + `verifiable_addresses` →
    /// `IdentityVerifiableAddresses`).
    Member(&'a str, &'a str),
    /// A hint, then a word (`…Item`, `…Value`).
    Suffixed(&'a NameHint<'a>, &'static str),
}

impl NameHint<'_> {
    fn spell(&self) -> String {
        match self {
            NameHint::Whole(name) => (*name).to_owned(),
            NameHint::Member(owner, member) => format!("{owner}{}", names::upper_camel(member)),
            NameHint::Suffixed(hint, word) => format!("{}{word}", hint.spell()),
        }
    }
}

struct Analyser<'a> {
    spec: &'a OpenAPI,
    config: &'a Config,
    type_names: Namespace,
    components: BTreeMap<String, ComponentState>,
    types: Vec<TypeDef>,
    /// Members of tagged oneOfs: struct name → the discriminator property they must not repeat.
    tagged_members: BTreeMap<String, String>,
    override_servers: BTreeMap<String, Server>,
    /// `ClientBuilder`'s fields and methods: server variables, credential and server setters.
    builder_names: Namespace,
    server_variants: Namespace,
    untyped: Vec<String>,
    unsupported: Vec<(String, String)>,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Methods of the traits the client's structs implement (`Clone`, `Debug`, and every type's
/// `Into` and `ToOwned`): a generated method of the same name would shadow them.
const TRAIT_METHODS: [&str; 5] = ["clone", "clone_from", "fmt", "into", "to_owned"];

/// What `ClientBuilder` (templates/client.rs.askama) defines itself, as a field or a method, and
/// `default`, which `Client::builder` calls (an inherent `default` would be called instead).
const BUILDER_NAMES: &[&str] = &[
    "base_url",
    "bearer_token",
    "build",
    "connect_timeout",
    "credentials",
    "default",
    "http_client",
    "max_response_size",
    "retry",
    "timeout",
    "user_agent",
];

/// The methods of an API group's struct (templates/api.rs.askama), beside which each operation
/// gets its method.
const GROUP_METHODS: &[&str] = &["new"];

/// `Client`'s own methods, beside which each API group gets an accessor.
const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "block_on",
    "builder",
    "credential",
    "execute",
    "request",
    "send_once",
    "send_with_retries",
    "start",
];

/// The methods of an operation's request builder (templates/api.rs.askama), beside which each
/// optional parameter gets a setter.
const REQUEST_METHODS: &[&str] = &[
    "call",
    "decode",
    "into_future",
    "into_stream",
    "prepare",
    "send",
    "send_with_response",
];

impl<'a> Analyser<'a> {
    fn new(spec: &'a OpenAPI, config: &'a Config) -> Self {
        Analyser {
            spec,
            config,
            type_names: Namespace::types(),
            components: BTreeMap::new(),
            types: Vec::new(),
            tagged_members: BTreeMap::new(),
            override_servers: BTreeMap::new(),
            builder_names: Namespace::taken("_setting", BUILDER_NAMES).and_taken(&TRAIT_METHODS),
            server_variants: Namespace::taken("Host", &["Default"]),
            untyped: Vec::new(),
            unsupported: Vec::new(),
        }
    }

    fn component_schemas(&self) -> Vec<(&'a String, &'a ReferenceOr<Schema>)> {
        let mut all: Vec<_> = self
            .spec
            .components
            .iter()
            .flat_map(|c| c.schemas.iter())
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    /// Names every component that becomes a type of its own, then defines them all (aliases resolve
    /// lazily, since they may point at each other in any order).
    fn define_components(&mut self) -> Result<()> {
        let components = self.component_schemas();
        for (name, schema) in &components {
            if let ReferenceOr::Item(schema) = schema {
                if needs_own_type(schema) {
                    let rust = self.type_names.claim(&names::upper_camel(name));
                    self.components
                        .insert((*name).clone(), ComponentState::Named(rust));
                }
            }
        }
        for (name, schema) in &components {
            let pointer = pointer_push("/components/schemas", name);
            match self.components.get(*name).cloned() {
                Some(ComponentState::Named(rust)) => {
                    let ReferenceOr::Item(schema) = schema else {
                        return Err(Error::at(
                            pointer,
                            "internal: a referenced component was named as a type",
                        ));
                    };
                    self.define_named(&rust, name, schema, &pointer)?;
                }
                _ => {
                    let target = self.component_type(name, &pointer)?;
                    let rust = self.type_names.claim(&names::upper_camel(name));
                    let docs = match schema {
                        ReferenceOr::Item(s) => schema_docs(s),
                        ReferenceOr::Reference { .. } => Docs::default(),
                    };
                    self.types.push(TypeDef {
                        rust_name: rust,
                        origin: (*name).clone(),
                        pointer,
                        docs,
                        kind: TypeKind::Alias(target),
                    });
                }
            }
        }
        self.drop_tag_fields_of_tagged_members();
        box_recursive_references(&mut self.types);
        Ok(())
    }

    /// The type a reference to component `name` stands for.
    fn component_type(&mut self, name: &str, pointer: &str) -> Result<TypeRef> {
        match self.components.get(name) {
            Some(ComponentState::Named(rust)) => return Ok(TypeRef::Named(rust.clone())),
            Some(ComponentState::Alias(target)) => return Ok(target.clone()),
            Some(ComponentState::Resolving) => {
                return Err(Error::at(
                    pointer,
                    format!("`{name}` refers to itself through aliases only; it has no type"),
                ))
            }
            None => {}
        }
        let Some(schema) = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
        else {
            return Err(Error::at(
                pointer,
                format!("dangling $ref: `{SCHEMA_PREFIX}{name}` does not exist"),
            ));
        };
        self.components
            .insert(name.to_owned(), ComponentState::Resolving);
        let own_pointer = pointer_push("/components/schemas", name);
        let hint = names::upper_camel(name);
        let target = self.schema_type(schema, &own_pointer, NameHint::Whole(&hint))?;
        self.components
            .insert(name.to_owned(), ComponentState::Alias(target.clone()));
        Ok(target)
    }

    /// The type of a schema or reference as used at `pointer`; `hint` names any inline type it
    /// needs. Boxed (properties, array items) or not, it is read in place: a copy per property
    /// copied the nested schemas once per level.
    fn schema_type(
        &mut self,
        schema: &ReferenceOr<impl std::borrow::Borrow<Schema>>,
        pointer: &str,
        hint: NameHint,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, pointer),
            ReferenceOr::Item(schema) => self.inline_type(schema.borrow(), pointer, hint),
        }
    }

    fn reference_type(&mut self, reference: &str, pointer: &str) -> Result<TypeRef> {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(Error::at(
                pointer,
                format!("unsupported $ref `{reference}`: only `{SCHEMA_PREFIX}...` references are supported for schemas"),
            ));
        };
        let name = unescape_pointer_token(name);
        self.component_type(&name, pointer)
    }

    fn inline_type(&mut self, schema: &Schema, pointer: &str, hint: NameHint) -> Result<TypeRef> {
        let ty = if needs_own_type(schema) {
            let hint = hint.spell();
            let rust = self.type_names.claim(&hint);
            self.define_named(&rust, &hint, schema, pointer)?;
            TypeRef::Named(rust)
        } else {
            self.plain_type(schema, pointer, hint)?
        };
        Ok(if schema.schema_data.nullable && !ty.is_option() {
            TypeRef::Option(Box::new(ty))
        } else {
            ty
        })
    }

    /// Types that need no definition of their own: primitives, arrays, maps, free-form JSON.
    fn plain_type(&mut self, schema: &Schema, pointer: &str, hint: NameHint) -> Result<TypeRef> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" || f == "uuid4" => TypeRef::Uuid,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int64" || f == "int32" => {
                    TypeRef::IntegerString
                }
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint8" => TypeRef::U8,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => TypeRef::U32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => TypeRef::U64,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Array(a)) if items_are_uint8(a) => TypeRef::Bytes,
            SchemaKind::Type(Type::Array(a)) => {
                let items_pointer = pointer_push(pointer, "items");
                let item = match &a.items {
                    Some(items) => {
                        self.schema_type(items, &items_pointer, NameHint::Suffixed(&hint, "Item"))?
                    }
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            SchemaKind::Type(Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_pointer = pointer_push(pointer, "additionalProperties");
                    let value_type = self.schema_type(
                        value,
                        &value_pointer,
                        NameHint::Suffixed(&hint, "Value"),
                    )?;
                    TypeRef::Map(Box::new(value_type))
                }
                _ => TypeRef::Json,
            },
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.schema_type(&all_of[0], &pointer_push(pointer, "allOf/0"), hint)?
            }
            SchemaKind::Any(any) => {
                if any_says_something(any) {
                    self.untyped.push(pointer.to_owned());
                }
                TypeRef::Json
            }
            SchemaKind::Not { .. } => TypeRef::Json,
            // Compositions with several members always get a type of their own (`needs_own_type`).
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => {
                return Err(Error::at(
                    pointer,
                    "internal: composition without a type of its own",
                ))
            }
        })
    }

    /// Defines the type of its own for `schema` under `rust`.
    fn define_named(
        &mut self,
        rust: &str,
        origin: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Result<()> {
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                let descriptions = enum_descriptions(schema, &values);
                let mut variant_names = Namespace::new("Value");
                variant_names.claim("Unknown");
                let variants = values
                    .iter()
                    .map(|value| EnumVariant {
                        rust_name: variant_names.claim(&names::upper_camel(value)),
                        docs: docs(None, descriptions.get(*value).map(String::as_str)),
                        wire_value: (*value).into(),
                    })
                    .collect();
                TypeKind::Enum(StringEnum { variants })
            }
            SchemaKind::Type(Type::Object(o)) => TypeKind::Struct(self.object_struct(
                rust,
                &o.properties,
                &o.required,
                &o.additional_properties,
                pointer,
            )?),
            SchemaKind::Any(any) => TypeKind::Struct(self.object_struct(
                rust,
                &any.properties,
                &any.required,
                &any.additional_properties,
                pointer,
            )?),
            SchemaKind::AllOf { all_of } => {
                TypeKind::Struct(self.all_of_struct(rust, all_of, pointer)?)
            }
            SchemaKind::OneOf { one_of } => {
                TypeKind::OneOf(self.one_of(rust, one_of, schema, pointer, "oneOf")?)
            }
            SchemaKind::AnyOf { any_of } => {
                TypeKind::OneOf(self.one_of(rust, any_of, schema, pointer, "anyOf")?)
            }
            _ => {
                return Err(Error::at(
                    pointer,
                    "internal: no type of its own for this schema",
                ))
            }
        };
        self.types.push(TypeDef {
            rust_name: rust.to_owned(),
            origin: origin.to_owned(),
            pointer: pointer.to_owned(),
            docs: schema_docs(schema),
            kind,
        });
        Ok(())
    }

    fn object_struct(
        &mut self,
        owner: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: &Option<AdditionalProperties>,
        pointer: &str,
    ) -> Result<Struct> {
        let mut field_names = Namespace::new("_");
        field_names.claim("additional_properties");
        let mut fields = Vec::new();
        for (wire_name, property) in properties {
            let property_pointer = pointer_join(pointer, ["properties", wire_name]);
            let hint = NameHint::Member(owner, wire_name);
            let ty = self.schema_type(property, &property_pointer, hint)?;
            let (read_only, format_password, description) = match property {
                ReferenceOr::Item(s) => (
                    s.schema_data.read_only,
                    matches!(&s.schema_kind, SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)),
                    schema_docs(s),
                ),
                ReferenceOr::Reference { .. } => (false, false, Docs::default()),
            };
            let is_required = required.contains(wire_name);
            let nullable = ty.is_option();
            let ty = if (is_required && !read_only) || nullable {
                ty
            } else {
                TypeRef::Option(Box::new(ty))
            };
            fields.push(Field {
                rust_name: field_names.claim(&names::snake(wire_name)),
                wire_name: wire_name.into(),
                ty,
                required: is_required,
                nullable,
                read_only,
                secret: format_password
                    || self.config.secret_properties.contains(&property_pointer),
                docs: description,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(value)) if !properties.is_empty() => {
                Some(self.schema_type(
                    value,
                    &pointer_push(pointer, "additionalProperties"),
                    NameHint::Suffixed(&NameHint::Whole(owner), "Value"),
                )?)
            }
            Some(AdditionalProperties::Any(true)) if !properties.is_empty() => Some(TypeRef::Json),
            _ => None,
        };
        Ok(Struct {
            derive_default: fields.iter().all(|f| f.ty.is_option()),
            redacted_debug: fields.iter().any(|f| f.secret),
            fields,
            additional,
        })
    }

    /// allOf of several object schemas: one struct with the properties of all of them.
    fn all_of_struct(
        &mut self,
        owner: &str,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Result<Struct> {
        let mut properties = indexmap::IndexMap::new();
        let mut required = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let part_pointer = pointer_join(pointer, ["allOf", &index.to_string()]);
            let resolved = self.resolve_schema(part, &part_pointer)?;
            match &resolved.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    properties.extend(o.properties.clone());
                    required.extend(o.required.iter().cloned());
                }
                SchemaKind::Any(any) if any.properties.is_empty() => {}
                SchemaKind::Any(any) => {
                    properties.extend(any.properties.clone());
                    required.extend(any.required.iter().cloned());
                }
                _ => {
                    return Err(Error::at(
                        part_pointer,
                        "allOf members must be object schemas to be merged into one struct",
                    ))
                }
            }
        }
        self.object_struct(owner, &properties, &required, &None, pointer)
    }

    fn one_of(
        &mut self,
        owner: &str,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        pointer: &str,
        keyword: &str,
    ) -> Result<OneOf> {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut variant_names = Namespace::new("Variant");
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer_join(pointer, [keyword, &index.to_string()]);
            let (ty, wanted, implicit_tag) = match member {
                ReferenceOr::Reference { reference } => {
                    let ty = self.reference_type(reference, &member_pointer)?;
                    let component = unescape_pointer_token(
                        reference.strip_prefix(SCHEMA_PREFIX).unwrap_or(reference),
                    );
                    let wanted = strip_common_prefix(owner, &names::upper_camel(&component));
                    (ty, wanted, component)
                }
                ReferenceOr::Item(item) => {
                    let kind_name = schema_kind_name(item);
                    let hint = format!("{owner}{kind_name}");
                    let ty = self.inline_type(item, &member_pointer, NameHint::Whole(&hint))?;
                    (ty, kind_name.to_owned(), String::new())
                }
            };
            let tag_values = match discriminator {
                Some(d) => {
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| matches!(member, ReferenceOr::Reference { reference } if reference == *target))
                        .map(|(value, _)| value.clone())
                        .collect();
                    if mapped.is_empty() {
                        vec![implicit_tag]
                    } else {
                        mapped
                    }
                }
                None => Vec::new(),
            };
            variants.push(OneOfVariant {
                rust_name: wanted,
                ty,
                tag_values: tag_values.into_iter().map(SpecText::from).collect(),
                docs: Docs::default(),
            });
        }
        let wanted: Vec<String> = variants.iter().map(|v| v.rust_name.clone()).collect();
        for (variant, name) in variants.iter_mut().zip(strip_shared_words(&wanted)) {
            // What is left of a name can be `Self` (`SelfNode` beside `OtherNode`) or start with
            // a digit.
            variant.rust_name = variant_names.claim(&names::type_name(name));
        }
        if let Some(d) = discriminator {
            for variant in &variants {
                match &variant.ty {
                    TypeRef::Named(member) if variant.tag_values.iter().all(|t| !t.raw().is_empty()) => {
                        self.tagged_members
                            .insert(member.clone(), d.property_name.clone());
                    }
                    _ => {
                        return Err(Error::at(
                            pointer,
                            format!("discriminated `{keyword}` member `{}` must be a referenced object schema", variant.rust_name),
                        ))
                    }
                }
            }
        }
        Ok(OneOf {
            discriminator: discriminator.map(|d| d.property_name.as_str().into()),
            variants,
        })
    }

    /// A member of a tagged enum must not carry the tag itself: serde writes and reads it for the enum,
    /// and a second copy would be a duplicate key on encode and a missing field on decode.
    fn drop_tag_fields_of_tagged_members(&mut self) {
        for ty in &mut self.types {
            let Some(tag) = self.tagged_members.get(&ty.rust_name) else {
                continue;
            };
            if let TypeKind::Struct(s) = &mut ty.kind {
                s.fields.retain(|f| f.wire_name.raw() != tag);
                s.derive_default = s.fields.iter().all(|f| f.ty.is_option());
            }
        }
    }

    fn resolve_schema(&self, schema: &'a ReferenceOr<Schema>, pointer: &str) -> Result<&'a Schema> {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(s) => return Ok(s),
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix(SCHEMA_PREFIX)
                        .map(unescape_pointer_token);
                    current = name
                        .and_then(|n| self.spec.components.as_ref()?.schemas.get(&n))
                        .ok_or_else(|| {
                            Error::at(
                                pointer,
                                format!("dangling $ref: `{reference}` does not exist"),
                            )
                        })?;
                }
            }
        }
        Err(Error::at(pointer, "$ref chain too long or cyclic"))
    }

    fn security_schemes(&mut self) -> Result<Vec<SecurityScheme>> {
        // The credentials struct holds one field per scheme beside the shared bearer token.
        let mut fields = Namespace::taken("_scheme", &["bearer_token"]);
        let mut variants = Namespace::new("Auth");
        let mut schemes = Vec::new();
        let Some(components) = &self.spec.components else {
            return Ok(schemes);
        };
        let mut entries: Vec<_> = components.security_schemes.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (name, scheme) in entries {
            let pointer = pointer_push("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                return Err(Error::at(
                    pointer,
                    "a $ref security scheme is not supported",
                ));
            };
            let base = names::snake(name);
            let (kind, description, setter) = match scheme {
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (
                    SecurityKind::Basic,
                    description,
                    with_suffix(&base, "_auth"),
                ),
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (
                    SecurityKind::Bearer,
                    description,
                    with_suffix(&base, "_token"),
                ),
                openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                    return Err(Error::at(
                        pointer,
                        format!("unsupported HTTP authentication scheme `{scheme}`"),
                    ))
                }
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => (
                    SecurityKind::Bearer,
                    description,
                    with_suffix(&base, "_token"),
                ),
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name: key_name,
                    description,
                    ..
                } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (
                        SecurityKind::ApiKey {
                            location,
                            name: key_name.into(),
                        },
                        description,
                        with_suffix(&base, "_key"),
                    )
                }
            };
            schemes.push(SecurityScheme {
                name: name.into(),
                rust_variant: variants.claim(&names::upper_camel(name)),
                rust_setter: self.builder_names.claim_suffixed(&setter, "_scheme"),
                rust_field: fields.claim(&names::snake(name)),
                kind,
                docs: docs(None, description.as_deref()),
            });
        }
        Ok(schemes)
    }

    fn tags(&mut self, schemes: &[SecurityScheme]) -> Result<Vec<Tag>> {
        let mut by_tag: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
        let mut method_names: BTreeMap<String, Namespace> = BTreeMap::new();
        let mut operation_ids = BTreeSet::new();
        for (path, item) in &self.spec.paths.paths {
            let item_pointer = pointer_push("/paths", path);
            let ReferenceOr::Item(item) = item else {
                return Err(Error::at(item_pointer, "a $ref path item is not supported"));
            };
            for (method_name, operation) in item.iter() {
                let pointer = pointer_push(&item_pointer, method_name);
                if let Some(reason) = self.unsupported_body(operation) {
                    self.unsupported
                        .push((pointer_push(&pointer, "requestBody"), reason));
                    continue;
                }
                let tag = operation
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "default".to_owned());
                let id = match &operation.operation_id {
                    Some(id) => id.clone(),
                    None => format!("{method_name}{}", names::upper_camel(path)),
                };
                if !operation_ids.insert(id.clone()) {
                    return Err(Error::at(
                        pointer_push(&pointer, "operationId"),
                        format!("duplicate operationId `{id}`"),
                    ));
                }
                let methods = method_names.entry(tag.clone()).or_insert_with(|| {
                    Namespace::taken("_operation", GROUP_METHODS).and_taken(&TRAIT_METHODS)
                });
                let rust_name = methods.claim(&names::snake(&id));
                let op = self.operation(
                    &id,
                    rust_name,
                    method_name,
                    path,
                    item,
                    operation,
                    &pointer,
                    schemes,
                )?;
                by_tag.entry(tag).or_default().push(op);
            }
        }
        let tag_docs: BTreeMap<&str, &openapiv3::Tag> = self
            .spec
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        let mut modules = Namespace::modules("_api");
        for taken in [
            "apis",
            "models",
            "client",
            "error",
            "runtime",
            "response",
            "types",
            // Cargo features of the generated crate, which group features must not repeat.
            "default",
            "blocking",
            "native_tls",
            "standalone_models",
        ]
        .into_iter()
        .chain(CLIENT_METHODS.iter().copied())
        // Not a method of `Client`, but an accessor of that name would read as a constructor.
        .chain(["new"])
        .chain(TRAIT_METHODS)
        {
            modules.claim(taken);
        }
        let mut structs = Namespace::new("Group");
        Ok(by_tag
            .into_iter()
            .map(|(name, mut operations)| {
                operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
                let description = tag_docs
                    .get(name.as_str())
                    .and_then(|t| t.description.as_deref());
                Tag {
                    rust_module: modules.claim(&names::snake(&name)),
                    rust_struct: structs.claim(&format!("{}Api", names::upper_camel(&name))),
                    docs: docs(None, description),
                    name: name.into(),
                    operations,
                }
            })
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        id: &str,
        rust_name: String,
        method_name: &str,
        path: &str,
        item: &openapiv3::PathItem,
        op: &openapiv3::Operation,
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Result<Operation> {
        let method = match method_name {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            other => return Err(Error::at(pointer, format!("unknown HTTP method `{other}`"))),
        };
        let type_hint = names::upper_camel(id);
        let mut param_names = Namespace::taken("_param", REQUEST_METHODS).and_taken(&TRAIT_METHODS);
        param_names.claim("body");
        let mut params: Vec<Param> = Vec::new();
        let declared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    pointer_join(
                        &pointer_push("/paths", path),
                        ["parameters", &i.to_string()],
                    ),
                )
            })
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, pointer_join(pointer, ["parameters", &i.to_string()]))),
            );
        for (parameter, param_pointer) in declared {
            let parameter = self.resolve_parameter(parameter, &param_pointer)?;
            let (data, location, explode) = match parameter {
                openapiv3::Parameter::Path { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Path, false)
                }
                openapiv3::Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => {
                    let explode = parameter_data
                        .explode
                        .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                    (parameter_data, ParamLocation::Query, explode)
                }
                openapiv3::Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header, false)
                }
                openapiv3::Parameter::Cookie { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Cookie, false)
                }
            };
            let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::at(
                    param_pointer,
                    "parameters described by `content` are not supported",
                ));
            };
            let hint = NameHint::Member(&type_hint, &data.name);
            let ty = self.schema_type(schema, &pointer_push(&param_pointer, "schema"), hint)?;
            let ty = match ty {
                TypeRef::Option(inner) => *inner,
                other => other,
            };
            let new = Param {
                wire_name: data.name.as_str().into(),
                rust_name: String::new(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                explode,
                secret: names::looks_secret(&data.name),
                docs: docs(None, data.description.as_deref()),
            };
            // An operation-level parameter replaces a path-level one with the same name and location.
            match params
                .iter_mut()
                .find(|p| p.wire_name == new.wire_name && p.location == new.location)
            {
                Some(existing) => {
                    *existing = Param {
                        rust_name: existing.rust_name.clone(),
                        ..new
                    }
                }
                None => params.push(Param {
                    rust_name: param_names.claim(&names::snake(new.wire_name.raw())),
                    ..new
                }),
            }
        }
        let path_parts = parse_path(path, &params, pointer)?;
        let body = match &op.request_body {
            Some(body) => {
                Some(self.request_body(body, &pointer_push(pointer, "requestBody"), &type_hint)?)
            }
            None => None,
        };
        let responses = self.responses(op, pointer, &type_hint)?;
        let success = self.outcome(&responses, true, &format!("{type_hint}Response"));
        let error = self.outcome(&responses, false, &format!("{type_hint}Error"));
        let request_struct = self.type_names.claim(&format!("{type_hint}Request"));
        let pagination = self.pagination(&params, &success);
        let security = op
            .security
            .as_ref()
            .or(self.spec.security.as_ref())
            .map(|alternatives| {
                let mut credentialed: Vec<Vec<String>> = Vec::new();
                let mut optional = false;
                for requirement in alternatives {
                    let mut names: Vec<String> = requirement.keys().cloned().collect();
                    names.sort();
                    if names.is_empty() {
                        optional = true;
                    } else {
                        credentialed.push(names);
                    }
                }
                // An empty requirement (`{}`) makes credentials optional. It goes last, so that
                // configured credentials are still sent; alone, it means none are needed.
                if optional && !credentialed.is_empty() {
                    credentialed.push(Vec::new());
                }
                credentialed
            })
            .unwrap_or_default();
        for name in security.iter().flatten() {
            if !schemes.iter().any(|s| s.name.raw() == name) {
                return Err(Error::at(
                    pointer_push(pointer, "security"),
                    format!("security scheme `{name}` is not defined"),
                ));
            }
        }
        let servers = if op.servers.is_empty() {
            &item.servers
        } else {
            &op.servers
        };
        let server_override = match servers.first() {
            Some(s) if !self.spec.servers.iter().any(|d| d.url == s.url) => {
                Some(self.override_server(s))
            }
            _ => None,
        };
        Ok(Operation {
            id: id.into(),
            rust_name,
            request_struct,
            method,
            path_template: path.into(),
            path: path_parts,
            params,
            body,
            responses,
            success,
            error,
            security,
            server_override,
            pagination,
            deprecated: op.deprecated,
            docs: docs(op.summary.as_deref(), op.description.as_deref()),
            pointer: pointer.to_owned(),
        })
    }

    /// A list operation by convention: an optional `page_token` query parameter, and a success body
    /// that is an array, or an object with one array field and a `next_page_token` field.
    fn pagination(&self, params: &[Param], success: &Outcome) -> Option<Pagination> {
        let token = params.iter().find(|p| {
            p.wire_name == "page_token" && p.location == ParamLocation::Query && !p.required
        })?;
        let Outcome::Single(Some(body)) = success else {
            return None;
        };
        let (item, shape) = match body {
            TypeRef::Vec(item) => ((**item).clone(), PageShape::Array),
            TypeRef::Named(name) => {
                let TypeKind::Struct(s) = &self.types.iter().find(|t| &t.rust_name == name)?.kind
                else {
                    return None;
                };
                let token_field = s.fields.iter().find(|f| f.wire_name == "next_page_token")?;
                let mut arrays = s.fields.iter().filter_map(|f| match &f.ty {
                    TypeRef::Vec(item) => Some((f, (**item).clone(), false)),
                    TypeRef::Option(inner) => match &**inner {
                        TypeRef::Vec(item) => Some((f, (**item).clone(), true)),
                        _ => None,
                    },
                    _ => None,
                });
                let (items, item, optional) = arrays.next()?;
                if arrays.next().is_some() {
                    return None;
                }
                let shape = PageShape::Object {
                    items_field: items.rust_name.clone(),
                    items_optional: optional,
                    token_field: token_field.rust_name.clone(),
                    token_optional: token_field.ty.is_option(),
                };
                (item, shape)
            }
            _ => return None,
        };
        Some(Pagination {
            token_param: token.rust_name.clone(),
            item,
            shape,
        })
    }

    fn override_server(&mut self, s: &openapiv3::Server) -> String {
        if let Some(existing) = self.override_servers.get(&s.url) {
            return existing.rust_variant.clone();
        }
        let host = s
            .url
            .split("://")
            .nth(1)
            .unwrap_or(&s.url)
            .trim_end_matches('/');
        let variant = self.server_variants.claim(&names::upper_camel(host));
        let setter = self
            .builder_names
            .claim(&names::suffixed(&names::snake(host), "_url"));
        let server = server(s, &variant, &setter, &mut Namespace::new("_"));
        self.override_servers.insert(s.url.clone(), server);
        variant
    }

    fn resolve_parameter(
        &self,
        parameter: &'a ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
    ) -> Result<&'a openapiv3::Parameter> {
        match parameter {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .map(unescape_pointer_token)
                .and_then(|name| self.spec.components.as_ref()?.parameters.get(&name))
                .and_then(|p| p.as_item())
                .ok_or_else(|| {
                    Error::at(
                        pointer,
                        format!("dangling $ref: `{reference}` does not exist"),
                    )
                }),
        }
    }

    /// Why the client cannot send this operation's request body, if it cannot.
    fn unsupported_body(&self, op: &openapiv3::Operation) -> Option<String> {
        let body = match op.request_body.as_ref()? {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let name =
                    unescape_pointer_token(reference.strip_prefix("#/components/requestBodies/")?);
                self.spec
                    .components
                    .as_ref()?
                    .request_bodies
                    .get(&name)?
                    .as_item()?
            }
        };
        if body.content.is_empty() || pick_media(&body.content).is_some() {
            return None;
        }
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        Some(format!(
            "unsupported: the request body is only {}; the client sends JSON, form, text or octet-stream",
            types.join(", ")
        ))
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        hint: &str,
    ) -> Result<RequestBody> {
        let (body, pointer) = match body {
            ReferenceOr::Item(b) => (b, pointer.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .map(unescape_pointer_token)
                    .ok_or_else(|| Error::at(pointer, format!("unsupported $ref `{reference}`")))?;
                let body = self
                    .spec
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(&name))
                    .and_then(|b| b.as_item())
                    .ok_or_else(|| {
                        Error::at(
                            pointer,
                            format!("dangling $ref: `{reference}` does not exist"),
                        )
                    })?;
                (body, pointer_push("/components/requestBodies", &name))
            }
        };
        let Some((content_type, media, media_type)) = pick_media(&body.content) else {
            return Err(Error::at(
                pointer_push(&pointer, "content"),
                format!(
                    "no supported request media type (JSON, form, text or octet-stream) among: {}",
                    body.content.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        };
        let schema_pointer = pointer_join(&pointer, ["content", content_type, "schema"]);
        let ty = match (&media_type.schema, media) {
            (_, BodyMedia::Text) => TypeRef::String,
            (_, BodyMedia::Binary) => TypeRef::Vec(Box::new(TypeRef::U8)),
            (Some(schema), _) => self.schema_type(
                schema,
                &schema_pointer,
                NameHint::Suffixed(&NameHint::Whole(hint), "Body"),
            )?,
            (None, _) => TypeRef::Json,
        };
        Ok(RequestBody {
            media,
            content_type: content_type.into(),
            ty,
            required: body.required,
            docs: docs(None, body.description.as_deref()),
        })
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        hint: &str,
    ) -> Result<Vec<Response>> {
        let mut out = Vec::new();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    openapiv3::StatusCode::Code(c) => StatusMatch::Code(*c),
                    openapiv3::StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (status, code.to_string(), r)
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, "default".to_owned(), r)),
            );
        for (status, key, response) in entries {
            let response_pointer = pointer_join(pointer, ["responses", &key]);
            let (response, response_pointer) = match response {
                ReferenceOr::Item(r) => (r, response_pointer),
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix("#/components/responses/")
                        .map(unescape_pointer_token)
                        .ok_or_else(|| {
                            Error::at(&response_pointer, format!("unsupported $ref `{reference}`"))
                        })?;
                    let r = self
                        .spec
                        .components
                        .as_ref()
                        .and_then(|c| c.responses.get(&name))
                        .and_then(|r| r.as_item())
                        .ok_or_else(|| {
                            Error::at(
                                &response_pointer,
                                format!("dangling $ref: `{reference}` does not exist"),
                            )
                        })?;
                    (r, pointer_push("/components/responses", &name))
                }
            };
            let body = match pick_media(&response.content) {
                Some((content_type, media, media_type)) => {
                    let schema_pointer =
                        pointer_join(&response_pointer, ["content", content_type, "schema"]);
                    let ty = match (&media_type.schema, media) {
                        (_, BodyMedia::Text) => Some(TypeRef::String),
                        (_, BodyMedia::Binary) => Some(TypeRef::Vec(Box::new(TypeRef::U8))),
                        (Some(schema), _) => {
                            let suffix = if key == "default" {
                                "Default".to_owned()
                            } else {
                                key.clone()
                            };
                            let name = format!("{hint}Response{suffix}");
                            Some(self.schema_type(
                                schema,
                                &schema_pointer,
                                NameHint::Whole(&name),
                            )?)
                        }
                        (None, _) => Some(TypeRef::Json),
                    };
                    ty.map(|ty| ResponseBody { media, ty })
                }
                // A body in a media type the client does not decode (XML, say) is handed over as
                // raw bytes, never dropped or mistyped.
                None if !response.content.is_empty() => Some(ResponseBody {
                    media: BodyMedia::Binary,
                    ty: TypeRef::Vec(Box::new(TypeRef::U8)),
                }),
                None => None,
            };
            out.push(Response {
                status,
                success: status.is_success(),
                body,
                docs: docs(None, Some(&response.description)),
            });
        }
        out.sort_by_key(|r| r.status);
        // With no success documented, `default` describes the successful answer.
        if !out.iter().any(|r| r.success) {
            for r in out.iter_mut().filter(|r| r.status == StatusMatch::Default) {
                r.success = true;
            }
        }
        Ok(out)
    }

    /// One side's answers: a single type when they agree, else an enum named (collision-free) `name`.
    fn outcome(&mut self, responses: &[Response], success: bool, name: &str) -> Outcome {
        let side: Vec<&Response> = responses.iter().filter(|r| r.success == success).collect();
        let first = side.first().map(|r| r.body.as_ref().map(|b| b.ty.clone()));
        let agree = side
            .iter()
            .all(|r| Some(r.body.as_ref().map(|b| b.ty.clone())) == first);
        if agree {
            return Outcome::Single(first.flatten());
        }
        let variants = side
            .iter()
            .map(|r| OutcomeVariant {
                rust_name: match r.status {
                    StatusMatch::Code(code) => format!("Status{code}"),
                    StatusMatch::Range(digit) => format!("Status{digit}xx"),
                    StatusMatch::Default => "Default".to_owned(),
                },
                status: r.status,
                ty: r.body.as_ref().map(|b| b.ty.clone()),
                docs: r.docs.clone(),
            })
            .collect();
        Outcome::Enum {
            rust_name: self.type_names.claim(name),
            variants,
        }
    }
}

/// A type that holds itself by value (directly or through other types, not through a `Vec` or a map)
/// would be infinitely large: every such reference goes behind a `Box`.
fn box_recursive_references(types: &mut [TypeDef]) {
    let by_value = |ty: &TypeDef| -> Vec<String> {
        let refs: Vec<&TypeRef> = match &ty.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::OneOf(o) => o.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Enum(_) => vec![],
        };
        refs.into_iter()
            .filter_map(|r| r.held_by_value().map(str::to_owned))
            .collect()
    };
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| (t.rust_name.clone(), by_value(t)))
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from.to_owned()];
        while let Some(name) = pending.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                pending.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for ty in types.iter_mut() {
        let owner = ty.rust_name.clone();
        let on_cycle = |r: &TypeRef| {
            r.held_by_value()
                .is_some_and(|target| reaches(target, &owner))
        };
        match &mut ty.kind {
            TypeKind::Struct(s) => {
                for field in s.fields.iter_mut().filter(|f| on_cycle(&f.ty)) {
                    field.ty = field.ty.clone().boxed();
                }
            }
            TypeKind::OneOf(o) => {
                for variant in o.variants.iter_mut().filter(|v| on_cycle(&v.ty)) {
                    variant.ty = variant.ty.clone().boxed();
                }
            }
            _ => {}
        }
    }
}

fn with_suffix(base: &str, suffix: &str) -> String {
    let bare = suffix.trim_start_matches('_');
    if base.ends_with(bare) || base.ends_with("_token") || base.ends_with("_key") {
        base.to_owned()
    } else {
        names::suffixed(base, suffix)
    }
}

/// JSON first, then form, text, octet-stream: what the client can send or read, by preference.
fn pick_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, BodyMedia, &openapiv3::MediaType)> {
    let classify = |ct: &str| -> Option<(u8, BodyMedia)> {
        let ct = ct
            .split(';')
            .next()
            .unwrap_or(ct)
            .trim()
            .to_ascii_lowercase();
        if ct == "application/json" || ct.ends_with("+json") || ct == "*/*" {
            Some((0, BodyMedia::Json))
        } else if ct == "application/x-www-form-urlencoded" {
            Some((1, BodyMedia::Form))
        } else if ct.starts_with("text/") {
            Some((2, BodyMedia::Text))
        } else if ct == "application/octet-stream" {
            Some((3, BodyMedia::Binary))
        } else {
            None
        }
    };
    content
        .iter()
        .filter_map(|(ct, media)| classify(ct).map(|(rank, kind)| (rank, ct.as_str(), kind, media)))
        .min_by_key(|(rank, ..)| *rank)
        .map(|(_, ct, kind, media)| (ct, kind, media))
}

fn parse_path(path: &str, params: &[Param], pointer: &str) -> Result<Vec<PathPart>> {
    let mut parts = Vec::new();
    let mut rest = path;
    let mut used = BTreeSet::new();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::at(pointer, format!("unclosed `{{` in path `{path}`")))?;
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].into()));
        }
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            .ok_or_else(|| {
                Error::at(
                    pointer,
                    format!(
                        "path `{path}` uses `{{{name}}}`, which is not a declared path parameter"
                    ),
                )
            })?;
        used.insert(index);
        parts.push(PathPart::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.into()));
    }
    if let Some(unused) = params
        .iter()
        .enumerate()
        .find(|(i, p)| p.location == ParamLocation::Path && !used.contains(i))
    {
        return Err(Error::at(
            pointer,
            format!(
                "path parameter `{}` does not appear in the path `{path}`",
                unused.1.wire_name.raw()
            ),
        ));
    }
    Ok(parts)
}

/// `array` of `integer`/`uint8`: Go's `[]byte`, which its JSON encoder writes as base64 text.
fn items_are_uint8(array: &openapiv3::ArrayType) -> bool {
    match array.items.as_ref().map(|items| items.as_item()) {
        Some(Some(item)) => matches!(
            &item.schema_kind,
            SchemaKind::Type(Type::Integer(i)) if i.format == VariantOrUnknownOrEmpty::Unknown("uint8".to_owned())
        ),
        _ => false,
    }
}

/// Object schemas with properties, string enums and compositions get a type of their own.
fn needs_own_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(any) => !any.properties.is_empty(),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::AllOf { all_of } => all_of.len() > 1,
        _ => false,
    }
}

/// An `Any` schema that still constrains something: reported, since it comes out as untyped JSON.
fn any_says_something(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_some()
        || !any.one_of.is_empty()
        || !any.all_of.is_empty()
        || !any.any_of.is_empty()
        || !any.enumeration.is_empty()
        || any.format.is_some()
}

fn schema_kind_name(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Boolean(_)) => "Bool",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => "Value",
    }
}

/// `UiNodeAttributes` + `UiNodeInputAttributes` → `InputAttributes`: variant names without the
/// enum's own words in front.
fn strip_common_prefix(owner: &str, member: &str) -> String {
    let owner_words = words(owner);
    let member_words = words(member);
    let common = owner_words
        .iter()
        .zip(&member_words)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 || common >= member_words.len() {
        return member.to_owned();
    }
    member_words[common..].concat()
}

/// Words every name starts or ends with say nothing about the variant: `WithPasswordMethod`,
/// `WithOidcMethod` → `Password`, `Oidc`. Each name keeps at least one word.
fn strip_shared_words(names: &[String]) -> Vec<String> {
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    if split.len() < 2 {
        return names.to_vec();
    }
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let shared = |index: &dyn Fn(&Vec<String>, usize) -> usize| {
        (0..shortest)
            .take_while(|&i| {
                split
                    .iter()
                    .all(|w| w[index(w, i)] == split[0][index(&split[0], i)])
            })
            .count()
    };
    let prefix = shared(&|_, i| i);
    let suffix = shared(&|w, i| w.len() - 1 - i);
    if prefix + suffix >= shortest {
        return names.to_vec();
    }
    split
        .iter()
        .map(|w| w[prefix..w.len() - suffix].concat())
        .collect()
}

fn words(camel: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in camel.chars() {
        if c.is_uppercase() || out.is_empty() {
            out.push(c.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn schema_docs(schema: &Schema) -> Docs {
    docs(
        schema
            .schema_data
            .title
            .as_deref()
            .filter(|_| schema.schema_data.description.is_none()),
        schema.schema_data.description.as_deref(),
    )
}

/// Per-value descriptions from `x-go-enum-desc`: a line per value, `value GoConstName [comment]`. A
/// value may hold a space (Ory's `username webauthn`), so a line goes to the longest value it
/// starts with; the empty value's line starts with the separating space. A blank Go name (`_`)
/// says nothing and is left out.
fn enum_descriptions(schema: &Schema, values: &[&str]) -> BTreeMap<String, String> {
    let Some(serde_json::Value::String(text)) = schema.schema_data.extensions.get("x-go-enum-desc")
    else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let (value, rest) = values
                .iter()
                .filter_map(|value| {
                    let after = match *value {
                        "" => line.strip_prefix(' ')?,
                        _ => line.trim_start().strip_prefix(value)?.strip_prefix(' ')?,
                    };
                    Some((*value, after))
                })
                .max_by_key(|(value, _)| value.len())?;
            let rest = rest.trim();
            let description = match rest.strip_prefix('_') {
                Some(comment) if comment.is_empty() || comment.starts_with(' ') => comment.trim(),
                _ => rest,
            };
            (!description.is_empty()).then(|| (value.to_owned(), description.to_owned()))
        })
        .collect()
}

fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The descriptions `x-go-enum-desc` gives the string enum of `values`.
    fn go_enum_descriptions(values: &[&str], text: &str) -> BTreeMap<String, String> {
        let schema: Schema = serde_json::from_value(serde_json::json!({
            "type": "string", "enum": values, "x-go-enum-desc": text
        }))
        .unwrap();
        enum_descriptions(&schema, values)
    }

    #[test]
    fn enum_value_descriptions_go_to_the_longest_value_a_line_starts_with() {
        // Ory client spec: uiNodeInputAttributes.autocomplete has both `username` and
        // `username webauthn`, described line by line in `x-go-enum-desc`.
        let descriptions = go_enum_descriptions(
            &["username", "username webauthn"],
            "username InputAttributeAutocompleteUsername\n\
             username webauthn InputAttributeAutocompleteUsernameWebauthn",
        );
        assert_eq!(
            descriptions,
            BTreeMap::from([
                (
                    "username".to_owned(),
                    "InputAttributeAutocompleteUsername".to_owned()
                ),
                (
                    "username webauthn".to_owned(),
                    "InputAttributeAutocompleteUsernameWebauthn".to_owned()
                ),
            ])
        );
    }

    #[test]
    fn enum_value_descriptions_skip_blank_go_names_and_find_the_empty_value() {
        // Ory client spec: customDomain.ssl_status names every value's Go constant `_`, and the
        // empty value's line starts with the space that separates it from that name.
        let descriptions = go_enum_descriptions(
            &["active", ""],
            "active _\n _  Cloudflare sometimes returns an empty string.",
        );
        assert_eq!(
            descriptions,
            BTreeMap::from([(
                String::new(),
                "Cloudflare sometimes returns an empty string.".to_owned()
            )])
        );
    }

    /// The names a template spells out in the block that starts with the line `header` and ends
    /// at the next line `}`: its methods and, for a struct, its fields.
    fn names_in_block(template: &str, header: &str) -> BTreeSet<String> {
        let ident = |text: &str| -> String {
            text.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        let mut names = BTreeSet::new();
        let mut inside = false;
        for line in template.lines() {
            if line.starts_with(header) {
                inside = true;
            } else if line == "}" {
                inside = false;
            } else if inside {
                let declares_fn = |(before, _): &(&str, &str)| {
                    before
                        .split_whitespace()
                        .all(|word| ["pub", "pub(crate)", "async"].contains(&word))
                };
                if let Some((_, after_fn)) = line.split_once("fn ").filter(declares_fn) {
                    names.insert(ident(after_fn));
                } else if header.starts_with("pub struct ") && !line.trim_start().starts_with("//")
                {
                    names.insert(ident(line.trim_start()));
                }
            }
        }
        names.remove("");
        names
    }

    /// The reserved lists keep up with the templates: a method or field added there without its
    /// name here would let a spec's name clash with it.
    #[test]
    fn reserved_names_cover_what_the_templates_define() {
        let client = include_str!("../../templates/client.rs.askama");
        let api = include_str!("../../templates/api.rs.askama");
        let covered = |found: BTreeSet<String>, reserved: &[&str], what: &str| {
            assert!(
                found.len() > 1,
                "no names found for {what}: has the template changed?"
            );
            for name in found {
                assert!(
                    reserved.contains(&name.as_str()),
                    "{what} defines `{name}`, missing from its reserved names"
                );
            }
        };
        covered(
            names_in_block(client, "impl Client {"),
            CLIENT_METHODS,
            "Client",
        );
        let builder = &names_in_block(client, "impl ClientBuilder {")
            | &names_in_block(client, "pub struct ClientBuilder {");
        covered(builder, BUILDER_NAMES, "ClientBuilder");
        let request = names_in_block(api, "impl<'b> {{ op.request_struct }}<'b> {");
        covered(request, REQUEST_METHODS, "an operation's request");
        let group = names_in_block(api, "impl<'a> {{ tag.rust_struct }}<'a> {");
        assert_eq!(group, BTreeSet::from(["new".to_owned()]));
        assert_eq!(GROUP_METHODS, ["new"]);
    }

    #[test]
    fn variant_names_lose_the_words_they_all_share() {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            strip_shared_words(&names(&["WithPasswordMethod", "WithOidcMethod"])),
            names(&["Password", "Oidc"])
        );
        assert_eq!(
            strip_shared_words(&names(&["InputAttributes", "TextAttributes"])),
            names(&["Input", "Text"])
        );
        assert_eq!(
            strip_shared_words(&names(&["VerificationUi", "SetOrySessionToken"])),
            names(&["VerificationUi", "SetOrySessionToken"])
        );
        assert_eq!(
            strip_shared_words(&names(&["AB", "AB"])),
            names(&["AB", "AB"])
        );
        assert_eq!(strip_shared_words(&names(&["Only"])), names(&["Only"]));
        assert_eq!(
            strip_common_prefix("UiNodeAttributes", "UiNodeInputAttributes"),
            "InputAttributes"
        );
    }
}
