//! `cargo xtask bench`: the native benchmarks, then the Node comparison
//! with npm peers, then the playground in Chromium (load size, time to
//! answer, keystroke latency), gathered in `target/bench/report.md`. Timings are
//! reported, never checked: nothing here fails on a number.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::util::command;

/// Runs every benchmark and writes the report.
pub fn run(root: &Path) -> Result<(), String> {
    let out = root.join("target/bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut report = String::from("# octane-kit benchmarks\n\n");
    for package in ["octane-query", "octane-eval"] {
        println!("==> cargo bench -p {package}");
        let output = command(root, "cargo", &["bench", "--quiet", "-p", package])
            .output()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        let text = String::from_utf8_lossy(&output.stdout);
        print!("{text}");
        if !output.status.success() {
            return Err(format!(
                "cargo bench -p {package} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let _ = write!(report, "## Native: {package}\n\n```\n{text}```\n\n");
    }
    println!("==> octane-kit and its npm peers in Node");
    let status = command(root, "node", &["crates/xtask/bench/peers.mjs"])
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !status.success() {
        return Err("the Node benchmark failed".into());
    }
    let peers = fs::read_to_string(out.join("peers.md"))
        .map_err(|e| format!("the Node benchmark wrote no report: {e}"))?;
    report.push_str(&peers);
    println!("==> the playground in Chromium");
    let status = command(root, "node", &["crates/xtask/bench/playground.mjs"])
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !status.success() {
        return Err("the playground benchmark failed".into());
    }
    let playground = fs::read_to_string(out.join("playground.md"))
        .map_err(|e| format!("the playground benchmark wrote no report: {e}"))?;
    report.push('\n');
    report.push_str(&playground);
    let path = out.join("report.md");
    fs::write(&path, report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("report: {}", path.display());
    Ok(())
}
