// The npm package as a consumer gets it: `npm pack`, installed into a
// fresh Vite + TypeScript project, type-checked with `tsc --strict`,
// built with Vite, and loaded in headless Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { listen, port, serveFile } from "../support/server.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../support/chromium.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = join(root, "crates/octane-wasm/pkg");
const bin = (name) => join(root, "node_modules/.bin", name);
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: "pipe", encoding: "utf8" });

test("a Vite + TypeScript project installs, type-checks, builds and runs the package", async () => {
  const work = mkdtempSync(join(tmpdir(), "octane-kit-consumer-"));
  const tarball = run("npm", ["pack", "--silent", "--pack-destination", work], pkg).trim().split("\n").pop();
  const project = join(work, "project");
  cpSync(fileURLToPath(new URL("project", import.meta.url)), project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(work, tarball)], project);
  const installed = JSON.parse(readFileSync(join(project, "node_modules/octane-kit/package.json"), "utf8"));
  assert.equal(installed.name, "octane-kit");

  // Strict type-check: fails on any type error in the consumer.
  run(bin("tsc"), ["-p", project], project);
  run(bin("vite"), ["build", "--logLevel", "error"], project);

  const dist = join(project, "dist");
  const server = await listen(async (request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    if (!(await serveFile(response, dist, path))) response.writeHead(404).end();
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${port(server)}/`);
    await page.waitForFunction(() => document.getElementById("out")?.textContent);
    const out = JSON.parse(await page.textContent("#out"));
    assert.deepEqual(out, {
      ast: "and",
      code: "S0010",
      parenthesized: "((a EQ 1;b EQ 2)||c EQ 3)",
      canonical: "name EQ ^x^;id GT 5",
      fromTemplate: "name EQ ^it's \\^ok^;id IN 1,2",
      total: true,
      url: "https://x.example/?ids=1",
      workspace: "2",
      odata: "name eq 'x' and id gt 5",
      thrown: "Q0008",
      appEntry: { template: true, path: "defects?query=%22id%20GT%205%22&limit=2", client: true, evaluator: false },
      embed: ["((name EQ ^a^;id GT 1)||id LT 0)", true],
      octaneError: [false, true],
    });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
