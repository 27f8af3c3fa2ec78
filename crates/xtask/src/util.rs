//! Running commands and finding things.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The workspace root (two levels above this crate). `cargo run` names
/// the crate's folder at run time too; that one wins over the folder the
/// binary was compiled in, which differs when clones share a target dir.
pub fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let manifest = manifest.as_path();
    manifest
        .ancestors()
        .nth(2)
        .map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}

/// A command to run in `dir`.
pub fn command(dir: &Path, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    command
}

/// Runs `command`, echoing it, and fails with `what` when it fails.
pub fn run_command(mut command: Command, what: &str) -> Result<(), String> {
    println!("$ {}", describe(&command));
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("{what}: could not start `{}`: {e}", describe(&command)))?;
    if status.success() {
        println!("  ({what}: {:.1}s)", started.elapsed().as_secs_f64());
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Runs `program args` and returns its trimmed standard output, or `None`
/// when it cannot start or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The full path of `program` found on `PATH`, if any.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}
