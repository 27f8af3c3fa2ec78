// The built npm package, loaded the way Node users load it: the module,
// then `initSync` with the .wasm bytes. Shared by the Node tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package folder that `cargo xtask build` writes. */
export const pkg = new URL("../../crates/octane-wasm/pkg/", import.meta.url);

/** The package's package.json. */
export const meta = JSON.parse(readFileSync(new URL("package.json", pkg), "utf8"));

/** The package's exports (its `main` entry), initialised. */
export const kit = await import(new URL(meta.main, pkg).href);
/** The module's own exports (its `memory` among them). */
export const wasm = kit.initSync({ module: readFileSync(fileURLToPath(new URL("octane_kit_bg.wasm", pkg))) });

/** Whether `list` is a non-empty list of diagnostics that each say what is
 * wrong (code, message) and where (a UTF-16 span). */
export function locatedDiagnostics(list) {
  return Array.isArray(list) && list.length > 0 && list.every((d) =>
    typeof d.code === "string" && d.code !== "" && typeof d.message === "string" && d.message !== ""
    && Number.isInteger(d.span?.start) && Number.isInteger(d.span?.end) && d.span.start <= d.span.end);
}
