//! A small static file server for the playground: `www/` at `/`, the npm
//! package at `/pkg/`. Loopback only, GET and HEAD only, no directory
//! listing, no path outside the two folders.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// Serves until the process ends, printing the URL.
pub fn serve(root: &Path, package: &Path, port: u16) -> Result<(), String> {
    let listener = bind(port)?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!("playground: http://{address}/  (Ctrl-C to stop)");
    accept(&listener, &Roots::new(root, package));
    Ok(())
}

/// Serves on a free port in a background thread; returns its address.
pub fn spawn(root: &Path, package: &Path) -> Result<SocketAddr, String> {
    let listener = bind(0)?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let roots = Roots::new(root, package);
    thread::spawn(move || accept(&listener, &roots));
    Ok(address)
}

fn bind(port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))
}

#[derive(Clone)]
struct Roots {
    www: PathBuf,
    package: PathBuf,
}

impl Roots {
    fn new(root: &Path, package: &Path) -> Self {
        Self {
            www: root.join("www"),
            package: package.to_path_buf(),
        }
    }

    /// The file a URL path names, if it stays inside a served folder.
    fn resolve(&self, url_path: &str) -> Option<PathBuf> {
        let path = url_path.split(['?', '#']).next().unwrap_or("/");
        let (base, rest) = match path.strip_prefix("/pkg/") {
            Some(rest) => (&self.package, rest),
            None => (&self.www, path.trim_start_matches('/')),
        };
        let rest = if rest.is_empty() || rest.ends_with('/') {
            format!("{rest}index.html")
        } else {
            rest.to_owned()
        };
        let relative = Path::new(&rest);
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return None;
        }
        let file = base.join(relative);
        file.is_file().then_some(file)
    }
}

fn accept(listener: &TcpListener, roots: &Roots) {
    for stream in listener.incoming().flatten() {
        let roots = roots.clone();
        thread::spawn(move || {
            let _ = respond(stream, &roots);
        });
    }
}

fn respond(mut stream: TcpStream, roots: &Roots) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("/");
    if method != "GET" && method != "HEAD" {
        return write_response(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed",
            method,
        );
    }
    match roots.resolve(path) {
        Some(file) => {
            let body = std::fs::read(&file)?;
            write_response(&mut stream, "200 OK", content_type(&file), &body, method)
        }
        None => write_response(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found",
            method,
        ),
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_served_folders() {
        let root = crate::util::workspace_root();
        let roots = Roots::new(&root, &root.join("crates/octane-wasm/pkg"));
        assert_eq!(roots.resolve("/"), Some(root.join("www/index.html")));
        assert_eq!(
            roots.resolve("/index.html?x=1"),
            Some(root.join("www/index.html"))
        );
        assert_eq!(roots.resolve("/../Cargo.toml"), None);
        assert_eq!(roots.resolve("/pkg/../../../Cargo.toml"), None);
        assert_eq!(roots.resolve("//etc/passwd"), None);
        assert_eq!(roots.resolve("/missing.js"), None);
    }
}
