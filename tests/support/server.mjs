// One way to serve what the tests need on loopback: a server per origin
// with an ephemeral port, the built package under /pkg/, static files
// from a folder, and the test pages in tests/e2e/pages with their
// placeholders filled in.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** The built npm package. */
export const PKG = fileURLToPath(new URL("../../crates/octane-wasm/pkg/", import.meta.url));
/** The test pages. */
export const PAGES = fileURLToPath(new URL("../e2e/pages/", import.meta.url));

/** Starts a server for `handler` on an ephemeral port of `host`. */
export function listen(handler, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, host, () => resolve(server));
  });
}

/** The port a server listens on. */
export const port = (server) => server.address().port;

/**
 * Answers `path` from the files under `root` when one is there (`/` is
 * `index.html`); returns whether it did. Paths never leave `root`.
 */
export async function serveFile(response, root, path) {
  const relative = normalize(path === "/" ? "index.html" : path).replace(/^(\.\.[/\\])+/, "").replace(/^[/\\]+/, "");
  const body = await readFile(join(root, relative)).catch(() => null);
  if (!body) return false;
  response.writeHead(200, { "Content-Type": TYPES[extname(relative)] ?? "application/octet-stream" });
  response.end(body);
  return true;
}

/** Answers `/pkg/...` from the built package; returns whether it did. */
export function servePackage(response, path) {
  return path.startsWith("/pkg/") ? serveFile(response, PKG, path.slice(5)) : Promise.resolve(false);
}

/**
 * Answers with the test page `name` from tests/e2e/pages, each
 * `__KEY__` replaced by `values[KEY]` as JSON.
 */
export async function servePage(response, name, values = {}) {
  let html = await readFile(join(PAGES, name), "utf8");
  for (const [key, value] of Object.entries(values)) html = html.replaceAll(`__${key}__`, JSON.stringify(value));
  response.writeHead(200, { "Content-Type": TYPES[".html"] });
  response.end(html);
}
