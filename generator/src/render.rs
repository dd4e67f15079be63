//! Rendering: the IR → askama templates → `syn` (proof it is Rust) → `prettyplease` (canonical form).
//!
//! Templates only loop and branch; the small expressions they print come from the helpers below,
//! which read decisions already made in the IR.

use crate::error::{Error, Location, Result};
use crate::ir::*;
use crate::names::{self, Namespace};
use askama::Template;
use std::collections::{BTreeMap, BTreeSet};

/// What to emit, and how to label it.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub crate_name: String,
    pub crate_version: String,
    /// The version of the document the crate is generated from: `SPEC_VERSION` and the manifest's
    /// `package.metadata.openapi.spec-version`, the one place each.
    pub spec_version: String,
    /// The one line every generated file starts with (without the comment marker).
    pub preamble: String,
    /// Emit only these tags (and the types they reach); `None`: everything.
    pub tags: Option<BTreeSet<String>>,
    /// The crate documentation's example (Rust lines of a `no_run` doctest); `None`: building a
    /// client, which fits any API.
    pub example: Option<String>,
    /// Also emit [`CONTRACT_CALLS_FILE`]: one call per operation with sampled inputs, for a
    /// contract suite against a mock server.
    pub contract_calls: bool,
}

/// The folder of generated test modules, relative to the crate root: regen owns what is in it.
macro_rules! generated_tests_dir {
    () => {
        "tests/generated"
    };
}
pub const GENERATED_TESTS_DIR: &str = generated_tests_dir!();
/// Where the contract calls go (a test module, not a test target).
pub const CONTRACT_CALLS_FILE: &str = concat!(generated_tests_dir!(), "/operations.rs");

/// Generated files by path relative to the crate root.
pub type Files = BTreeMap<String, String>;

pub use crate::text::lit;

impl Docs {
    /// The lines as outer doc attributes, `#[doc = r" line"]`: what `/// line` means, but a raw
    /// string is read back without unescaping every character, by the formatting's doc blocks
    /// (`DOC_MARK`) and by `syn` where a block stays as it is (docs are a third of the crate's
    /// text). Printed as `/// line` all the same.
    pub fn outer(&self) -> String {
        self.attributes(DocStyle::Outer)
    }

    /// The lines as inner doc attributes (`//! line`), for a module's own documentation.
    pub fn inner(&self) -> String {
        self.attributes(DocStyle::Inner)
    }

    fn attributes(&self, style: DocStyle) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(style.attribute());
            out.push_str(&raw_lit(&format!(" {line}")));
            out.push_str("]\n");
        }
        out
    }
}

/// A raw string literal for `s`, with as few `#` as it needs (`r"…"`, `r#"…"#`, …).
fn raw_lit(s: &str) -> String {
    // A quote followed by n `#` would end a literal of n hashes: use one more than the longest.
    let hashes = s
        .split('"')
        .skip(1)
        .map(|after_quote| after_quote.len() - after_quote.trim_start_matches('#').len() + 1)
        .max()
        .unwrap_or(0);
    let hashes = "#".repeat(hashes);
    format!("r{hashes}\"{s}\"{hashes}")
}

