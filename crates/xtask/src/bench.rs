//! `cargo xtask bench`: what each entry's code is made of (see
//! `composition`), the native benchmarks, then the Node comparison
//! with npm peers, then the playground in Chromium (load size, time to
//! answer, keystroke latency), gathered in `target/bench/report.md` and
//! `target/bench/report.json`. Timings are reported, never checked:
//! nothing here fails on a number.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::util::command;

/// Runs every benchmark and writes the report.
pub fn run(root: &Path) -> Result<(), String> {
    let out = root.join("target/bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut report = String::from("# octane-kit benchmarks\n\n");
    // What each entry's code is made of: written first, so that the Node
    // part can name the largest crates where it says what stands in the
    // way of the size goals.
    println!("==> what the code is made of (entries built with names)");
    let (composition_md, composition) = crate::composition::run(root)?;
    let path = out.join("composition.json");
    let text = serde_json::to_string_pretty(&composition).map_err(|e| e.to_string())?;
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    print!("{composition_md}");
    let mut native = Vec::new();
    for package in ["octane-bench", "octane-query", "octane-eval"] {
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
        let mut suite = json!({ "package": package, "output": text });
        if package == "octane-bench" {
            let rows = divan_rows(&text);
            // The native goal: parsing and validating the statement.
            let median = (rows.as_array().into_iter().flatten())
                .find(|row| row["name"] == "statement/parse_and_validate")
                .and_then(|row| row["median_ns"].as_f64());
            if let Some(median) = median {
                let met = if median <= 2000.0 { "met" } else { "not met" };
                let _ = write!(
                    report,
                    "The 108-character statement parsed and validated natively: {:.2} µs \
                     (median; the goal is at most 2 µs: {met}).\n\n",
                    median / 1000.0
                );
            }
            suite["benchmarks"] = rows;
        }
        native.push(suite);
    }
    report.push_str(&node_part(
        root,
        &out,
        "octane-kit and its npm peers in Node",
        "peers",
    )?);
    report.push('\n');
    report.push_str(&composition_md);
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
    // The same as data: the machine, the native suites (the divan table
    // read into rows), and the Node and Chromium parts' own JSON.
    let part = |name: &str| {
        fs::read_to_string(out.join(format!("{name}.json")))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .unwrap_or(Value::Null)
    };
    let json = json!({
        "machine": {
            "cores": std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
        },
        "native": native,
        "peers": part("peers"),
        "composition": composition,
        "playground": part("playground"),
    });
    let path = out.join("report.json");
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("report: {}", path.display());
    Ok(())
}

/// The rows of divan's table: each benchmark's path (`query/parse/1000`)
/// with its fastest, median and mean times in nanoseconds.
fn divan_rows(text: &str) -> Value {
    let mut path: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        // The tree's lines come first, then the name.
        let Some(start) = line.find(|c: char| c.is_alphanumeric() || c == '_') else {
            continue;
        };
        // Rows have six columns: name and fastest, slowest, median, mean,
        // samples, iterations. The header and the groups' rows too.
        let cells: Vec<&str> = line[start..].split('│').collect();
        if cells.len() != 6 {
            continue;
        }
        // Each level of the tree indents by three characters.
        let depth = line[..start].chars().count() / 3;
        let mut words = cells[0].split_whitespace();
        let Some(name) = words.next() else {
            continue;
        };
        path.truncate(depth);
        path.push(name.to_owned());
        let fastest = words.collect::<Vec<_>>().join(" ");
        let (Some(fastest), Some(median), Some(mean)) = (
            nanoseconds(&fastest),
            nanoseconds(cells[2]),
            nanoseconds(cells[3]),
        ) else {
            continue;
        };
        rows.push(json!({
            "name": path[1..].join("/"),
            "fastest_ns": fastest,
            "median_ns": median,
            "mean_ns": mean,
            "samples": cells[4].trim().parse::<u64>().ok(),
        }));
    }
    Value::Array(rows)
}

/// `1.5 µs` and the like, in nanoseconds.
fn nanoseconds(text: &str) -> Option<f64> {
    let (number, unit) = text.trim().split_once(' ')?;
    let scale = match unit {
        "ns" => 1.0,
        "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    number.parse::<f64>().ok().map(|n| n * scale)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divan_tables_read_as_rows() {
        let table = "\
Timer precision: 20 ns
native                    fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ action                               │               │               │               │         │
│  ╰─ render                            │               │               │               │         │
│     ├─ 100              9.133 µs      │ 1.123 ms      │ 9.338 µs      │ 20.61 µs      │ 100     │ 100
│     ╰─ 1000000          1.44 ms       │ 2.296 ms      │ 1.505 ms      │ 1.554 ms      │ 100     │ 100
╰─ statement                            │               │               │               │         │
   ├─ parse               1.771 µs      │ 132.8 µs      │ 2.077 µs      │ 3.405 µs      │ 100     │ 100
   ╰─ parse_and_validate  2.442 µs      │ 15.02 µs      │ 2.754 µs      │ 2.894 µs      │ 50      │ 100
";
        let rows = divan_rows(table);
        let names: Vec<&str> = (rows.as_array().unwrap().iter())
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "action/render/100",
                "action/render/1000000",
                "statement/parse",
                "statement/parse_and_validate"
            ]
        );
        assert_eq!(rows[0]["median_ns"], 9338.0);
        assert_eq!(rows[1]["fastest_ns"], 1_440_000.0);
        assert_eq!(rows[3]["mean_ns"], 2894.0);
        assert_eq!(rows[3]["samples"], 50);
        assert_eq!(nanoseconds("20 ns"), Some(20.0));
        assert_eq!(nanoseconds("2 parsecs"), None);
    }
}
