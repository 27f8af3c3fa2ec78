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
    report.push_str(&node_part(
        root,
        &out,
        "octane-kit and its npm peers in Node",
        "peers",
    )?);
    report.push('\n');
    report.push_str(&node_part(
        root,
        &out,
        "the playground in Chromium",
        "playground",
    )?);
    let path = out.join("report.md");
    fs::write(&path, report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("report: {}", path.display());
    Ok(())
}

/// Runs `crates/xtask/bench/<name>.mjs`, which writes its part of the
/// report to `target/bench/<name>.md`; returns that part.
fn node_part(root: &Path, out: &Path, title: &str, name: &str) -> Result<String, String> {
    println!("==> {title}");
    let script = format!("crates/xtask/bench/{name}.mjs");
    let status = command(root, "node", &[&script])
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !status.success() {
        return Err(format!("{script} failed"));
    }
    fs::read_to_string(out.join(format!("{name}.md")))
        .map_err(|e| format!("{script} wrote no report: {e}"))
}