pub fn render(api: &Api, options: &RenderOptions) -> Result<Files> {
    let api = select(api, options.tags.as_ref());
    let features = Features::new(&api);
    let mut files = Files::new();
    let rust_preamble = format!("// {}\n\n", options.preamble);

    // A relative server URL (`/api/v3`) is relative to wherever the document is served: the caller
    // must give the base URL, as for a document without servers.
    let default_server = api
        .servers
        .first()
        .filter(|s| s.url_template.raw().contains("://"));
    let default_variables: Vec<ServerVariable> = default_server
        .map(|s| s.variables.clone())
        .unwrap_or_default();
    let crate_ident = options.crate_name.replace('-', "_");

    let mut modules = Namespace::new("_type").and_taken(names::RESERVED_MODULE_NAMES);
    modules.claim("mod");
    let model_modules: Vec<(String, &TypeDef)> = api
        .types
        .iter()
        .map(|ty| (modules.claim(&names::snake(&ty.rust_name)), ty))
        .collect();

    // Templates are gathered here and rendered, then made canonical Rust, on every core.
    let mut pending = vec![
        FileToRender::new(
            "src/lib.rs",
            LibFile {
                api: &api,
                example: crate_example(options, &crate_ident, &default_variables, &api),
                features: &features,
                spec_version: SpecText::from(options.spec_version.as_str()),
            },
            "lib",
        ),
        FileToRender::new(
            "src/client.rs",
            ClientFile {
                api: &api,
                tags: &api.tags,
                crate_name: &options.crate_name,
                default_server,
                default_server_template: default_server
                    .map(|s| s.url_template.clone())
                    .unwrap_or_default(),
                default_variables: &default_variables,
                bearer_schemes: api
                    .security_schemes
                    .iter()
                    .filter(|s| s.kind == SecurityKind::Bearer)
                    .collect(),
                features: &features,
            },
            "client",
        ),
        FileToRender::new("src/error.rs", ErrorFile, "error"),
        FileToRender::new("src/runtime.rs", RuntimeFile, "runtime"),
        FileToRender::new("src/types.rs", TypesFile, "types"),
        FileToRender::new("src/response.rs", ResponseFile, "response"),
        FileToRender::new(
            "src/apis/mod.rs",
            ApisMod {
                tags: &api.tags,
                features: &features,
            },
            "apis",
        ),
    ];
    for tag in &api.tags {
        pending.push(FileToRender::new(
            &format!("src/apis/{}.rs", tag.rust_module),
            ApiFile {
                tag,
                schemes: &api.security_schemes,
            },
            tag.name.raw(),
        ));
    }
    pending.push(FileToRender::new(
        "src/models/mod.rs",
        ModelsMod {
            types: &model_modules,
            features: &features,
        },
        "models",
    ));
    for (module, ty) in &model_modules {
        pending.push(FileToRender::new(
            &format!("src/models/{}.rs", names::unraw(module)),
            ModelFile { ty },
            &ty.origin,
        ));
    }

    if options.contract_calls {
        pending.push(FileToRender::new(
            CONTRACT_CALLS_FILE,
            ContractCalls { tags: &api.tags },
            "contract calls",
        ));
    }

    for (path, text) in canonical_rust(render_all(pending)?)? {
        files.insert(path, format!("{rust_preamble}{text}"));
    }

    let cargo = CargoFile {
        features: &features,
        crate_name: &options.crate_name,
        crate_version: &options.crate_version,
        spec_version: SpecText::from(options.spec_version.as_str()),
        // One line, as crates.io shows it, with nothing a reader's terminal would act on.
        description: SpecText::from(format!(
            "Typed async client for {}, generated from its OpenAPI document",
            crate::text::escape_unsafe(
                &api.title
                    .raw()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        )),
    }
    .render()
    .map_err(|e| render_error("Cargo.toml.askama", "Cargo.toml", e.to_string()))?;
    files.insert(
        "Cargo.toml".to_owned(),
        format!("# {}\n\n{cargo}", options.preamble),
    );
    Ok(files)
}

/// The lines of the crate documentation's example, fences included.
fn crate_example(
    options: &RenderOptions,
    crate_ident: &str,
    variables: &[ServerVariable],
    api: &Api,
) -> Vec<String> {
    let body = match &options.example {
        Some(example) => example.lines().map(str::to_owned).collect(),
        None => {
            let mut lines =
                vec!["# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned()];
            lines.push(format!("let client = {crate_ident}::Client::builder()"));
            if variables.is_empty() {
                lines.push("    .base_url(\"http://127.0.0.1:4433\")".to_owned());
            }
            for v in variables {
                lines.push(format!("    .{}({})", v.rust_name, v.default.lit()));
            }
            if api
                .security_schemes
                .iter()
                .any(|s| s.kind == SecurityKind::Bearer)
            {
                lines.push("    .bearer_token(\"<your token>\")".to_owned());
            }
            lines.push("    .build()?;".to_owned());
            lines.push("# let _ = client;".to_owned());
            lines.push("# Ok(())".to_owned());
            lines.push("# }".to_owned());
            lines
        }
    };
    let mut lines = vec!["```no_run".to_owned()];
    lines.extend(body);
    lines.push("```".to_owned());
    lines
}

/// The Cargo feature of every API group, and which groups need each type, security scheme and
/// server: what `#[cfg(feature = ...)]` each item gets.
pub struct Features {
    /// Feature names of the type, by Rust type name (empty: no operation uses it).
    types: BTreeMap<String, BTreeSet<String>>,
    schemes: BTreeMap<String, BTreeSet<String>>,
    servers: BTreeMap<String, BTreeSet<String>>,
    all_groups: BTreeSet<String>,
}

/// The internal feature every API group enables (so code can tell "some group is on").
pub const ANY_GROUP: &str = "__group";

/// The feature of the types no operation uses.
pub const STANDALONE_MODELS: &str = "standalone-models";

impl Features {
    pub fn new(api: &Api) -> Self {
        let mut features = Features {
            types: api
                .types
                .iter()
                .map(|t| (t.rust_name.clone(), BTreeSet::new()))
                .collect(),
            schemes: BTreeMap::new(),
            servers: BTreeMap::new(),
            all_groups: api.tags.iter().map(|t| t.rust_module.clone()).collect(),
        };
        for tag in &api.tags {
            let operations: Vec<&Operation> = tag.operations.iter().collect();
            for ty in reachable_types(api, &operations) {
                features
                    .types
                    .entry(ty)
                    .or_default()
                    .insert(tag.rust_module.clone());
            }
            for op in &tag.operations {
                for scheme in op.security.iter().flatten() {
                    features
                        .schemes
                        .entry(scheme.clone())
                        .or_default()
                        .insert(tag.rust_module.clone());
                }
                if let Some(server) = &op.server_override {
                    features
                        .servers
                        .entry(server.clone())
                        .or_default()
                        .insert(tag.rust_module.clone());
                }
            }
        }
        // Types no operation uses come with `standalone-models`, and so do the types they use.
        let standalone: Vec<String> = features
            .types
            .iter()
            .filter(|(_, groups)| groups.is_empty())
            .map(|(name, _)| name.clone())
            .collect();
        for ty in reachable_from(api, standalone) {
            features
                .types
                .entry(ty)
                .or_default()
                .insert(STANDALONE_MODELS.to_owned());
        }
        features
    }

    /// Every public feature: the groups, then the standalone models.
    pub fn all(&self) -> Vec<String> {
        let mut all: Vec<String> = self.all_groups.iter().cloned().collect();
        all.push(STANDALONE_MODELS.to_owned());
        all
    }

    /// The internal feature, declared after the public ones.
    pub fn internal(&self) -> &'static str {
        ANY_GROUP
    }

    fn cfg<'a>(groups: impl IntoIterator<Item = &'a String>) -> String {
        let features: Vec<String> = groups
            .into_iter()
            .map(|g| format!("feature = {}", lit(g)))
            .collect();
        match features.as_slice() {
            [] => "#[cfg(any())]".to_owned(),
            [one] => format!("#[cfg({one})]"),
            many => format!("#[cfg(any({}))]", many.join(", ")),
        }
    }

    pub fn tag_cfg(&self, tag: &Tag) -> String {
        Self::cfg([&tag.rust_module])
    }

    pub fn type_cfg(&self, ty: &TypeDef) -> String {
        Self::cfg(self.types.get(&ty.rust_name).into_iter().flatten())
    }

    pub fn scheme_cfg(&self, scheme: &SecurityScheme) -> String {
        Self::cfg(self.schemes.get(scheme.name.raw()).into_iter().flatten())
    }

    pub fn server_cfg(&self, server: &Server) -> String {
        Self::cfg(self.servers.get(&server.rust_variant).into_iter().flatten())
    }

    /// The groups with an operation that accepts a bearer token.
    pub fn bearer_cfg(&self, api: &Api) -> String {
        let groups: BTreeSet<&String> = api
            .security_schemes
            .iter()
            .filter(|s| s.kind == SecurityKind::Bearer)
            .flat_map(|s| self.schemes.get(s.name.raw()).into_iter().flatten())
            .collect();
        Self::cfg(groups)
    }

    /// The groups with an operation that takes any credential.
    pub fn secured_cfg(&self) -> String {
        let groups: BTreeSet<&String> = self.schemes.values().flatten().collect();
        Self::cfg(groups)
    }

    /// The opposite of [`Features::secured_cfg`].
    pub fn unsecured_cfg(&self) -> String {
        self.secured_cfg()
            .replacen("#[cfg(", "#[cfg(not(", 1)
            .replacen(")]", "))]", 1)
    }

    /// `allow(dead_code)` for a build with no API group: the client then has nothing to call.
    pub fn no_groups_allow(&self) -> String {
        format!(
            "#![cfg_attr(not(feature = {}), allow(dead_code, unused_imports))]",
            lit(ANY_GROUP)
        )
    }

    /// What a feature turns on besides itself: every group turns on the internal `__group`.
    pub fn enables(&self, feature: &str) -> String {
        if self.all_groups.contains(feature) {
            format!("[{}]", lit(ANY_GROUP))
        } else {
            "[]".to_owned()
        }
    }
}

/// Object-safe view of an askama template, so that one list holds every file to render.
trait DynTemplate {
    fn render_text(&self) -> std::result::Result<String, askama::Error>;
    fn template_name(&self) -> &'static str;
}

macro_rules! dyn_template {
    ($($ty:ty),*) => {$(
        impl DynTemplate for $ty {
            fn render_text(&self) -> std::result::Result<String, askama::Error> { self.render() }
            fn template_name(&self) -> &'static str { stringify!($ty) }
        }
    )*};
}
dyn_template!(
    LibFile<'_>,
    ClientFile<'_>,
    ApisMod<'_>,
    ApiFile<'_>,
    ModelsMod<'_>,
    ModelFile<'_>,
    ErrorFile,
    RuntimeFile,
    TypesFile,
    ResponseFile,
    ContractCalls<'_>
);

