//! The playground (`www/`, a Vite + TypeScript app that depends on the
//! built npm package): type-checked and built as static files, or served
//! by Vite's dev server with reload on edits.

use std::path::{Path, PathBuf};

use crate::util::{command, run_command};

/// Where the static build goes, relative to the workspace root.
pub const OUT_DIR: &str = "target/playground";

fn tool(root: &Path, name: &str) -> Result<String, String> {
    let path = root.join("node_modules/.bin").join(name);
    if path.exists() {
        Ok(path.to_string_lossy().into_owned())
    } else {
        Err(format!(
            "{} not found (run `cargo xtask setup`)",
            path.display()
        ))
    }
}

/// Writes `octane-kit/embed` into the package at `out_dir`: `embed.js`
/// (Vite's library build of `www/embed/`) and its typings.
pub fn embed(root: &Path, out_dir: &Path) -> Result<(), String> {
    let www = root.join("www");
    let mut vite = command(
        &www,
        &tool(root, "vite")?,
        &[
            "build",
            "--config",
            "vite.embed.config.ts",
            "--logLevel",
            "warn",
        ],
    );
    vite.env("EMBED_OUT_DIR", out_dir);
    run_command(vite, "vite build (embed)")?;
    let typings = www.join("embed/public.d.ts");
    std::fs::copy(&typings, out_dir.join("embed.d.ts"))
        .map_err(|e| format!("cannot copy {}: {e}", typings.display()))?;
    Ok(())
}

/// Type-checks the app (`tsc --strict`), then writes the static site:
/// relative URLs, hostable from any folder; returns its folder.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    let www = root.join("www");
    run_command(
        command(&www, &tool(root, "tsc")?, &["-p", "."]),
        "tsc (playground)",
    )?;
    let out_dir = root.join(OUT_DIR);
    let mut vite = command(&www, &tool(root, "vite")?, &["build", "--logLevel", "warn"]);
    vite.env("PLAYGROUND_OUT_DIR", &out_dir);
    run_command(vite, "vite build (playground)")?;
    println!("playground: static site in {}", out_dir.display());
    Ok(out_dir)
}

/// Serves the app with Vite on `127.0.0.1:port`, reloading on edits
/// under `www/`, until the process ends.
pub fn serve(root: &Path, port: u16) -> Result<(), String> {
    let www = root.join("www");
    let port = port.to_string();
    println!("playground: http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    run_command(
        command(
            &www,
            &tool(root, "vite")?,
            &["--host", "127.0.0.1", "--port", &port, "--strictPort"],
        ),
        "vite (playground)",
    )
}
