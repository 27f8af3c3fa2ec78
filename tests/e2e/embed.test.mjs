// <octane-query> (`octane-kit/embed`) in headless Chromium: as the npm
// package ships it (pages importing /pkg/embed.js), and as the playground
// build uses it (docs.html, embed.html). Hooks are `data-testid`s inside
// each element's shadow root, which Playwright's CSS selectors pierce.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../support/chromium.mjs";
import { seriousViolations } from "../support/axe.mjs";
import { kit } from "../support/kit.mjs";
import { listen, port, serveFile, servePackage } from "../support/server.mjs";

const SITE = fileURLToPath(new URL("../../target/playground/", import.meta.url));
const SHOTS = fileURLToPath(new URL("../../target/screenshots/embed/", import.meta.url));
const id = (name) => `[data-testid="${name}"]`;

/** Pages made here, served beside the package: `/t/<name>.html`. */
const PAGES = new Map();
function page(name, body, head = "") {
  PAGES.set(`/t/${name}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>${head}
<script type="module">import "/pkg/embed.js";</script></head><body>${body}</body></html>`);
  return `/t/${name}.html`;
}

const FIVE = [
  "!name EQ ^test^;id GT 5",
  "id GT 5;name EQ ^a^||name EQ ^b^",
  "detected_in_release EQ {name EQ ^Release 1^}",
  "owner EQ {null}||!phase EQ {name EQ ^New^}",
  "id IN 1,2,3;id BTW 1...4",
];
const fivePage = page("five", FIVE.map((q) => `<octane-query entity="defects" show="parenthesized,tree">${q.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</octane-query>`).join("\n"));
const stylePage = page(
  "styled",
  `<pre id="outside">page pre</pre><octane-query entity="defects" show="parenthesized">id GT 5;name EQ ^x^</octane-query><p id="after">after</p>`,
  `<style>* { color: rgb(255, 0, 0) !important; } pre { font-family: serif; background: rgb(255, 255, 0); margin: 2em; }</style>`,
);
const readOnlyPage = page("readonly", `<octane-query entity="defects" show="parenthesized" query="id GT 5"></octane-query>`);
const fallbackPage = page("fallback", `<octane-query entity="defects" show="parenthesized,results">severity EQ {id EQ ^list_node.severity.high^}</octane-query>`);
const iframePage = (hash) =>
  page("iframe", `<iframe id="frame" title="example" style="width:700px;height:500px" src="/embed.html?show=parenthesized,tree${hash}"></iframe>`);

let server;
let base;
let browser;
const wasmRequests = [];