fn render_error(template: &str, item: &str, message: String) -> Error {
    Error {
        location: Location::Render {
            template: template.to_owned(),
            item: item.to_owned(),
        },
        message,
    }
}

/// A file to render: its template, filled in.
struct FileToRender<'a> {
    path: String,
    item: String,
    template: Box<dyn DynTemplate + Sync + 'a>,
}

impl<'a> FileToRender<'a> {
    fn new(path: &str, template: impl DynTemplate + Sync + 'a, item: &str) -> Self {
        Self {
            path: path.to_owned(),
            item: item.to_owned(),
            template: Box::new(template),
        }
    }
}

/// A template's output, before it is made canonical.
struct Rendered {
    path: String,
    template: &'static str,
    item: String,
    text: String,
}

/// Every template rendered, on every core.
fn render_all(pending: Vec<FileToRender>) -> Result<Vec<Rendered>> {
    on_every_core(&pending, |file| {
        let template = file.template.template_name();
        let text = file
            .template
            .render_text()
            .map_err(|e| render_error(template, &file.item, e.to_string()))?;
        Ok(Rendered {
            path: file.path.clone(),
            template,
            item: file.item.clone(),
            text,
        })
    })
    .into_iter()
    .collect()
}

/// Each file parsed with `syn` and printed with `prettyplease`, on every core. `(path, text)`,
/// largest file first.
fn canonical_rust(mut rendered: Vec<Rendered>) -> Result<Vec<(String, String)>> {
    // Largest first: the cores finish together although one API group's file is a hundred times
    // the size of a small model's.
    rendered.sort_by_key(|file| std::cmp::Reverse(file.text.len()));
    // Collected in the files' order, so that of several broken files the same one is named.
    on_every_core(&rendered, format_rust).into_iter().collect()
}

/// `work` done on every item, spread over the machine's cores: this thread and one more thread per
/// further core each take the next item when they are free. The results are in the items' order.
fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, work(item)));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut done = worker();
        for helper in helpers {
            match helper.join() {
                Ok(more) => done.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Parses with `syn` and prints with `prettyplease`: a template bug surfaces here, naming the
/// template and item, never as a broken checked-in file. (Except inside a macro invocation, whose
/// tokens `syn` does not parse: the generator tests
/// `model_structs_serialize_and_read_themselves_from_one_table_each` and
/// `sending_and_decoding_methods_are_inline` check the `impl_serde_struct!` and `impl_sending!`
/// invocations.)
fn format_rust(file: &Rendered) -> Result<(String, String)> {
    let Rendered {
        path,
        template,
        item,
        text,
    } = file;
    let by_runs: Option<String> = text.split_inclusive(ITEMS_END).map(format_run).collect();
    if let Some(formatted) = by_runs {
        return Ok((path.clone(), formatted));
    }
    // A run that does not parse: a `}` line inside an item split it, or the file is broken.
    let parsed = syn::parse_file(text).map_err(|e| {
        let place = failing_item(text)
            .map(|head| format!(" (in the item `{head}`)"))
            .unwrap_or_default();
        render_error(
            template,
            item,
            format!("{path} is not valid Rust: {e}{place}"),
        )
    })?;
    Ok((path.clone(), prettyplease::unparse(&parsed)))
}

/// One run of items parsed and printed, with its doc blocks as markers (`DOC_MARK`); parsed as it
/// is when a marker is not printed as a doc comment (inside a macro's tokens). `None` when it does
/// not parse.
fn format_run(run: &str) -> Option<String> {
    let print = |text: &str| {
        syn::parse_file(text)
            .ok()
            .map(|parsed| prettyplease::unparse(&parsed))
    };
    let (run, tables) = take_verbatim_invocations(run)?;
    let (marked, blocks) = take_doc_blocks(&run);
    let printed = print(&marked)?;
    let printed = put_back_docs(&printed, &blocks).or_else(|| print(&run))?;
    if tables.is_empty() {
        Some(printed)
    } else {
        put_back_verbatim(&printed, &tables)
    }
}

/// Stands where a macro invocation kept as written was, while the rest is printed.
const VERBATIM_MARK: &str = "verbatim_invocation!();\n";

/// A top-level macro invocation that a template writes over several lines (the first, at the left
/// margin, holds `!(` and ends with `{`; the last is the next line that starts with `}`) is kept
/// as written: prettyplease would print its tokens as a run wrapped at 80 columns, and a member
/// table written one member per line shows a member added as exactly its line. The text with a
/// marker item in place of each, and the invocations; `None` when one does not lex.
fn take_verbatim_invocations(run: &str) -> Option<(std::borrow::Cow<'_, str>, Vec<&str>)> {
    let opens = |line: &str| {
        !line.starts_with(char::is_whitespace)
            && line.contains("!(")
            && line.trim_end().ends_with('{')
    };
    if !run.split('\n').any(opens) {
        return Some((std::borrow::Cow::Borrowed(run), Vec::new()));
    }
    let mut rest = String::with_capacity(run.len());
    let mut invocations = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in run.split_inclusive('\n') {
        match start {
            None if opens(line) => start = Some(offset),
            None => rest.push_str(line),
            Some(from) if line.starts_with('}') => {
                let invocation = &run[from..offset + line.len()];
                invocation.parse::<proc_macro2::TokenStream>().ok()?;
                invocations.push(invocation);
                rest.push_str(VERBATIM_MARK);
                start = None;
            }
            Some(_) => {}
        }
        offset += line.len();
    }
    start
        .is_none()
        .then_some((std::borrow::Cow::Owned(rest), invocations))
}

/// The printed text with each invocation back in place of its marker.
fn put_back_verbatim(printed: &str, invocations: &[&str]) -> Option<String> {
    let mut out =
        String::with_capacity(printed.len() + invocations.iter().map(|i| i.len()).sum::<usize>());
    let mut invocations = invocations.iter();
    for line in printed.split_inclusive('\n') {
        if line == VERBATIM_MARK {
            let invocation = invocations.next()?;
            out.push_str(invocation);
            if !invocation.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    invocations.next().is_none().then_some(out)
}

/// Where the templates end a top-level item: a line holding only `}`. A file is formatted one run
/// of items at a time, each run ending there: the same text as the whole file at once (items are
/// printed one after another, independently), in a fraction of the memory, which on a fresh thread
/// is dear (a 225 KB file took 12 MB whole). A split inside an item cannot parse (it leaves a brace
/// or a literal open), so a run that does not parse sends the file back to be read whole.
const ITEMS_END: &str = "\n}\n";

/// Doc comments go through `syn` and `prettyplease` as one marker attribute per block of doc lines,
/// and the lines are put back into the printed text: a third of the crate's text is docs, and
/// parsing and printing an attribute per line took about 8 % more formatting time. Put back, a line
/// reads as prettyplease prints a doc attribute: `///` (or `//!`) and the line without trailing
/// spaces, at the indentation the block's marker got. A marker printed any other way (inside a
/// macro's tokens) sends its run of items back to be formatted as it is, docs and all.
const DOC_MARK: &str = "\u{1}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocStyle {
    /// `///`, `#[doc = …]`: documents what follows.
    Outer,
    /// `//!`, `#![doc = …]`: documents the enclosing module.
    Inner,
}

impl DocStyle {
    const ALL: [DocStyle; 2] = [DocStyle::Outer, DocStyle::Inner];

    fn comment(self) -> &'static str {
        match self {
            DocStyle::Outer => "///",
            DocStyle::Inner => "//!",
        }
    }

    /// A doc attribute up to its value.
    fn attribute(self) -> &'static str {
        match self {
            DocStyle::Outer => "#[doc = ",
            DocStyle::Inner => "#![doc = ",
        }
    }
}

/// `text` with every run of consecutive doc lines of one style replaced by one marker, and the
/// runs' lines.
fn take_doc_blocks(text: &str) -> (String, Vec<(DocStyle, Vec<&str>)>) {
    let mut marked = String::with_capacity(text.len());
    let mut blocks: Vec<(DocStyle, Vec<&str>)> = Vec::new();
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        let Some((style, value)) = doc_line(line) else {
            marked.push_str(line);
            in_block = false;
            continue;
        };
        match blocks.last_mut() {
            Some((last, lines)) if in_block && *last == style => lines.push(value),
            _ => {
                marked.push_str(style.attribute());
                marked.push('"');
                marked.push_str(DOC_MARK);
                marked.push_str("\"]\n");
                blocks.push((style, vec![value]));
            }
        }
        in_block = true;
    }
    (marked, blocks)
}

