//! `cargo xtask setup`: installs what is missing, says what it installs,
//! and does nothing (quickly) when everything is there.

use std::path::Path;

use crate::util::{command, output, run_command, which};

/// What the caller is about to do.
pub struct Needs {
    /// A browser and its WebDriver (for the tests).
    pub browser: bool,
}

/// Installs what is missing.
pub fn run(root: &Path, needs: &Needs) -> Result<(), String> {
    wasm_target(root)?;
    wasm_bindgen_cli(root)?;
    wasm_pack(root)?;
    npm_packages(root)?;
    if needs.browser {
        browser()?;
    }
    Ok(())
}

fn wasm_target(root: &Path) -> Result<(), String> {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == TARGET) {
        return Ok(());
    }
    println!("setup: installing the Rust target {TARGET}");
    run_command(
        command(root, "rustup", &["target", "add", TARGET]),
        "rustup target add",
    )
}

/// The `wasm-bindgen` version that `Cargo.lock` pins.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.lock");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let lock: toml::Table = toml::from_str(&text).map_err(|e| format!("Cargo.lock: {e}"))?;
    lock.get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p.get("name").and_then(toml::Value::as_str) == Some("wasm-bindgen"))
        .and_then(|p| p.get("version").and_then(toml::Value::as_str))
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_owned())
}

fn wasm_bindgen_cli(root: &Path) -> Result<(), String> {
    let version = locked_wasm_bindgen(root)?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version.as_str()) {
        return Ok(());
    }
    println!(
        "setup: installing wasm-bindgen-cli {version} (Cargo.lock pins it; found {:?})",
        if have.is_empty() {
            "none"
        } else {
            have.as_str()
        }
    );
    let exact = format!("={version}");
    let locked = command(
        root,
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &exact,
            "--locked",
            "--force",
        ],
    );
    if run_command(locked, "cargo install wasm-bindgen-cli --locked").is_ok() {
        return Ok(());
    }
    // The CLI's own lock file can name a crate version the registry no
    // longer serves; resolve afresh rather than give up.
    println!("setup: retrying without --locked");
    let unlocked = command(
        root,
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &exact,
            "--force",
        ],
    );
    run_command(unlocked, "cargo install wasm-bindgen-cli")
}

fn wasm_pack(root: &Path) -> Result<(), String> {
    if output("wasm-pack", &["--version"]).is_some() {
        return Ok(());
    }
    println!("setup: installing wasm-pack");
    run_command(
        command(root, "cargo", &["install", "wasm-pack", "--locked"]),
        "cargo install wasm-pack",
    )
}

/// `npm ci` when the lock file is newer than what is installed.
fn npm_packages(root: &Path) -> Result<(), String> {
    let lock = root.join("package-lock.json");
    let Ok(lock_meta) = lock.metadata() else {
        return Ok(());
    };
    let installed = root.join("node_modules/.package-lock.json");
    let fresh = installed
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .zip(lock_meta.modified().ok())
        .is_some_and(|(installed, lock)| installed >= lock);
    if fresh {
        return Ok(());
    }
    println!("setup: installing npm packages (npm ci)");
    run_command(
        command(root, "npm", &["ci", "--no-audit", "--no-fund"]),
        "npm ci",
    )
}

/// The Chromium binary and its WebDriver, as (browser, driver).
pub fn browser_paths() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let browser = which("chromium").or_else(|| which("chromium-browser"))?;
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| which("chromedriver"))?;
    Some((browser, driver))
}

fn browser() -> Result<(), String> {
    if browser_paths().is_some() {
        return Ok(());
    }
    let root_user = output("id", &["-u"]).as_deref() == Some("0");
    if !root_user || which("apt-get").is_none() {
        return Err(
            "Chromium and ChromeDriver are needed for the browser tests: install \
             Debian's `chromium` and `chromium-driver` (or put `chromium` and \
             `chromedriver` on PATH)"
                .to_owned(),
        );
    }
    println!("setup: installing chromium and chromium-driver with apt-get");
    let here = Path::new("/");
    run_command(
        command(here, "apt-get", &["update", "-qq"]),
        "apt-get update",
    )?;
    let mut install = command(
        here,
        "apt-get",
        &["install", "-y", "-qq", "chromium", "chromium-driver"],
    );
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run_command(install, "apt-get install chromium chromium-driver")?;
    browser_paths()
        .map(|_| ())
        .ok_or_else(|| "chromium installed, but not found on PATH".to_owned())
}
