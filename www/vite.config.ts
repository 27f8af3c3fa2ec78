// The playground's build: `cargo xtask playground` serves it with reload,
// `cargo xtask build` writes the static site to target/playground.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const workspace = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Relative URLs: the build is hostable from any folder.
  base: "./",
  server: {
    host: "127.0.0.1",
    port: 8080,
    strictPort: true,
    // The npm package is linked from crates/octane-wasm/pkg.
    fs: { allow: [workspace] },
  },
  // wasm-bindgen's module finds its .wasm next to itself; pre-bundling
  // would move it away from the file.
  optimizeDeps: { exclude: ["octane-kit"] },
  build: {
    outDir: process.env.PLAYGROUND_OUT_DIR ?? fileURLToPath(new URL("../target/playground", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        docs: fileURLToPath(new URL("docs.html", import.meta.url)),
        embed: fileURLToPath(new URL("embed.html", import.meta.url)),
        bridge: fileURLToPath(new URL("studio-bridge.html", import.meta.url)),
        demo: fileURLToPath(new URL("demo-action/index.html", import.meta.url)),
      },
    },
  },
});