/// A doc line's style and text: a `///` or `//!` comment, or an attribute as `Docs::outer` and
/// `Docs::inner` write it. Only text that prettyplease prints as a doc comment counts (an outer
/// doc starting with `/` it prints as an attribute); other lines stay as they are.
fn doc_line(line: &str) -> Option<(DocStyle, &str)> {
    let code = line
        .trim_start()
        .strip_suffix('\n')
        .unwrap_or(line.trim_start());
    let (style, value) = DocStyle::ALL.into_iter().find_map(|style| {
        let value = match code.strip_prefix(style.comment()) {
            Some(value) => value,
            None => raw_lit_value(code.strip_prefix(style.attribute())?.strip_suffix(']')?)?,
        };
        Some((style, value))
    })?;
    let printed_as_comment = style == DocStyle::Inner || !value.starts_with('/');
    // A value holding the marker, or a carriage return (which the lexer refuses in a doc comment),
    // stays as it is.
    let plain = !value.contains(DOC_MARK) && !value.contains('\r');
    (printed_as_comment && plain).then_some((style, value))
}

/// The text of a raw string literal as `raw_lit` writes it (`r"…"`, `r#"…"#`, …).
fn raw_lit_value(literal: &str) -> Option<&str> {
    let after_r = literal.strip_prefix('r')?;
    let hashes = &after_r[..after_r.len() - after_r.trim_start_matches('#').len()];
    after_r[hashes.len()..]
        .strip_prefix('"')?
        .strip_suffix(hashes)?
        .strip_suffix('"')
}

/// The printed text with each block's lines in place of its marker; `None` when the markers
/// printed are not the blocks, one doc comment line each, in order.
fn put_back_docs(printed: &str, blocks: &[(DocStyle, Vec<&str>)]) -> Option<String> {
    let doc_bytes: usize = blocks
        .iter()
        .flat_map(|(_, lines)| lines)
        .map(|l| l.len() + 8)
        .sum();
    let mut out = String::with_capacity(printed.len() + doc_bytes);
    let mut blocks = blocks.iter();
    for line in printed.split_inclusive('\n') {
        let code = line.trim_start();
        let Some(style) = DocStyle::ALL.into_iter().find(|style| {
            code.strip_prefix(style.comment())
                .and_then(|rest| rest.strip_prefix(DOC_MARK))
                .is_some_and(|rest| rest == "\n")
        }) else {
            if line.contains(DOC_MARK) {
                return None;
            }
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - code.len()];
        let (block_style, lines) = blocks.next()?;
        if *block_style != style {
            return None;
        }
        for value in lines {
            out.push_str(indent);
            out.push_str(style.comment());
            out.push_str(value.trim_end_matches(' '));
            out.push('\n');
        }
    }
    blocks.next().is_none().then_some(out)
}

/// Where in `text` a syntax error is: the first top-level item that does not parse, and within an
/// `impl` or `trait`, its first member that does not, each shown by its opening without its
/// attributes (doc comments). A syntax error has no line to show: proc-macro2 records token
/// positions only with its `span-locations` feature, which costs every regeneration a tenth of its
/// time to serve this error path.
fn failing_item(text: &str) -> Option<String> {
    let tokens: proc_macro2::TokenStream = text.parse().ok()?;
    let item = first_unparsable::<syn::Item>(tokens, true)?;
    let (head, body) = head_and_body(item);
    let shown = format!("{}{}", head, if body.is_some() { " { … }" } else { "" });
    // The item's keyword: its first word past the qualifiers (`pub(crate)` is a word and a group).
    let keyword = head.clone().into_iter().find_map(|token| match token {
        proc_macro2::TokenTree::Ident(word)
            if !matches!(
                word.to_string().as_str(),
                "pub" | "unsafe" | "default" | "auto"
            ) =>
        {
            Some(word)
        }
        _ => None,
    });
    let opens_members = keyword.is_some_and(|word| word == "impl" || word == "trait");
    let member = body
        .filter(|_| opens_members)
        .and_then(|body| first_unparsable::<syn::ImplItem>(body, false));
    Some(match member {
        Some(member) => format!(
            "{}`, member `{}",
            shorten(shown),
            shorten(member.to_string())
        ),
        None => shorten(shown),
    })
}

/// The tokens from the first `T` in `tokens` that does not parse, its outer attributes left out.
fn first_unparsable<T: syn::parse::Parse>(
    tokens: proc_macro2::TokenStream,
    inner_attributes: bool,
) -> Option<proc_macro2::TokenStream> {
    use syn::parse::{discouraged::Speculative, Parser};
    let find = |input: syn::parse::ParseStream| -> syn::Result<Option<proc_macro2::TokenStream>> {
        if inner_attributes {
            input.call(syn::Attribute::parse_inner)?;
        }
        while !input.is_empty() {
            // Each one is tried on a fork: a failed parse leaves the stream it ran on unusable.
            let attempt = input.fork();
            if attempt.parse::<T>().is_ok() {
                input.advance_to(&attempt);
            } else {
                input.call(syn::Attribute::parse_outer)?;
                return Ok(Some(input.parse()?));
            }
        }
        Ok(None)
    };
    find.parse2(tokens).ok().flatten()
}

/// An item's tokens up to its body (`{ … }`, returned apart) or its `;`.
fn head_and_body(
    tokens: proc_macro2::TokenStream,
) -> (proc_macro2::TokenStream, Option<proc_macro2::TokenStream>) {
    let mut head = proc_macro2::TokenStream::new();
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Group(group)
                if group.delimiter() == proc_macro2::Delimiter::Brace =>
            {
                return (head, Some(group.stream()));
            }
            proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ';' => {
                head.extend([proc_macro2::TokenTree::Punct(punct)]);
                break;
            }
            other => head.extend([other]),
        }
    }
    (head, None)
}

