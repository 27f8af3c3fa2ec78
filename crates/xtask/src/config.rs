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
    pub out_name: String,
    pub target: String,
    pub profile: String,
    /// JavaScript appended to the generated module.
    pub extra_js: Option<PathBuf>,
    /// Typings appended to the generated `.d.ts`.
    pub extra_dts: Option<PathBuf>,
    /// Typings put at the top of the generated `.d.ts`.
    pub dts_header: Option<PathBuf>,
}

/// `[wasm-opt]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WasmOpt {
    pub enabled: bool,
    pub path: PathBuf,
    pub args: Vec<String>,
}

/// `[budget]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Budget {
    pub max_wasm_bytes: u64,
    pub max_wasm_gzip_bytes: u64,
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
    Ok(config)
}
