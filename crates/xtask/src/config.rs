//! `wasm-pack.toml`: the npm package's build settings.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// What to build and where.
    pub package: Package,
    /// Whether and how wasm-opt runs.
    #[serde(rename = "wasm-opt")]
    pub wasm_opt: WasmOpt,
    /// The package's entries, each one wasm-pack build of the crate.
    pub entry: Vec<Entry>,
}

/// `[[entry]]`: one module of the package and the path it is exported at.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Entry {
    /// The subpath in package.json's `exports`: `.`, `./app`.
    pub export: String,
    /// Base name of the generated files: `octane_kit`, `octane_kit_app`.
    pub out_name: String,
    /// Extra arguments for cargo, such as `--no-default-features`.
    #[serde(default)]
    pub cargo_args: Vec<String>,
    /// Size limits.
    pub budget: Budget,
}

/// `[package]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    pub name: String,
    #[serde(rename = "crate")]
    pub crate_dir: PathBuf,
    pub out_dir: PathBuf,
    pub target: String,
    pub profile: String,
    /// JavaScript appended to the generated module.
    pub extra_js: Option<PathBuf>,
    /// Typings appended to the generated `.d.ts`.
    pub extra_dts: Option<PathBuf>,
    /// Typings put at the top of the generated `.d.ts`.
    pub dts_header: Option<PathBuf>,
    /// Modules of the package not built by wasm-pack (written into
    /// `out-dir` by a later step of `cargo xtask build`).
    #[serde(default)]
    pub extra_exports: Vec<ExtraExport>,
}

/// `[[package.extra-exports]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraExport {
    /// The subpath in package.json's `exports`, such as `./embed`.
    pub export: String,
    /// The module file, relative to `out-dir`.
    pub module: String,
    /// Its typings.
    pub types: String,
    /// Every file it needs in the package.
    pub files: Vec<String>,
}

/// `[wasm-opt]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WasmOpt {
    pub enabled: bool,
    pub path: PathBuf,
    pub args: Vec<String>,
}

/// `[entry.budget]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Budget {
    /// The most bytes of the `.wasm`, raw.
    #[serde(rename = "max-wasm-bytes")]
    pub wasm: u64,
    /// The most bytes of the `.wasm`, gzipped.
    #[serde(rename = "max-wasm-gzip-bytes")]
    pub wasm_gzip: u64,
    /// The most bytes of the `.wasm` and the entry's JavaScript, each
    /// gzipped, together.
    #[serde(rename = "max-total-gzip-bytes")]
    pub total_gzip: Option<u64>,
}

/// Reads `wasm-pack.toml` at the workspace root.
pub fn load(root: &Path) -> Result<Config, String> {
    let path = root.join("wasm-pack.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let config: Config = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if !matches!(
        config.package.target.as_str(),
        "web" | "bundler" | "nodejs" | "no-modules" | "deno"
    ) {
        return Err(format!(
            "wasm-pack.toml: unknown target `{}`",
            config.package.target
        ));
    }
    if !matches!(
        config.package.profile.as_str(),
        "release" | "dev" | "profiling"
    ) {
        return Err(format!(
            "wasm-pack.toml: unknown profile `{}`",
            config.package.profile
        ));
    }
    if config.entry.is_empty() {
        return Err("wasm-pack.toml: no [[entry]]".to_owned());
    }
    Ok(config)
}