/// `text` cut to its first `MAX_SHOWN_CHARS` characters.
fn shorten(mut text: String) -> String {
    const MAX_SHOWN_CHARS: usize = 80;
    if let Some((cut, _)) = text.char_indices().nth(MAX_SHOWN_CHARS) {
        text.truncate(cut);
        text.push_str(" …");
    }
    text
}

#[derive(Template)]
#[template(path = "lib.rs.askama", escape = "none")]
struct LibFile<'a> {
    api: &'a Api,
    example: Vec<String>,
    features: &'a Features,
    spec_version: SpecText,
}

#[derive(Template)]
#[template(path = "client.rs.askama", escape = "none")]
struct ClientFile<'a> {
    api: &'a Api,
    tags: &'a [Tag],
    crate_name: &'a str,
    default_server: Option<&'a Server>,
    default_server_template: SpecText,
    default_variables: &'a [ServerVariable],
    bearer_schemes: Vec<&'a SecurityScheme>,
    features: &'a Features,
}

#[derive(Template)]
#[template(path = "error.rs.askama", escape = "none")]
struct ErrorFile;

#[derive(Template)]
#[template(path = "runtime.rs.askama", escape = "none")]
struct RuntimeFile;

#[derive(Template)]
#[template(path = "types.rs.askama", escape = "none")]
struct TypesFile;

#[derive(Template)]
#[template(path = "response.rs.askama", escape = "none")]
struct ResponseFile;

#[derive(Template)]
#[template(path = "apis_mod.rs.askama", escape = "none")]
struct ApisMod<'a> {
    tags: &'a [Tag],
    features: &'a Features,
}

#[derive(Template)]
#[template(path = "api.rs.askama", escape = "none")]
struct ApiFile<'a> {
    tag: &'a Tag,
    schemes: &'a [SecurityScheme],
}

#[derive(Template)]
#[template(path = "models_mod.rs.askama", escape = "none")]
struct ModelsMod<'a> {
    types: &'a [(String, &'a TypeDef)],
    features: &'a Features,
}

#[derive(Template)]
#[template(path = "model.rs.askama", escape = "none")]
struct ModelFile<'a> {
    ty: &'a TypeDef,
}

#[derive(Template)]
#[template(path = "contract_calls.rs.askama", escape = "none")]
struct ContractCalls<'a> {
    tags: &'a [Tag],
}

#[derive(Template)]
#[template(path = "Cargo.toml.askama", escape = "none")]
struct CargoFile<'a> {
    features: &'a Features,
    crate_name: &'a str,
    crate_version: &'a str,
    description: SpecText,
    spec_version: SpecText,
}

/// The part of the API to emit: the chosen tags, the types they reach, and the schemes and servers
/// their operations use.
pub fn select(api: &Api, tags: Option<&BTreeSet<String>>) -> Api {
    let Some(tags) = tags else { return api.clone() };
    let chosen: Vec<&Tag> = api
        .tags
        .iter()
        .filter(|t| tags.contains(t.name.raw()))
        .collect();
    let operations: Vec<&Operation> = chosen.iter().flat_map(|t| &t.operations).collect();
    let reachable = reachable_types(api, &operations);
    let schemes: BTreeSet<&String> = operations
        .iter()
        .flat_map(|o| o.security.iter().flatten())
        .collect();
    let servers: BTreeSet<&String> = operations
        .iter()
        .filter_map(|o| o.server_override.as_ref())
        .collect();
    // Every field named, so that only what is chosen is copied (and a new field is decided here).
    Api {
        title: api.title.clone(),
        version: api.version.clone(),
        docs: api.docs.clone(),
        servers: api.servers.clone(),
        override_servers: api
            .override_servers
            .iter()
            .filter(|s| servers.contains(&s.rust_variant))
            .cloned()
            .collect(),
        security_schemes: api
            .security_schemes
            .iter()
            .filter(|s| schemes.iter().any(|name| name.as_str() == s.name.raw()))
            .cloned()
            .collect(),
        tags: chosen.into_iter().cloned().collect(),
        types: api
            .types
            .iter()
            .filter(|t| reachable.contains(&t.rust_name))
            .cloned()
            .collect(),
    }
}

/// Names of the types the operations mention, and everything those mention in turn.
pub fn reachable_types(api: &Api, operations: &[&Operation]) -> BTreeSet<String> {
    let mut start: Vec<String> = Vec::new();
    for op in operations {
        let refs = op
            .params
            .iter()
            .map(|p| &p.ty)
            .chain(op.body.iter().map(|b| &b.ty))
            .chain(
                op.responses
                    .iter()
                    .filter_map(|r| r.body.as_ref().map(|b| &b.ty)),
            );
        start.extend(refs.filter_map(|t| t.named().map(str::to_owned)));
    }
    reachable_from(api, start)
}

/// The named types and everything they mention in turn.
pub fn reachable_from(api: &Api, mut pending: Vec<String>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> = api
        .types
        .iter()
        .map(|t| (t.rust_name.as_str(), t))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(ty) = by_name.get(name.as_str()) else {
            continue;
        };
        let refs: Vec<&TypeRef> = match &ty.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.iter())
                .collect(),
            TypeKind::OneOf(o) => o.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Enum(_) => vec![],
        };
        pending.extend(
            refs.into_iter()
                .filter_map(|t| t.named().map(str::to_owned)),
        );
    }
    seen
}

impl Field {
    /// The member's mode in its struct's `impl_serde_struct!` table: ` required` (not an
    /// `Option`: an absent member is an error), ` nullable` (an `Option` always written, `null`
    /// when `None`), or nothing (an `Option` left out when `None`).
    /// The method that sets an optional field (`with_type` for `r#type`).
    pub fn setter(&self) -> String {
        format!("with_{}", names::unraw(&self.rust_name))
    }

    pub fn table_mode(&self) -> &'static str {
        if !self.absent_is_none() {
            " required"
        } else if !self.skip_if_none() {
            " nullable"
        } else {
            ""
        }
    }
}

impl ServerVariable {
    /// `{project_slug}`, as it stands in the URL template.
    pub fn placeholder(&self) -> SpecText {
        SpecText::from(format!("{{{}}}", self.name.raw()))
    }
}

impl Outcome {
    /// No body on this side: the Rust type is `()`.
    pub fn is_unit(&self) -> bool {
        matches!(self, Outcome::Single(None))
    }

    /// The Rust type of this side: the body type, `()` for none, or the enum.
    pub fn rust_type(&self) -> String {
        match self {
            Outcome::Single(Some(ty)) => ty.to_string(),
            Outcome::Single(None) => "()".to_owned(),
            Outcome::Enum { rust_name, .. } => rust_name.clone(),
        }
    }
}

impl Param {
    /// The argument type (the same for a required argument and an optional setter): strings and
    /// slices borrowed for `'b`, primitives by value, the rest by reference.
    pub fn arg_type(&self) -> String {
        match &self.ty {
            TypeRef::String => "&'b str".to_owned(),
            TypeRef::Vec(inner) => format!("&'b [{inner}]"),
            ty if by_value(ty) => ty.to_string(),
            ty => format!("&'b {ty}"),
        }
    }

