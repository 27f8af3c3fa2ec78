//! `cargo xtask test`: every check, in the order that fails fastest, each
//! step timed; the exit status says whether all passed.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::util::{command, run_command};
use crate::{build, fuzz, setup, site};

/// The cargo steps: name, arguments, extra environment.
type CargoStep = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

const CARGO_STEPS: &[CargoStep] = &[
    ("format", &["fmt", "--all", "--check"], &[]),
    (
        "lints (native)",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    ),
    (
        "lints (wasm32)",
        &[
            "clippy",
            "--package",
            "octane-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    ),
    (
        "lints (wasm32, octane-kit/app)",
        &[
            "clippy",
            "--package",
            "octane-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    ),
    (
        "docs",
        &["doc", "--workspace", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    ),
    // --no-fail-fast: one failing test binary must not hide the others.
    (
        "native tests",
        &["test", "--workspace", "--no-fail-fast"],
        &[],
    ),
];

struct Outcome {
    name: &'static str,
    seconds: f64,
    result: Result<(), String>,
}

/// Runs everything; fails when any step failed.
pub fn run(root: &Path) -> Result<(), String> {
    setup::run(root, &setup::Needs { browser: true })?;
    let mut outcomes = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result<(), String>| {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = f();
        if let Err(error) = &result {
            println!("FAILED: {error}");
        }
        let ok = result.is_ok();
        outcomes.push(Outcome {
            name,
            seconds: started.elapsed().as_secs_f64(),
            result,
        });
        ok
    };

    for (name, args, env) in CARGO_STEPS {
        step(name, &mut || {
            let mut cargo = command(root, "cargo", args);
            cargo.envs(env.iter().copied());
            run_command(cargo, name)
        });
    }
    // Each fuzz target for a few seconds; their saved failures are
    // replayed on stable by the native tests above in any case.
    if fuzz::nightly() {
        step("fuzz targets, 5 s each (nightly)", &mut || {
            fuzz::run(root, 5)
        });
    } else {
        println!(
            "\n==> fuzz targets: not run, no nightly toolchain here (their saved failures were replayed above)"
        );
    }
    let built = step("npm package and playground build", &mut || {
        build::run(root)?;
        site::build(root).map(|_| ())
    });
    step("wasm tests (headless Chromium)", &mut || wasm_tests(root));
    if built {
        step("Node tests of the package", &mut || {
            run_command(node_tests(root, "tests/node"), "node --test tests/node")
        });
        step("browser tests (playground, origins, XSRF)", &mut || {
            run_command(
                browser_node_tests(root, "tests/e2e"),
                "node --test tests/e2e",
            )
        });
        step(
            "consumer (npm pack, tsc --strict, Vite, Chromium)",
            &mut || {
                run_command(
                    browser_node_tests(root, "tests/consumer"),
                    "node --test tests/consumer",
                )
            },
        );
    }

    println!("\nsummary:");
    let mut failed = 0;
    for outcome in &outcomes {
        let mark = if outcome.result.is_ok() {
            "ok  "
        } else {
            "FAIL"
        };
        failed += usize::from(outcome.result.is_err());
        println!("  {mark} {:<34} {:>6.1}s", outcome.name, outcome.seconds);
    }
    println!("steps: {} passed, {failed} failed", outcomes.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} of {} steps failed", outcomes.len()))
    }
}

fn wasm_tests(root: &Path) -> Result<(), String> {
    let (_, driver) = setup::browser_paths().ok_or("no chromedriver")?;
    let mut test = command(
        root,
        "cargo",
        &[
            "test",
            "--package",
            "octane-wasm",
            "--target",
            "wasm32-unknown-unknown",
        ],
    );
    test.env("CHROMEDRIVER", driver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    run_command(test, "wasm-bindgen-test in Chromium")
}

/// Node tests that drive Chromium: told where the browser is.
fn browser_node_tests(root: &Path, dir: &str) -> Command {
    let mut tests = node_tests(root, dir);
    if let Some((browser, _)) = setup::browser_paths() {
        tests.env("CHROMIUM_PATH", browser);
    }
    tests
}

fn node_tests(root: &Path, dir: &str) -> Command {
    let files: Vec<String> = std::fs::read_dir(root.join(dir))
        .map(|entries| {
            let mut files: Vec<String> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            files.sort();
            files
        })
        .unwrap_or_default();
    let mut args = vec!["--test".to_owned()];
    args.extend(files);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    command(root, "node", &args)
}
