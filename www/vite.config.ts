// The playground's build: `cargo xtask playground` serves it with reload,
// `cargo xtask build` writes the static site to target/playground.
import { defineConfig, type Plugin } from "vite";
import { fileURLToPath } from "node:url";
import { createServer, request } from "node:http";

/**
 * The action studio runs the app on the next port (another origin of the
 * same site): the dev server answers there too, by forwarding each request.
 */
function appOrigin(): Plugin {
  return {
    name: "octane-kit-app-origin",
    apply: "serve",
    configureServer(server) {
      server.httpServer?.once("listening", () => {
        const address = server.httpServer?.address();
        if (!address || typeof address === "string") return;
        const { port, address: host } = address;
        const forward = createServer((incoming, outgoing) => {
          const upstream = request({ host, port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          });
          upstream.on("error", () => outgoing.writeHead(502).end());
          incoming.pipe(upstream);
        });
        forward.on("error", (error) => server.config.logger.warn(`action studio: no app origin on port ${port + 1} (${error.message})`));
        forward.listen(port + 1, host, () => server.config.logger.info(`  action studio apps: http://${host}:${port + 1}/`));
        server.httpServer?.once("close", () => forward.close());
      });
    },
  };
}

const workspace = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  plugins: [appOrigin()],
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
  // The engine's worker is an ES module, as the page's code is.
  worker: { format: "es" },
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