    /// The type a builder setter takes: strings as `impl Into<Cow>` (a `&str` or a `String`).
    pub fn setter_type(&self) -> String {
        match &self.ty {
            TypeRef::String => "impl Into<std::borrow::Cow<'b, str>>".to_owned(),
            _ => self.arg_type(),
        }
    }

    /// The builder field's type for an optional parameter (inside its `Option`).
    pub fn optional_field_type(&self) -> String {
        match &self.ty {
            TypeRef::String => "std::borrow::Cow<'b, str>".to_owned(),
            _ => self.arg_type(),
        }
    }

    /// The optional parameter's builder field as an `Option` of what the request code uses.
    pub fn optional_binding(&self) -> String {
        match &self.ty {
            TypeRef::String => format!("self.{}.as_deref()", self.rust_name),
            _ => format!("self.{}", self.rust_name),
        }
    }

    /// The sampled value as the method or setter takes it.
    pub fn sample_arg(&self) -> String {
        if by_value(&self.ty) {
            self.rust_name.clone()
        } else {
            format!("&{}", self.rust_name)
        }
    }

    /// This parameter's field on the request builder.
    pub fn self_field(&self) -> String {
        format!("self.{}", self.rust_name)
    }

    /// A `&str` for this value, for paths and headers.
    pub fn as_str_expr(&self, value: &str) -> String {
        match &self.ty {
            TypeRef::String => value.to_owned(),
            _ => format!("&{value}.to_string()"),
        }
    }

    /// The runtime function adding this parameter to the query.
    pub fn query_fn(&self) -> &'static str {
        match &self.ty {
            TypeRef::Vec(_) if self.explode => "query_each",
            _ => "query",
        }
    }

    /// The value handed to `query_fn`.
    pub fn query_value(&self, value: &str) -> String {
        match &self.ty {
            TypeRef::Vec(_) if !self.explode => {
                format!("&{value}.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(\",\")")
            }
            ty if by_value(ty) => format!("&{value}"),
            _ => value.to_owned(),
        }
    }
}

/// Parameters of these types are taken by value: primitives, and generated types (string enums, in
/// practice), which a caller builds on the spot.
fn by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Named(_)
            | TypeRef::Bool
            | TypeRef::IntegerString
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U8
            | TypeRef::U32
            | TypeRef::U64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date
    )
}

impl RequestBody {
    fn arg_type(&self) -> String {
        let base = match (&self.media, &self.ty) {
            (BodyMedia::Text, _) => "&'b str".to_owned(),
            (BodyMedia::Binary, _) => "&'b [u8]".to_owned(),
            (_, TypeRef::Vec(inner)) => format!("&'b [{inner}]"),
            (_, ty) => format!("&'b {ty}"),
        };
        if self.required {
            base
        } else {
            format!("Option<{base}>")
        }
    }

    /// The owned type a sampled body is held in.
    pub fn sample_type(&self) -> String {
        match self.media {
            BodyMedia::Text => "String".to_owned(),
            BodyMedia::Binary => "Vec<u8>".to_owned(),
            BodyMedia::Json | BodyMedia::Form => self.ty.to_string(),
        }
    }

    /// The contract calls' expression sampling this body of operation `op_id`.
    pub fn sample_expr(&self, op_id: &SpecText) -> String {
        let (op, media) = (op_id.lit(), self.content_type.lit());
        match self.media {
            BodyMedia::Text => format!("samples_.string_body({op}, {media})"),
            BodyMedia::Binary => format!("samples_.string_body({op}, {media}).into_bytes()"),
            BodyMedia::Json | BodyMedia::Form => format!("samples_.body({op}, {media})"),
        }
    }

    /// The request with this body attached, with its content type.
    pub fn attach_expr(&self, value: &str) -> String {
        match self.media {
            BodyMedia::Json => format!("request.json({value})"),
            BodyMedia::Form => format!("request.form({value})"),
            BodyMedia::Text | BodyMedia::Binary => format!(
                "request.header(reqwest::header::CONTENT_TYPE, {}).body({value}.to_owned())",
                self.content_type.lit()
            ),
        }
    }
}

impl Operation {
    /// `GET /path/{id}`: the method and the path as the spec writes it.
    pub fn route(&self) -> SpecText {
        SpecText::from(format!(
            "{} {}",
            self.method.as_str(),
            self.path_template.raw()
        ))
    }

    /// `(name, type)` of the arguments of the operation's method: required path parameters in path
    /// order, the other required parameters, then the body (required or not).
    pub fn required_args(&self) -> Vec<(String, String)> {
        self.required_params()
            .map(|p| (p.rust_name.clone(), p.arg_type()))
            .chain(self.body.iter().map(|b| ("body".to_owned(), b.arg_type())))
            .collect()
    }

    /// The parameters the method takes as arguments, in argument order (path order first).
    fn required_params(&self) -> impl Iterator<Item = &Param> {
        let path_order = self.path.iter().filter_map(|part| match part {
            PathPart::Param(index) => Some(&self.params[*index]),
            PathPart::Literal(_) => None,
        });
        let others = self
            .params
            .iter()
            .filter(|p| p.required && p.location != ParamLocation::Path);
        path_order.chain(others)
    }

    /// The method's arguments in the contract calls: the sampled values, borrowed where the method
    /// borrows.
    pub fn sample_args(&self) -> Vec<String> {
        self.required_params()
            .map(Param::sample_arg)
            .chain(self.body.iter().map(|b| {
                if b.required {
                    "&body".to_owned()
                } else {
                    "Some(&body)".to_owned()
                }
            }))
            .collect()
    }

    /// The optional parameters: setters on the request builder.
    pub fn optional_params(&self) -> Vec<&Param> {
        self.params.iter().filter(|p| !p.required).collect()
    }

    /// `(name, type)` of the optional parameters' builder fields.
    pub fn optional_args(&self) -> Vec<(String, String)> {
        self.optional_params()
            .into_iter()
            .map(|p| (p.rust_name.clone(), p.optional_field_type()))
            .collect()
    }

    /// The closure splitting one page into its items and the next page token.
    pub fn page_split_expr(&self) -> String {
        let Some(pagination) = &self.pagination else {
            return String::new();
        };
        let ty = self.success.rust_type();
        match &pagination.shape {
            PageShape::Array => format!(
                "|page: crate::ResponseValue<{ty}>| {{ let next = page.next_page_token(); (page.into_inner(), next) }}"
            ),
            PageShape::Object { items_field, items_optional, token_field, token_optional } => {
                let items = if *items_optional {
                    format!("body.{items_field}.unwrap_or_default()")
                } else {
                    format!("body.{items_field}")
                };
                let token = if *token_optional {
                    format!("body.{token_field}.clone()")
                } else {
                    format!("Some(body.{token_field}.clone())")
                };
                format!(
                    "|page: crate::ResponseValue<{ty}>| {{ let from_link = page.next_page_token(); \
                     let body = page.into_inner(); let next = {token}.or(from_link); ({items}, next) }}"
                )
            }
        }
    }

