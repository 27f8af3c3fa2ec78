//! `cargo xtask fuzz [--seconds N]`: builds the cargo-fuzz targets under
//! `fuzz/` with the nightly toolchain and runs each for N seconds. A
//! failure leaves its input in `fuzz/artifacts/<target>/`; once fixed, it
//! belongs in `fuzz/regressions/<target>/`, which the stable test suite
//! replays (`crates/octane-wasm/tests/fuzz_regressions.rs`).

use std::path::Path;

use crate::util::{command, output, run_command};

/// The targets, as `fuzz/Cargo.toml` names them.
pub const TARGETS: [&str; 5] = [
    "query_round_trip",
    "odata",
    "actions",
    "render_url",
    "dataset",
];

/// Whether the nightly toolchain cargo-fuzz needs is installed.
pub fn nightly() -> bool {
    output("cargo", &["+nightly", "--version"]).is_some()
}

/// Installs cargo-fuzz when it is missing (nightly must be there).
pub fn setup(root: &Path) -> Result<(), String> {
    if output("cargo", &["+nightly", "fuzz", "--version"]).is_some() {
        return Ok(());
    }
    println!("setup: installing cargo-fuzz");
    run_command(
        command(
            root,
            "cargo",
            &["+nightly", "install", "cargo-fuzz", "--locked"],
        ),
        "cargo install cargo-fuzz",
    )
}

/// Builds every target once, then runs each for `seconds`.
pub fn run(root: &Path, seconds: u32) -> Result<(), String> {
    if !nightly() {
        return Err(
            "the fuzz targets need the nightly toolchain (`cargo +nightly --version` fails here)"
                .to_owned(),
        );
    }
    setup(root)?;
    let dir = root.join("fuzz");
    run_command(
        command(&dir, "cargo", &["+nightly", "fuzz", "build", "-O"]),
        "cargo fuzz build",
    )?;
    let time = format!("-max_total_time={seconds}");
    let mut failed = Vec::new();
    for target in TARGETS {
        let run = command(
            &dir,
            "cargo",
            &[
                "+nightly",
                "fuzz",
                "run",
                "-O",
                target,
                "--",
                &time,
                "-rss_limit_mb=2048",
                "-print_final_stats=0",
            ],
        );
        if let Err(error) = run_command(run, &format!("fuzz {target} for {seconds}s")) {
            println!("{error}: the input is in fuzz/artifacts/{target}/");
            failed.push(target);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz targets failed: {} (inputs in fuzz/artifacts/; once fixed, keep each in fuzz/regressions/<target>/)",
            failed.join(", ")
        ))
    }
}
