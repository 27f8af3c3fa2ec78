// `octane-kit/embed`: the <octane-query> element as one ES module of the
// npm package, written next to the package's entries (`cargo xtask build`
// runs this after wasm-pack). It imports the package's own modules by
// relative path, so that a page loads each `.wasm` once, whoever imports it.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const pkg = process.env.EMBED_OUT_DIR ?? fileURLToPath(new URL("../crates/octane-wasm/pkg", import.meta.url));
const entries: Record<string, string> = {
  "octane-kit/app": "./octane_kit_app.js",
  "octane-kit": "./octane_kit.js",
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
  build: {
    outDir: pkg,
    // The folder holds the rest of the package.
    emptyOutDir: false,
    target: "es2022",
    minify: true,
    lib: {
      entry: fileURLToPath(new URL("embed/index.ts", import.meta.url)),
      formats: ["es"],
      fileName: () => "embed.js",
    },
    rollupOptions: {
      external: Object.keys(entries),
      output: { paths: entries },
    },
  },
});