    /// The expression building the encoded path: literal pieces and encoded parameters, concatenated.
    pub fn path_expr(&self) -> String {
        let pieces: Vec<String> = self
            .path
            .iter()
            .map(|part| match part {
                PathPart::Literal(text) => text.lit().to_string(),
                PathPart::Param(index) => {
                    let p = &self.params[*index];
                    format!(
                        "&crate::runtime::path_param({}, {})?",
                        p.wire_name.lit(),
                        p.as_str_expr(&p.self_field())
                    )
                }
            })
            .collect();
        match pieces.as_slice() {
            [only] if !only.starts_with('&') => format!("{only}.to_owned()"),
            _ => format!("[{}].concat()", pieces.join(", ")),
        }
    }

    pub fn server_variant(&self) -> &str {
        self.server_override.as_deref().unwrap_or("Default")
    }

    /// `&[&[SecurityScheme::A], ...]`: the alternatives, each a list of schemes, by the variant
    /// names analysis gave the schemes.
    pub fn security_expr(&self, schemes: &[SecurityScheme]) -> String {
        // Analysis refuses a scheme the document does not define, so each name is found.
        let variant = |name: &String| {
            schemes
                .iter()
                .find(|s| s.name.raw() == name)
                .map_or_else(|| names::upper_camel(name), |s| s.rust_variant.clone())
        };
        let alternatives: Vec<String> = self
            .security
            .iter()
            .map(|alternative| {
                let schemes: Vec<String> = alternative
                    .iter()
                    .map(|name| format!("crate::client::SecurityScheme::{}", variant(name)))
                    .collect();
                format!("&[{}]", schemes.join(", "))
            })
            .collect();
        format!("&[{}]", alternatives.join(", "))
    }

