// The built npm package, loaded the way Node users load it: the module,
// then `initSync` with the .wasm bytes. Shared by the Node tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package folder that `cargo xtask build` writes. */
export const pkg = new URL("../../crates/octane-wasm/pkg/", import.meta.url);

/** The package's exports, initialised. */
export const kit = await import(new URL("octane_kit.js", pkg).href);
kit.initSync({ module: readFileSync(fileURLToPath(new URL("octane_kit_bg.wasm", pkg))) });