before(async () => {
  assert.ok(existsSync(SITE + "docs.html"), "the playground is built (`cargo xtask build`)");
  mkdirSync(SHOTS, { recursive: true });
  server = await listen(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (path.endsWith(".wasm")) wasmRequests.push(path);
    const made = PAGES.get(path);
    if (made) {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(made);
      return;
    }
    if (await servePackage(response, path)) return;
    if (!(await serveFile(response, SITE, path))) response.writeHead(404).end();
  });
  base = `http://127.0.0.1:${port(server)}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page (and context) with its own request log and error list. */
async function open(path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 }, ...options });
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  wasmRequests.length = 0;
  await tab.goto(base + path);
  return { tab, context, errors };
}

/** Waits until every <octane-query> of `tab` is live (or has failed). */
async function settled(tab) {
  await tab.waitForFunction(() =>
    [...document.querySelectorAll("octane-query")].every((e) => e.shadowRoot?.querySelector(".diagnostics, .failure")),
  );
}

test("five embeds on a page load the wasm once, and each explains its own query", async () => {
  const { tab, context, errors } = await open(fivePage);
  await settled(tab);
  const shown = await tab.$$eval("octane-query", (all) => all.map((e) => e.shadowRoot.querySelector('[data-testid="embed-parenthesized"]').textContent));
  assert.deepEqual(shown, FIVE.map((q) => kit.explainQuery(q).parenthesized));
  assert.deepEqual(wasmRequests, ["/pkg/octane_kit_app_bg.wasm"], "the app entry's wasm once; the full one never (no results shown)");
  const trees = await tab.$$eval("octane-query", (all) => all.map((e) => e.shadowRoot.querySelectorAll('[data-testid="embed-tree"] [role="treeitem"]').length));
  assert.ok(trees.every((n) => n >= 3), `every tree has its nodes: ${trees}`);
  await tab.screenshot({ path: SHOTS + "five.png", fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("an editable embed follows typing, with UTF-16 spans on non-ASCII text", async () => {
  const { tab, context, errors } = await open("/docs.html");
  await settled(tab);
  const example = tab.locator("octane-query").nth(2); // the precedence example
  await tab.evaluate(() => {
    window.changes = [];
    document.addEventListener("query-change", (e) => window.changes.push(e.detail.query));
  });
  // `show` is a property too, reflected to the attribute.
  await example.evaluate((e) => { e.show = "parenthesized,tree"; });
  assert.equal(await example.getAttribute("show"), "parenthesized,tree");
  const editor = example.locator("textarea" + id("embed-query"));
  await editor.click();
  await tab.keyboard.press("Control+a");
  const typed = "name EQ ^Käfer 🐞^||!id GT 5;id LT 9";
  await tab.keyboard.type(typed);
  const parenthesized = example.locator(id("embed-parenthesized"));
  await parenthesized.filter({ hasText: "Käfer" }).waitFor();
  assert.equal(await parenthesized.textContent(), kit.explainQuery(typed).parenthesized);
  const changes = await tab.evaluate(() => window.changes);
  assert.equal(changes.at(-1), typed, "query-change carries the typed query");
  assert.equal(await example.evaluate((e) => e.query), typed, "the property reflects the edit");
  assert.equal(await example.getAttribute("query"), typed, "and so does the attribute");
  // The tree slices the source by the UTF-16 spans it is given.
  const phrase = await example.locator(`${id("embed-tree")} [data-kind="phrase"] > code`).first().textContent();
  assert.equal(phrase, "name EQ ^Käfer 🐞^");
  // The highlighted layer under the editor holds the same text.
  assert.equal((await example.locator(".editing pre.code").textContent()).trimEnd(), typed);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an error shows located diagnostics; its quick repair is described", async () => {
  const { tab, context } = await open("/docs.html");
  await settled(tab);
  const btw = tab.locator("octane-query").nth(6);
  const diagnostic = btw.locator(`${id("embed-diagnostics")} li`).first();
  assert.equal(await diagnostic.getAttribute("data-code"), "Q0101");
  assert.match(await diagnostic.textContent(), /…/);
  await context.close();
});

test("a read-only embed cannot be edited", async () => {
  const { tab, context } = await open(readOnlyPage);
  await settled(tab);
  const element = tab.locator("octane-query");
  assert.equal(await element.locator("textarea, [contenteditable]").count(), 0);
  const code = element.locator(id("embed-query"));
  await code.click();
  await tab.keyboard.type("XYZ");
  assert.equal(await code.textContent(), "id GT 5");
  assert.equal(await element.getAttribute("query"), "id GT 5");
  await context.close();
});

test("page CSS does not reach into the embed, and its styles do not leak out", async () => {
  const { tab, context } = await open(stylePage);
  await settled(tab);
  const inside = await tab.locator("octane-query").locator(id("embed-parenthesized")).evaluate((e) => {
    const style = getComputedStyle(e);
    return { color: style.color, font: style.fontFamily, background: style.backgroundColor, margin: style.marginTop };
  });
  assert.notEqual(inside.color, "rgb(255, 0, 0)");
  assert.notEqual(inside.background, "rgb(255, 255, 0)");
  assert.doesNotMatch(inside.font, /^serif$/);
  assert.equal(inside.margin, "0px");
  const outside = await tab.locator("#outside").evaluate((e) => {
    const style = getComputedStyle(e);
    return { color: style.color, background: style.backgroundColor, margin: style.marginTop, font: style.fontFamily };
  });
  assert.deepEqual(outside, { color: "rgb(255, 0, 0)", background: "rgb(255, 255, 0)", margin: "32px", font: "serif" });
  await tab.screenshot({ path: SHOTS + "styled.png" });
  await context.close();
});

test("results load the full module only when shown, and count what the evaluator counts", async () => {
  const { tab, context, errors } = await open("/docs.html");
  await settled(tab);
  const first = tab.locator("octane-query").first();
  const count = first.locator(`${id("embed-result-count")}[data-count]`);
  await count.waitFor();
  const expected = kit.Dataset.sample().query("defects", "name EQ ^*crash*^", { limit: 1 }).total_count;
  assert.equal(Number(await count.getAttribute("data-count")), expected);
  assert.ok(expected > 0);
  const rows = await first.locator(`${id("embed-results")} tbody tr`).count();
  assert.equal(rows, Math.min(5, expected));
  // Seven examples, two modules, each fetched once.
  assert.equal(wasmRequests.filter((p) => p.includes("octane_kit_app_bg")).length, 1);
  assert.equal(wasmRequests.filter((p) => /octane_kit_bg/.test(p)).length, 1);
  assert.deepEqual(errors, []);
  for (const scheme of ["light", "dark"]) {
    await tab.emulateMedia({ colorScheme: scheme });
    await tab.screenshot({ path: `${SHOTS}docs-${scheme}.png`, fullPage: true });
  }
  await context.close();
});

test("the embed follows the page's colour scheme", async () => {
  const { tab, context } = await open(fivePage, { colorScheme: "dark" });
  await settled(tab);
  const scheme = () => tab.locator("octane-query").first().evaluate((e) => e.shadowRoot.querySelector(".frame").dataset.scheme);
  assert.equal(await scheme(), "dark");
  await tab.emulateMedia({ colorScheme: "light" });
  await tab.waitForFunction(() => document.querySelector("octane-query").shadowRoot.querySelector(".frame").dataset.scheme === "light");
  await tab.locator("octane-query").first().evaluate((e) => { e.theme = "dark"; });
  assert.equal(await scheme(), "dark", "the theme attribute wins");
  await context.close();
});

test("'Open in playground' opens the workbench with the same query and entity", async () => {
  const { tab, context } = await open("/docs.html");
  await settled(tab);
  const example = tab.locator("octane-query").nth(4); // {null} and null
  const editor = example.locator("textarea");
  await editor.click();
  await tab.keyboard.press("End");
  await tab.keyboard.type(";id GT 3");
  const query = await example.evaluate((e) => e.query);
  const [workbench] = await Promise.all([context.waitForEvent("page"), example.locator(id("embed-open")).click()]);
  await workbench.waitForSelector("body[data-ready=true]");
  const text = await workbench.locator('[data-testid="query-editor"] .cm-content').evaluate((e) => e.cmView?.view?.state.doc.toString() ?? e.innerText);
  assert.equal(text, query);
  assert.equal(await workbench.locator('[data-testid="entity"]').inputValue(), "defects");
  await context.close();
});

test("embed.html renders in an iframe what the element renders", async () => {
  const query = "owner EQ {null}||!phase EQ {name EQ ^Née^}";
  const hash = `#entity=defects&q=${encodeURIComponent(query)}`;
  const { tab, context, errors } = await open(iframePage(hash));
  const frame = tab.frameLocator("#frame");
  const parenthesized = frame.locator("octane-query").locator(id("embed-parenthesized"));
  await parenthesized.waitFor();
  assert.equal(await parenthesized.textContent(), kit.explainQuery(query).parenthesized);
  assert.ok((await frame.locator("octane-query").locator(`${id("embed-tree")} [role=treeitem]`).count()) > 3);
  assert.equal(await frame.locator("octane-query").locator(id("embed-results")).count(), 0, "show= picks the panels");
  await tab.screenshot({ path: SHOTS + "iframe.png" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("with the wasm unreachable the element says so and still shows the query", async () => {
  const fresh = await browser.newContext();
  const tab2 = await fresh.newPage();
  await tab2.route("**/*_bg.wasm", (route) => route.fulfill({ status: 404, body: "missing" }));
  await tab2.goto(base + fallbackPage);
  const element = tab2.locator("octane-query");
  const alert = element.locator('[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not load/);
  assert.equal(await element.locator(id("embed-query")).textContent(), "severity EQ {id EQ ^list_node.severity.high^}");
  await tab2.screenshot({ path: SHOTS + "failure.png" });
  await fresh.close();
});

test("without JavaScript the examples read as plain text", async () => {
  const { tab, context } = await open("/docs.html", { javaScriptEnabled: false });
  const texts = await tab.$$eval("octane-query", (all) => all.map((e) => e.innerText.trim()));
  assert.equal(texts.length, 7);
  assert.ok(texts.includes("owner EQ {null}||phase EQ {name EQ ^New^}"));
  assert.equal(wasmRequests.length, 0);
  await context.close();
});

test("the docs page: keyboard reaches every editor and link, and axe finds no serious problem", async () => {
  const { tab, context } = await open("/docs.html");
  await settled(tab);
  const editors = await tab.locator("octane-query textarea").count();
  const reached = new Set();
  for (let i = 0; i < 40; i++) {
    await tab.keyboard.press("Tab");
    const at = await tab.evaluate(() => {
      const host = document.activeElement;
      return host?.shadowRoot?.activeElement?.tagName === "TEXTAREA" ? [...document.querySelectorAll("octane-query")].indexOf(host) : -1;
    });
    if (at >= 0) reached.add(at);
  }
  assert.equal(reached.size, editors, "Tab reaches every editable example");
  for (const scheme of ["light", "dark"]) {
    await tab.emulateMedia({ colorScheme: scheme });
    const violations = await seriousViolations(tab);
    assert.deepEqual(violations, [], scheme);
  }
  await context.close();
});
