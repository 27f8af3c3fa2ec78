//! `cargo xtask`: the workspace's own automation, so that a newcomer needs
//! two commands and nothing else.
//!
//! - `cargo xtask setup`: installs what the other commands need (the wasm
//!   target, the pinned `wasm-bindgen-cli`, `wasm-pack`, npm packages, and
//!   for tests Chromium with its driver). Idempotent and fast when nothing
//!   is missing; every other command runs it first.
//! - `cargo xtask build`: builds the npm package as `wasm-pack.toml` says,
//!   then the playground as a static site (`target/playground`).
//! - `cargo xtask playground [--port N]`: builds the package, then serves
//!   `www/` with Vite, reloading on edits.
//! - `cargo xtask test`: every check and test, native, wasm and browser.
//! - `cargo xtask fuzz [--seconds N]`: every fuzz target (nightly) for N
//!   seconds each (60 by default).
//! - `cargo xtask bench`: native benchmarks, then octane-kit against its
//!   npm peers in Node; the report goes to `target/bench/report.md`.
//!
//! This crate owns the build and test procedure; it knows nothing of the
//! query language or of what the package exports.

mod bench;
mod build;
mod composition;
mod config;
mod fuzz;
mod setup;
mod site;
mod test;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup               install the tools the other commands need
  build               build the npm package (see wasm-pack.toml) and the
                      playground's static site (target/playground)
  playground [--port N]
                      build the package, then serve the playground on
                      http://127.0.0.1:8080 with reload on edits
  test                formatting, lints, docs, native, wasm and browser tests
  fuzz [--seconds N]  run every fuzz target for N seconds (nightly; default 60)
  bench               benchmarks, native, against npm peers, and the playground
                      (target/bench/report.md)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let root = util::workspace_root();
    let command = args.first().map_or("help", String::as_str);
    match command {
        "setup" => setup::run(&root, &setup::Needs { browser: true }),
        "build" => {
            setup::run(&root, &setup::Needs { browser: false })?;
            build::run(&root)?;
            site::build(&root).map(|_| ())
        }
        "playground" => {
            let port = parse_port(&args[1..])?;
            setup::run(&root, &setup::Needs { browser: false })?;
            build::run(&root)?;
            site::serve(&root, port)
        }
        "test" => test::run(&root),
        "fuzz" => {
            let seconds = match &args[1..] {
                [] => 60,
                [flag, value] if flag == "--seconds" => value
                    .parse()
                    .map_err(|_| format!("`--seconds` takes a number, not `{value}`"))?,
                other => return Err(format!("unexpected arguments {other:?}\n\n{USAGE}")),
            };
            fuzz::run(&root, seconds)
        }
        "bench" => {
            setup::run(&root, &setup::Needs { browser: true })?;
            build::run(&root)?;
            site::build(&root)?;
            bench::run(&root)
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn parse_port(args: &[String]) -> Result<u16, String> {
    match args {
        [] => Ok(8080),
        [flag, value] if flag == "--port" => value
            .parse()
            .map_err(|_| format!("`--port` takes a port number, not `{value}`")),
        [flag] if flag.starts_with("--port=") => {
            let value = &flag["--port=".len()..];
            value
                .parse()
                .map_err(|_| format!("`--port` takes a port number, not `{value}`"))
        }
        _ => Err(format!("unexpected arguments {args:?}\n\n{USAGE}")),
    }
}
