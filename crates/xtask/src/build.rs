//! `cargo xtask build`: the npm package, as `wasm-pack.toml` says.

use std::io::Write as _;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::config;
use crate::util::{command, run_command};

/// Builds the package: wasm-pack without its own wasm-opt, then wasm-opt
/// as configured, the package name set, and the size budget checked.
pub fn run(root: &Path) -> Result<(), String> {
    let config = config::load(root)?;
    let package = &config.package;
    let out_dir = root.join(&package.out_dir);
    let out_dir_arg = out_dir.to_string_lossy().into_owned();
    let crate_dir = package.crate_dir.to_string_lossy().into_owned();
    let profile = format!("--{}", package.profile);
    let wasm_pack = command(
        root,
        "wasm-pack",
        &[
            "--quiet",
            "build",
            &crate_dir,
            "--target",
            &package.target,
            &profile,
            "--no-opt",
            "--out-dir",
            &out_dir_arg,
            "--out-name",
            &package.out_name,
        ],
    );
    run_command(wasm_pack, "wasm-pack build")?;

    let wasm = out_dir.join(format!("{}_bg.wasm", package.out_name));
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

    for (extra, generated) in [
        (&package.extra_js, format!("{}.js", package.out_name)),
        (&package.extra_dts, format!("{}.d.ts", package.out_name)),
    ] {
        if let Some(extra) = extra {
            append(&root.join(extra), &out_dir.join(generated))?;
        }
    }
    if let Some(header) = &package.dts_header {
        prepend(
            &root.join(header),
            &out_dir.join(format!("{}.d.ts", package.out_name)),
        )?;
    }
    set_package_name(&out_dir, &package.name)?;
    check_budget(&wasm, &config.budget)
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

/// wasm-pack names the package after the crate; the npm name is ours.
fn set_package_name(out_dir: &Path, name: &str) -> Result<(), String> {
    let path = out_dir.join("package.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    json["name"] = serde_json::Value::String(name.to_owned());
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n";
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn check_budget(wasm: &Path, budget: &config::Budget) -> Result<(), String> {
    let bytes = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&bytes).map_err(|e| e.to_string())?;
    let gzip = encoder.finish().map_err(|e| e.to_string())?.len() as u64;
    let raw = bytes.len() as u64;
    println!(
        "{}: {raw} bytes ({gzip} gzip); budget {} ({} gzip)",
        wasm.file_name().unwrap_or_default().to_string_lossy(),
        budget.max_wasm_bytes,
        budget.max_wasm_gzip_bytes
    );
    if raw > budget.max_wasm_bytes || gzip > budget.max_wasm_gzip_bytes {
        return Err("the .wasm is over the size budget in wasm-pack.toml".to_owned());
    }
    Ok(())
}
