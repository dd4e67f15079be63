//! The generator: an OpenAPI 3.0 document in, a typed async Rust client crate out.
//!
//! `load` (read, check, normalise, parse) → `analyse` (the IR: every name and type decided) →
//! `render` (askama templates, then `syn` + `prettyplease`).

pub mod analyse;
pub mod diff;
pub mod docs;
pub mod error;
pub mod ir;
pub mod load;
pub mod names;
pub mod normalize;
pub mod render;
pub mod text;

pub use analyse::{Analysis, Config};
pub use error::{Error, Location, Result};
pub use render::{Files, RenderOptions, CONTRACT_CALLS_FILE, GENERATED_TESTS_DIR};

/// Loads and analyses a spec (no rendering): the IR, for comparing two specs.
pub fn analyse_text(text: &str, config: &Config) -> Result<Analysis> {
    let spec = load::load_str(text)?;
    analyse::analyse(&spec.api, config)
}

/// Loads, analyses and renders a spec in one go.
pub fn generate(text: &str, config: &Config, options: &RenderOptions) -> Result<Generated> {
    generate_loaded(load::load_str(text)?, config, options)
}

/// Analyses and renders a spec already loaded (when the caller needs its contents first, as its
/// version for the crate's).
pub fn generate_loaded(
    spec: load::LoadedSpec,
    config: &Config,
    options: &RenderOptions,
) -> Result<Generated> {
    // The parsed document is freed once analysed: its memory then serves the rendering instead of
    // fresh pages, which are dear.
    let load::LoadedSpec {
        api,
        normalisations,
    } = spec;
    let analysis = analyse::analyse(&api, config)?;
    drop(api);
    let files = render::render(&analysis.api, options)?;
    Ok(Generated {
        files,
        analysis,
        normalisations,
    })
}

/// Everything one generation produced.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Files,
    pub analysis: Analysis,
    pub normalisations: Vec<normalize::Applied>,
}

/// The README's Rust examples compile as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
