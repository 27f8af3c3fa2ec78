//! `cargo xtask build`: the npm package, as `wasm-pack.toml` says.

use std::io::Write as _;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::value::RawValue;

use crate::config;
use crate::util::{command, run_command};

/// Builds the package: each entry with wasm-pack (without its own
/// wasm-opt) into a staging folder, then wasm-opt as configured, the
/// hand-written additions, the size budget checked, and the files copied
/// into the package with one package.json for all entries.
pub fn run(root: &Path) -> Result<(), String> {
    let config = config::load(root)?;
    let out_dir = root.join(&config.package.out_dir);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut manifest = None;
    for entry in &config.entry {
        let staging = root.join("target/wasm-pack").join(&entry.out_name);
        build_entry(root, &config, entry, &staging)?;
        // The package's modules go once the first entry is built (a
        // failed build leaves the package as it was).
        let snippets = out_dir.join(SNIPPETS);
        if manifest.is_none() && snippets.exists() {
            std::fs::remove_dir_all(&snippets)
                .map_err(|e| format!("cannot remove {}: {e}", snippets.display()))?;
        }
        for file in entry_files(&entry.out_name) {
            let from = staging.join(&file);
            std::fs::copy(&from, out_dir.join(&file))
                .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        }
        // The JavaScript the crate imports (`#[wasm_bindgen(module)]`):
        // the same files for every entry.
        for path in snippet_files(&staging)? {
            let to = out_dir.join(path.strip_prefix(&staging).map_err(|e| e.to_string())?);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::copy(&path, &to)
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
        if manifest.is_none() {
            manifest = Some(staging.join("package.json"));
        }
    }
    let manifest = manifest.ok_or("wasm-pack.toml: no [[entry]]")?;
    write_manifest(&manifest, &out_dir, &config)?;
    crate::site::embed(root, &out_dir)?;
    // What a docs page loads for live examples without results: the embed,
    // the app entry's JavaScript and its wasm.
    let mut total = 0;
    for file in ["embed.js", "octane_kit_app.js", "octane_kit_app_bg.wasm"] {
        let path = out_dir.join(file);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        total += gzip_len(&bytes)?;
    }
    println!("embed: {total} bytes gzip (embed.js with the octane-kit/app module and wasm)");
    Ok(())
}

/// The folder of the JavaScript modules the crate imports.
const SNIPPETS: &str = "snippets";

/// Every file under `dir/snippets`.
fn snippet_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.join(SNIPPETS)];
    while let Some(folder) = pending.pop() {
        let Ok(list) = std::fs::read_dir(&folder) else {
            continue;
        };
        for item in list {
            let path = item.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The files wasm-pack writes for one entry, as the package ships them.
fn entry_files(out_name: &str) -> [String; 4] {
    [
        format!("{out_name}.js"),
        format!("{out_name}.d.ts"),
        format!("{out_name}_bg.wasm"),
        format!("{out_name}_bg.wasm.d.ts"),
    ]
}

/// One wasm-pack build, optimised, completed and checked, in `staging`.
fn build_entry(
    root: &Path,
    config: &config::Config,
    entry: &config::Entry,
    staging: &Path,
) -> Result<(), String> {
    let package = &config.package;
    let staging_arg = staging.to_string_lossy().into_owned();
    let crate_dir = package.crate_dir.to_string_lossy().into_owned();
    let profile = format!("--{}", package.profile);
    let mut args = vec![
        "--quiet",
        "build",
        &crate_dir,
        "--target",
        &package.target,
        &profile,
        "--no-opt",
        "--out-dir",
        &staging_arg,
        "--out-name",
        &entry.out_name,
    ];
    if !entry.cargo_args.is_empty() {
        args.push("--");
        args.extend(entry.cargo_args.iter().map(String::as_str));
    }
    // wasm-pack adds to its folder: modules of an earlier build must go.
    let old_snippets = staging.join(SNIPPETS);
    if old_snippets.exists() {
        std::fs::remove_dir_all(&old_snippets)
            .map_err(|e| format!("cannot remove {}: {e}", old_snippets.display()))?;
    }
    run_command(command(root, "wasm-pack", &args), "wasm-pack build")?;

    let wasm = staging.join(format!("{}_bg.wasm", entry.out_name));
    if config.wasm_opt.enabled {
        let tool = root.join(&config.wasm_opt.path);
        if !tool.exists() {
            return Err(format!(
                "wasm-opt not found at {} (run `cargo xtask setup`)",
                tool.display()
            ));
        }
        let wasm_arg = wasm.to_string_lossy().into_owned();
        let mut args: Vec<&str> = config.wasm_opt.args.iter().map(String::as_str).collect();
        args.extend([wasm_arg.as_str(), "-o", wasm_arg.as_str()]);
        run_command(command(root, &tool.to_string_lossy(), &args), "wasm-opt")?;
    }

    let js = staging.join(format!("{}.js", entry.out_name));
    let dts = staging.join(format!("{}.d.ts", entry.out_name));
    for (extra, generated) in [(&package.extra_js, &js), (&package.extra_dts, &dts)] {
        if let Some(extra) = extra {
            append(&root.join(extra), generated)?;
        }
    }
    if let Some(header) = &package.dts_header {
        prepend(&root.join(header), &dts)?;
    }
    check_budget(&wasm, &js, &snippet_files(staging)?, &entry.budget)
}

/// Puts the text of `header` before `generated`'s.
fn prepend(header: &Path, generated: &Path) -> Result<(), String> {
    let top = std::fs::read_to_string(header)
        .map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let rest = std::fs::read_to_string(generated)
        .map_err(|e| format!("cannot read {}: {e}", generated.display()))?;
    std::fs::write(generated, top + &rest)
        .map_err(|e| format!("cannot write {}: {e}", generated.display()))
}

/// Appends the text of `extra` to `generated`.
fn append(extra: &Path, generated: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(extra)
        .map_err(|e| format!("cannot read {}: {e}", extra.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(generated)
        .map_err(|e| format!("cannot open {}: {e}", generated.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", generated.display()))
}

/// A JSON object that keeps its keys in the order given: in `exports`,
/// `types` must come before `default`, since conditions match in order
/// (a `serde_json::Value` would sort them).
struct Ordered(Vec<(String, Box<RawValue>)>);

impl serde::Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

fn raw(value: &impl serde::Serialize) -> Result<Box<RawValue>, String> {
    serde_json::value::to_raw_value(value).map_err(|e| e.to_string())
}

/// One subpath of `exports`: its typings, then its module.
fn condition(types: &str, module: &str) -> Result<Box<RawValue>, String> {
    raw(&Ordered(vec![
        ("types".to_owned(), raw(&format!("./{types}"))?),
        ("default".to_owned(), raw(&format!("./{module}"))?),
    ]))
}

/// wasm-pack's package.json of the first entry, made the package's: its
/// npm name, every entry's files, and an `exports` map with one subpath per
/// entry (the first is also `main` and `types`).
fn write_manifest(first: &Path, out_dir: &Path, config: &config::Config) -> Result<(), String> {
    use serde_json::{Value, json};
    let text = std::fs::read_to_string(first)
        .map_err(|e| format!("cannot read {}: {e}", first.display()))?;
    let mut json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", first.display()))?;
    let mut files = Vec::new();
    let mut exports = Vec::new();
    for entry in &config.entry {
        let [js, dts, wasm, _] = entry_files(&entry.out_name);
        exports.push((entry.export.clone(), condition(&dts, &js)?));
        exports.push((format!("./{wasm}"), raw(&format!("./{wasm}"))?));
        files.extend([wasm, js, dts]);
    }
    if out_dir.join(SNIPPETS).exists() {
        files.push(SNIPPETS.to_owned());
    }
    let mut side_effects = json["sideEffects"].as_array().cloned().unwrap_or_default();
    for extra in &config.package.extra_exports {
        exports.push((
            extra.export.clone(),
            condition(&extra.types, &extra.module)?,
        ));
        files.extend(extra.files.iter().cloned());
        // Importing the embed defines its element: a bundler must keep it.
        side_effects.push(Value::String(format!("./{}", extra.module)));
    }
    json["sideEffects"] = Value::Array(side_effects);
    exports.push(("./package.json".to_owned(), raw(&"./package.json")?));
    json["name"] = Value::String(config.package.name.clone());
    json["files"] = json!(files);
    let Value::Object(fields) = json else {
        return Err(format!("{}: not a JSON object", first.display()));
    };
    let mut manifest = Vec::new();
    for (key, value) in fields {
        manifest.push((key, raw(&value)?));
    }
    manifest.push(("exports".to_owned(), raw(&Ordered(exports))?));
    let text = serde_json::to_string_pretty(&Ordered(manifest)).map_err(|e| e.to_string())? + "\n";
    let path = out_dir.join("package.json");
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Gzip size of `bytes`, at the best level.
fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len() as u64)
}

/// Checks an entry against its budget: the wasm alone, and the wasm with
/// its JavaScript (the entry's module and the modules it imports).
fn check_budget(
    wasm: &Path,
    js: &Path,
    snippets: &[std::path::PathBuf],
    budget: &config::Budget,
) -> Result<(), String> {
    let bytes = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let script = std::fs::read(js).map_err(|e| format!("cannot read {}: {e}", js.display()))?;
    let gzip = gzip_len(&bytes)?;
    let mut total = gzip + gzip_len(&script)?;
    for snippet in snippets {
        let bytes = std::fs::read(snippet)
            .map_err(|e| format!("cannot read {}: {e}", snippet.display()))?;
        total += gzip_len(&bytes)?;
    }
    let raw = bytes.len() as u64;
    let total_budget = budget.total_gzip.map_or_else(String::new, |max| {
        format!(", with its JavaScript {max} gzip")
    });
    println!(
        "{}: {raw} bytes ({gzip} gzip; {total} gzip with its JavaScript); budget {} ({} gzip{total_budget})",
        wasm.file_name().unwrap_or_default().to_string_lossy(),
        budget.wasm,
        budget.wasm_gzip,
    );
    if raw > budget.wasm
        || gzip > budget.wasm_gzip
        || budget.total_gzip.is_some_and(|max| total > max)
    {
        return Err(format!(
            "{} is over its size budget in wasm-pack.toml",
            wasm.display()
        ));
    }
    Ok(())
}