    /// The `Accept` header: what the documented bodies are.
    pub fn accept(&self) -> Option<&'static str> {
        let medias: BTreeSet<BodyMedia> = self
            .responses
            .iter()
            .filter_map(|r| r.body.as_ref().map(|b| b.media))
            .collect();
        if medias.contains(&BodyMedia::Json) {
            Some("application/json")
        } else if medias.contains(&BodyMedia::Text) {
            Some("text/plain")
        } else {
            None
        }
    }

    /// The enums this operation's answers need, `(name, variants)`.
    pub fn outcome_enums(&self) -> Vec<(&String, &Vec<OutcomeVariant>)> {
        [&self.success, &self.error]
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Enum {
                    rust_name,
                    variants,
                } => Some((rust_name, variants)),
                Outcome::Single(_) => None,
            })
            .collect()
    }

    /// `(pattern, expression)` per documented status, and a last arm for the undocumented ones.
    pub fn response_arms(&self) -> Vec<(String, String)> {
        let mut arms: Vec<(String, String)> = self
            .responses
            .iter()
            .map(|r| {
                let pattern = match r.status {
                    StatusMatch::Code(code) => code.to_string(),
                    StatusMatch::Range(digit) => format!("{digit}00..={digit}99"),
                    StatusMatch::Default => "_".to_owned(),
                };
                let outcome = if r.success {
                    &self.success
                } else {
                    &self.error
                };
                let variant = match outcome {
                    Outcome::Enum {
                        rust_name,
                        variants,
                    } => variants
                        .iter()
                        .find(|v| v.status == r.status)
                        .map(|v| format!("{rust_name}::{}", v.rust_name)),
                    Outcome::Single(_) => None,
                };
                let media = r.body.as_ref().map(|b| b.media);
                let identity = || "std::convert::identity".to_owned();
                let expr = match (r.success, media, variant) {
                    (true, None, None) => "answer.empty()?".to_owned(),
                    (true, None, Some(v)) => v,
                    (true, Some(BodyMedia::Text), None) => "answer.text()?".to_owned(),
                    (true, Some(BodyMedia::Binary), None) => "answer.bytes()".to_owned(),
                    (true, Some(BodyMedia::Binary), Some(v)) => format!("{v}(answer.bytes())"),
                    (true, Some(BodyMedia::Text), Some(v)) => format!("{v}(answer.text()?)"),
                    (true, Some(_), None) => "answer.json()?".to_owned(),
                    (true, Some(_), Some(v)) => format!("{v}(answer.json()?)"),
                    (false, None, None) => "return Err(answer.error_value(()))".to_owned(),
                    (false, None, Some(v)) => format!("return Err(answer.error_value({v}))"),
                    (false, Some(BodyMedia::Binary), v) => format!(
                        "return Err(answer.error_bytes({}))",
                        v.unwrap_or_else(identity)
                    ),
                    (false, Some(BodyMedia::Text), v) => {
                        format!(
                            "return Err(answer.error_text({}))",
                            v.unwrap_or_else(identity)
                        )
                    }
                    (false, Some(_), v) => {
                        format!("return Err(answer.error({}))", v.unwrap_or_else(identity))
                    }
                };
                (pattern, expr)
            })
            .collect();
        if !self
            .responses
            .iter()
            .any(|r| r.status == StatusMatch::Default)
        {
            arms.push(("_".to_owned(), "return Err(answer.unexpected())".to_owned()));
        }
        arms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(path: &str, text: &str) -> Rendered {
        Rendered {
            path: path.to_owned(),
            template: "test.askama",
            item: path.to_owned(),
            text: text.to_owned(),
        }
    }

    /// `text` parsed whole and printed: what formatting must come to.
    fn printed_whole(text: &str) -> String {
        prettyplease::unparse(&syn::parse_file(text).unwrap())
    }

    /// The error formatting `text` (as the file at `path`) gives.
    fn syntax_error(path: &str, text: &str) -> String {
        format_rust(&rendered(path, text)).unwrap_err().to_string()
    }

    #[test]
    fn every_file_comes_back_formatted_and_the_first_broken_one_is_named() {
        let files: Vec<Rendered> = (0..40)
            .map(|n| {
                rendered(
                    &format!("f{n}.rs"),
                    &format!("fn f{n}(){{{}}}", "let _=1;".repeat(n)),
                )
            })
            .collect();
        let formatted = canonical_rust(files).unwrap();
        assert_eq!(formatted.len(), 40);
        assert_eq!(formatted[0].0, "f39.rs", "largest first");
        let (_, small) = formatted.iter().find(|(path, _)| path == "f0.rs").unwrap();
        assert_eq!(small, "fn f0() {}\n");

        // Of several broken files, the largest (first in the queue) is named, on every run.
        let broken = || {
            let mut files: Vec<Rendered> = (0..20)
                .map(|n| rendered(&format!("ok{n}.rs"), "fn ok() {}"))
                .collect();
            files.push(rendered("small.rs", "fn (("));
            files.push(rendered("large.rs", "fn ok() {} fn broken(( {}"));
            canonical_rust(files).unwrap_err().to_string()
        };
        for _ in 0..5 {
            let error = broken();
            assert!(error.contains("large.rs"), "{error}");
        }
    }

    #[test]
    fn a_file_formatted_run_by_run_is_the_file_formatted_whole() {
        let format = |text: &str| format_rust(&rendered("src/f.rs", text)).unwrap().1;
        // Runs end at `}` lines; the inner attributes stay with the first.
        let items = "//! The module.\n#![allow(dead_code)]\nstruct A {\n  a: u8,\n}\nuse std::fmt;\nimpl A {\n    fn f(&self) -> u8 { self.a }\n}\nfn g() {}\n";
        assert_eq!(items.split_inclusive(ITEMS_END).count(), 3);
        assert_eq!(format(items), printed_whole(items));
        // A `}` line inside an item splits it: the file is read whole instead.
        let inner_brace = "impl A {\nfn f() {\n}\n}\nstruct B;\n";
        assert_eq!(format(inner_brace), printed_whole(inner_brace));
        // A broken item in a later run is named as in a file read whole.
        let error = syntax_error("src/f.rs", "struct A {\n}\nfn broken() -> {\n}\n");
        assert!(
            error.contains("(in the item `fn broken () -> { … }`)"),
            "{error}"
        );
    }

    #[test]
    fn doc_blocks_put_back_after_printing_read_as_the_docs_printed_by_prettyplease() {
        let attributes = Docs {
            lines: [
                "a \"quote\" and \"#hash\"",
                "",
                "trailing spaces   ",
                "back\\slash ✓",
            ]
            .map(str::to_owned)
            .to_vec(),
        };
        let module_docs = Docs {
            lines: vec!["Module, by attribute.".to_owned()],
        };
        let text = format!(
            "//! The module.\n//!\n{}#![allow(dead_code)]\n/// A struct.\n{}#[derive(Debug)]\n/// After an attribute.\n\
             pub struct S {{\n    /// A field.  \n    ///\n    pub a: u8,\n    //// Not a doc.\n    b: u8,\n}}\n\
             #[doc = r\"/starts with a slash\"]\npub enum E {{\n    /// A variant.\n    V,\n}}\n\
             impl S {{\n        /// A method, indented oddly.\n  fn f(&self) {{}}\n}}\n",
            module_docs.inner(),
            attributes.outer()
        );
        let (marked, blocks) = take_doc_blocks(&text);
        // The `//!` lines with the inner attribute, the comment with the attributes, the one after
        // the derive, one per field, variant and method; the `/…` attribute and the `////` plain
        // comment stay as they are.
        assert_eq!(blocks.len(), 6, "{marked}");
        assert!(marked.contains("//// Not a doc."));
        assert!(marked.contains("#[doc = r\"/starts with a slash\"]"));
        assert!(!marked.contains("A field"));
        let printed = printed_whole(&marked);
        assert_eq!(put_back_docs(&printed, &blocks), Some(printed_whole(&text)));
        assert_eq!(format_run(&text), Some(printed_whole(&text)));
    }

    #[test]
    fn doc_blocks_in_a_macro_s_tokens_send_their_run_back_whole() {
        let text = "/// A macro.\nmacro_rules! m {\n    () => {\n        /// Inside.\n        fn f() {}\n    };\n}\n";
        let (marked, blocks) = take_doc_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(put_back_docs(&printed_whole(&marked), &blocks), None);
        assert_eq!(format_run(text), Some(printed_whole(text)));
        // A file of such runs and others: the same as printed whole.
        let file = format!("/// First.\nstruct A;\n{text}/// Last.\nstruct B {{\n}}\n");
        assert_eq!(
            format_rust(&rendered("src/m.rs", &file)).unwrap().1,
            printed_whole(&file)
        );
    }

    #[test]
    fn doc_attributes_read_back_as_the_lines_and_print_as_doc_comments() {
        let lines = [
            "plain",
            "",
            "a \"quote\" and a \"#hash\"",
            "\"##two\" then \"#one",
            "ends in a quote\"",
            "back\\slash \\n and ✓",
        ];
        let docs = Docs {
            lines: lines.iter().map(|line| line.to_string()).collect(),
        };
        let item: syn::ItemStruct = syn::parse_str(&format!("{}struct S;", docs.outer())).unwrap();
        let read: Vec<String> = item
            .attrs
            .iter()
            .map(|attr| match &attr.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }),
                    ..
                }) => text.value(),
                other => panic!("not a doc attribute: {}", quote::quote!(#other)),
            })
            .collect();
        let expected: Vec<String> = lines.iter().map(|line| format!(" {line}")).collect();
        assert_eq!(read, expected);

        let printed =
            prettyplease::unparse(&syn::parse_file(&format!("{}struct S;", docs.outer())).unwrap());
        let comments: Vec<String> = lines
            .iter()
            .map(|line| format!("/// {line}").trim_end().to_owned())
            .collect();
        assert_eq!(printed, format!("{}\nstruct S;\n", comments.join("\n")));

        let inner = syn::parse_file(&docs.inner()).unwrap();
        assert_eq!(inner.attrs.len(), lines.len());
        assert!(inner
            .attrs
            .iter()
            .all(|attr| matches!(attr.style, syn::AttrStyle::Inner(_))));
    }

    #[test]
    fn a_syntax_error_names_the_item_it_is_in() {
        let text =
            "struct Fine;\nimpl Display for Broken { fn fmt(&self) -> { } }\nstruct AlsoFine;\n";
        let error = syntax_error("src/broken.rs", text);
        assert!(error.contains("src/broken.rs is not valid Rust"), "{error}");
        assert!(
            error.contains(
                "(in the item `impl Display for Broken { … }`, member `fn fmt (& self) -> { }`)"
            ),
            "{error}"
        );

        // Doc comments are left out; a broken method is named within its `impl` block.
        let documented = "/// Fine.\nstruct Fine;\n/// The API.\nimpl Api {\n    /// One.\n    fn one(&self) {}\n    /// Two.\n    fn two(&self) -> { }\n}\n";
        let error = syntax_error("src/api.rs", documented);
        assert!(
            error.contains("(in the item `impl Api { … }`, member `fn two (& self) -> { }`)"),
            "{error}"
        );

        // A function returning `impl Trait` is no impl block: its body is not searched for members.
        let error = syntax_error("src/f.rs", "pub(crate) fn f() -> impl Sized { let x = ; }");
        assert!(
            error.contains("(in the item `pub (crate) fn f () -> impl Sized { … }`)"),
            "{error}"
        );

        // A broken struct is shown as far as its body.
        let error = syntax_error("src/model.rs", "/// A model.\npub struct Model { a: , }");
        assert!(
            error.contains("(in the item `pub struct Model { … }`)"),
            "{error}"
        );

        let parameters: Vec<String> = (0..30).map(|n| format!("a{n}: u8")).collect();
        let long = format!("fn broken({}) -> {{ }}", parameters.join(", "));
        let error = syntax_error("src/long.rs", &long);
        let shown = error.split("(in the item `").nth(1).unwrap();
        let shown = shown.split("`)").next().unwrap();
        assert!(
            shown.starts_with("fn broken (a0 : u8 , a1 : u8 ,"),
            "{error}"
        );
        assert!(shown.ends_with(" …"), "{error}");
        assert_eq!(shown.chars().count(), 80 + " …".chars().count(), "{error}");

        // Unbalanced delimiters fail before any item is parsed: the error alone is given.
        let error = syntax_error("src/open.rs", "fn open() {");
        assert!(!error.contains("in the item"), "{error}");
    }
}
