// The playground's workbench in headless Chromium, driven as a user
// drives it: the static build (`cargo xtask build` writes target/playground)
// served from a loopback server, every hook a `data-testid`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../support/chromium.mjs";
import { seriousViolations } from "../support/axe.mjs";
import { listen, port, serveFile } from "../support/server.mjs";

const SITE = fileURLToPath(new URL("../../target/playground/", import.meta.url));
const SHOTS = fileURLToPath(new URL("../../target/screenshots/playground/", import.meta.url));
let server;
let base;
let browser;
let page;
const pageErrors = [];
const requests = [];

const id = (name) => `[data-testid="${name}"]`;

/**
 * Waits until the panels show the state: the engine answers from a worker,
 * and the page marks the time in between with `data-pending`.
 */
const settled = (on = page) => on.waitForSelector("body[data-ready=true]:not([data-pending])", { state: "attached" });

const text = async (name) => {
  await settled();
  return (await page.textContent(id(name))) ?? "";
};

async function open(hash = "") {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector("body[data-ready=true]");
}

/** Replaces the editor's text as a user would: select all, type. */
async function setQuery(source) {
  await page.click(`${id("query-editor")} .cm-content`);
  await page.keyboard.press("Control+a");
  if (source === "") await page.keyboard.press("Backspace");
  else await page.keyboard.insertText(source);
  await settled();
}

async function selection() {
  const editor = page.locator(id("query-editor"));
  return [Number(await editor.getAttribute("data-selection-start")), Number(await editor.getAttribute("data-selection-end"))];
}

before(async () => {
  assert.ok(existsSync(SITE + "index.html"), "the playground is built (`cargo xtask build`)");
  server = await listen(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (!(await serveFile(response, SITE, path))) response.writeHead(404).end();
  });
  base = `http://127.0.0.1:${port(server)}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("request", (request) => requests.push(request.url()));
  await open();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("the first visit explains the initial query in every panel", async () => {
  assert.match(await text("canonical"), /^severity EQ \{id EQ \^list_node\.severity\.high\^\};/);
  assert.match(await text("parenthesized"), /^\(severity EQ .*\(!owner EQ \{null\}\)\)\)$/);
  assert.ok((await page.locator(id("ast-node")).count()) > 10);
  assert.equal(await page.locator(`${id("ast-node")}[data-kind="and"]`).count(), 1);
  assert.match(await page.getAttribute(id("result-count"), "data-total"), /^\d+$/);
  assert.match(await text("copy-rest-url"), /^https:\/\/octane\.example\.com\/api\/shared_spaces\/1001\/workspaces\/1002\/defects\?query=%22severity/);
});

test("typing updates every panel, with UTF-16 spans for non-ASCII text", async () => {
  const source = "name EQ ^é😀*^;id GT 5||!owner EQ {null}";
  await setQuery(source);
  assert.equal(await text("canonical"), source);
  assert.equal(await text("parenthesized"), "((name EQ ^é😀*^;id GT 5)||(!owner EQ {null}))");
  assert.equal(await text("copy-odata"), "startswith(name,'é😀') and id gt 5 or owner ne null");
  assert.match(await text("copy-rest-url"), /query=%22name%20EQ%20%5E%C3%A9%F0%9F%98%80%2A%5E%3Bid/);
  assert.equal(await page.locator(`${id("diagnostics")} li`).count(), 0);
  const greater = page.locator(`${id("ast-node")}[data-kind="phrase"]`).nth(1);
  const [start, end] = [Number(await greater.getAttribute("data-start")), Number(await greater.getAttribute("data-end"))];
  assert.equal(source.slice(start, end), "id GT 5");
  // The colours are the lexer's: the field token carries its kind.
  assert.equal(await page.locator(`${id("query-editor")} .tok-field`).first().textContent(), "name");
  // Touching tokens of one kind share a mark: `||` and `!` are one.
  assert.deepEqual(await page.locator(`${id("query-editor")} .tok-logical`).allTextContents(), [";", "||!"]);

  await setQuery("név EQ ^😀^;id == 5");
  // The syntax error, and (since what parsed is checked too) the unknown field.
  const item = page.locator(`${id("diagnostics")} li[data-code="Q0008"]`);
  assert.equal(await page.locator(`${id("diagnostics")} li[data-code^="S"]`).count(), 1);
  assert.equal("név EQ ^😀^;id == 5".slice(Number(await item.getAttribute("data-start")), Number(await item.getAttribute("data-end"))), "==");
  assert.equal(await text("canonical"), "");
});

test("a tree node selects its span in the editor, and the cursor selects the node", async () => {
  const source = "name EQ ^a^;(id GT 5||!owner EQ {null})";
  await setQuery(source);
  const or = page.locator(`${id("ast-node")}[data-kind="or"]`);
  await or.click();
  // The group's text includes the parentheses written around it.
  assert.deepEqual(await selection(), [source.indexOf("("), source.length]);
  assert.equal(await or.getAttribute("aria-selected"), "true");

  // The cursor inside `5` selects the deepest node there: the value.
  await page.click(`${id("query-editor")} .cm-content`);
  await page.keyboard.press("Home");
  for (let i = 0; i < source.indexOf("5"); i++) await page.keyboard.press("ArrowRight");
  const chosen = page.locator(`${id("ast-node")}[aria-selected="true"]`);
  assert.equal(await chosen.getAttribute("data-kind"), "value");
  assert.equal(Number(await chosen.getAttribute("data-start")), source.indexOf("5"));

  // Keyboard: the tree is reachable and walks with the arrow keys.
  await page.locator(id("ast-node")).first().focus();
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-kind"));
  assert.equal(focused, "phrase");
  await page.keyboard.press("Enter");
  assert.deepEqual(await selection(), [0, "name EQ ^a^".length]);
});

test("with errors, the tree shows what parsed and marks the broken parts", async () => {
  const source = "name EQ ^a^;id GT;(owner EQ {null}";
  await setQuery(source);
  assert.equal(await text("canonical"), "");
  const broken = page.locator(`${id("ast-node")}[data-kind="error"]`);
  assert.ok((await broken.count()) >= 2);
  const first = broken.first();
  // The whole-statement node is not broken; `id GT` is, in its place.
  const spans = await broken.evaluateAll((nodes) => nodes.map((n) => [Number(n.dataset.start), Number(n.dataset.end)]));
  assert.ok(spans.some(([s, e]) => source.slice(s, e) === "id GT"), JSON.stringify(spans));
  assert.ok(spans.some(([s, e]) => source.slice(s, e) === "(owner EQ {null}"), JSON.stringify(spans));
  assert.equal(await first.getAttribute("class"), "node broken");
  // What parsed is there: both phrases.
  const phrases = await page.locator(`${id("ast-node")}[data-kind="phrase"]`).evaluateAll((nodes) => nodes.map((n) => n.querySelector(".text").textContent));
  assert.deepEqual(phrases, ["name EQ ^a^", "owner EQ {null}"]);
});

test("a quick fix repairs `id == 5`, and fix all repairs every slip", async () => {
  await setQuery("id == 5");
  assert.equal(await page.locator(`${id("diagnostics")} li`).first().getAttribute("data-code"), "Q0008");
  await page.click(id("quick-fix"));
  assert.equal(await text("canonical"), "id EQ 5");
  assert.equal(await page.locator(`${id("diagnostics")} li`).count(), 0);

  await setQuery("id == 5 AND name == ^x^");
  assert.ok((await page.locator(id("quick-fix")).count()) >= 2);
  await page.click(id("fix-all"));
  assert.equal(await text("canonical"), "id EQ 5;name EQ ^x^");
});

test("completion after `severity ` offers the operators valid for a reference", async () => {
  await page.selectOption(id("entity"), "defects");
  await setQuery("severity ");
  await page.keyboard.press("Control+Space");
  const options = page.locator(".cm-tooltip-autocomplete li");
  await options.first().waitFor();
  const labels = await options.allTextContents();
  assert.ok(labels.some((l) => l.startsWith("EQ")), labels.join(" | "));
  assert.ok(labels.some((l) => l.startsWith("IN")), labels.join(" | "));
  assert.ok(!labels.some((l) => /^(GT|LT|BTW)/.test(l)), labels.join(" | "));
  // CodeMirror takes a completion by keyboard once it has been shown for 75 ms.
  await page.waitForTimeout(150);
  await page.keyboard.press("Enter");
  assert.match(await page.textContent(`${id("query-editor")} .cm-content`), /^severity EQ/);
  await page.keyboard.press("Escape");
});

test("a flow from the gallery loads its entity and query, runs, and shows its count", async () => {
  const flow = page.locator(id("flow")).first();
  await flow.click();
  assert.equal(await page.inputValue(id("entity")), "stories");
  assert.match(await text("canonical"), /^owner EQ \[current_user\]/);
  assert.match(await page.getAttribute(id("result-count"), "data-total"), /^[1-9]\d*$/);
  assert.ok((await page.locator(`${id("results-table")} tbody tr`).count()) > 0);
  // A reference cell links to its entity in the workbench.
  await page.fill("#fields", "name,owner");
  await settled();
  const link = page.locator(`${id("results-table")} tbody a`).first();
  await link.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="canonical"]')?.textContent?.startsWith("id EQ "));
  await settled();
  assert.equal(await page.getAttribute(id("result-count"), "data-total"), "1");
  assert.equal(await page.inputValue(id("entity")), "workspace_users");
  await page.fill("#fields", "");
});

test("run options: order_by, limit, offset and fields shape the table", async () => {
  await page.selectOption(id("entity"), "defects");
  await setQuery("id GT 0");
  await page.fill("#order-by", "-id");
  await page.fill("#limit", "3");
  await page.fill("#offset", "2");
  await page.fill("#fields", "name,severity");
  await settled();
  const rows = page.locator(`${id("results-table")} tbody tr`);
  assert.equal(await rows.count(), 3);
  assert.deepEqual(await page.locator(`${id("results-table")} th`).allTextContents(), ["id", "type", "name", "severity"]);
  const ids = (await page.locator(`${id("results-table")} tbody tr td:first-child`).allTextContents()).map(Number);
  assert.ok(ids[0] > ids[1] && ids[1] > ids[2], ids.join(","));
  assert.match(await text("result-count"), /showing 3–5/);
  for (const field of ["#order-by", "#limit", "#offset", "#fields"]) await page.fill(field, "");
});

test("the OData tab groups, draws and translates, and goes back from REST", async () => {
  await page.click(id("tab-odata"));
  await page.fill(id("odata-input"), "$filter=creation_time gt 2017-08-24T00:00:00Z and (severity/id eq 'list_node.severity.high' or owner ne null)&$top=5");
  assert.equal(
    await text("odata-parenthesized"),
    "((creation_time gt 2017-08-24T00:00:00Z) and ((severity/id eq 'list_node.severity.high') or (owner ne null)))",
  );
  assert.equal(await text("odata-rest"), "creation_time GT ^2017-08-24T00:00:00Z^;(severity EQ {id EQ ^list_node.severity.high^}||!owner EQ {null})");
  assert.ok((await page.locator(`${id("odata-tree")} ${id("ast-node")}`).count()) >= 9);
  // A bare filter with member paths is a filter, not a URL path.
  await page.fill(id("odata-input"), "release/name eq 'R1' and id gt 5");
  assert.equal(await text("odata-rest"), "release EQ {name EQ ^R1^};id GT 5");
  await page.fill(id("odata-input"), "not a eq b");
  assert.equal(await text("odata-parenthesized"), "((not a) eq b)");
  await page.fill(id("odata-input"), "name eq 'x");
  assert.equal(await page.locator("#odata-diagnostics li").first().getAttribute("data-code"), "O0001");
  await page.fill(id("rest-input"), "id BTW 1...5;name EQ ^*x*^");
  assert.equal(await text("rest-odata"), "(id ge 1 and id le 5) and contains(name,'x')");
  await page.fill(id("odata-input"), "a sub 1 sub 2 eq 0");
});

test("the user's own metadata checks user-defined fields", async () => {
  await page.click(id("tab-query"));
  await page.selectOption(id("entity"), "defects");
  await setQuery("customer_udf EQ 5");
  assert.equal(await page.locator(`${id("diagnostics")} li`).first().getAttribute("data-code"), "S0002");
  await page.click(".schema-source summary");
  const udf = { data: [{ type: "field_metadata", name: "customer_udf", entity_name: "defect", label: "Customer", field_type: "string", field_type_data: null, filterable: true, sortable: true, required: false, editable: true, unique: false, is_user_defined: true, max_length: 255, access_level: "PUBLIC" }], total_count: 1 };
  await page.fill("#meta-fields", JSON.stringify(udf));
  await page.click("#meta-use");
  await settled();
  assert.match(await page.textContent("#meta-status"), /Using your metadata/);
  assert.equal(await page.inputValue(id("entity")), "defects");
  // A string field: a number is now the wrong type, not an unknown field.
  assert.deepEqual(await page.locator(`${id("diagnostics")} li`).evaluateAll((items) => items.map((li) => li.dataset.code)), ["S0005"]);
  await page.click("#meta-builtin");
  await settled();
  assert.equal(await page.locator(`${id("diagnostics")} li`).first().getAttribute("data-code"), "S0002");
  await page.click(".schema-source summary");
});

test("a permalink reload restores the state exactly", async () => {
  await page.click(id("tab-query"));
  await page.selectOption(id("entity"), "stories");
  await setQuery("name EQ ^Story 1*^");
  await page.fill("#limit", "7");
  await page.click(id("tab-odata"));
  await page.waitForFunction(() => location.hash.includes("tab=odata") && location.hash.includes("limit=7"));
  const link = page.url();
  const fresh = await browser.newPage();
  try {
    await fresh.goto(link);
    await fresh.waitForSelector("body[data-ready=true]");
    assert.equal(await fresh.getAttribute(id("tab-odata"), "aria-selected"), "true");
    assert.equal(await fresh.inputValue(id("entity")), "stories");
    assert.equal(await fresh.textContent(id("canonical")), "name EQ ^Story 1*^");
    assert.equal(await fresh.inputValue("#limit"), "7");
    assert.equal(await fresh.inputValue(id("odata-input")), "a sub 1 sub 2 eq 0");
    assert.equal(await fresh.textContent(id("odata-parenthesized")), "(((a sub 1) sub 2) eq 0)");
  } finally {
    await fresh.close();
  }
  await page.click(id("tab-query"));
  await page.fill("#limit", "");
});

test("a 20,000-character hostile input leaves the page working", async () => {
  await page.selectOption(id("entity"), "defects");
  await setQuery("(".repeat(20_000));
  assert.equal(await page.locator(`${id("diagnostics")} li`).first().getAttribute("data-code"), "Q0022");
  await setQuery("!".repeat(10_000) + "a EQ 1" + "||".repeat(5_000));
  assert.ok((await page.locator(`${id("diagnostics")} li`).count()) > 0);
  await setQuery("id>5");
  assert.equal(await text("canonical"), "id GT 5");
  assert.deepEqual(pageErrors, []);
});

test("at 320 px nothing overflows sideways, and the page opens at its top", async () => {
  mkdirSync(SHOTS, { recursive: true });
  const narrow = await browser.newPage({ viewport: { width: 320, height: 700 } });
  try {
    await narrow.goto(`${base}/`);
    await narrow.waitForSelector("body[data-ready=true]");
    const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `page is ${width} px wide`);
    // The page opens at its top: selecting a tree row scrolls the tree only.
    await narrow.waitForTimeout(100);
    assert.equal(await narrow.evaluate(() => window.scrollY), 0);
    for (const scheme of ["light", "dark"]) {
      await narrow.emulateMedia({ colorScheme: scheme });
      await narrow.screenshot({ path: `${SHOTS}narrow-${scheme}.png`, fullPage: true });
    }
  } finally {
    await narrow.close();
  }
});

test("hovering a precedence step marks its operands in the editor", async () => {
  const source = "a EQ 1;b EQ 2||!c EQ 3";
  await setQuery(source);
  const steps = page.locator(`${id("steps")} li`);
  assert.equal(await steps.count(), 3);
  for (let i = 0; i < 3; i++) {
    const step = steps.nth(i);
    await step.hover();
    const [start, end] = [Number(await step.getAttribute("data-start")), Number(await step.getAttribute("data-end"))];
    const marked = (await page.locator(`${id("query-editor")} .cm-span-highlight`).allTextContents()).join("");
    assert.equal(marked, source.slice(start, end));
  }
  assert.deepEqual(
    await steps.evaluateAll((items) => items.map((li) => li.querySelector("code").textContent)),
    ["(a EQ 1;b EQ 2)", "(!c EQ 3)", "((a EQ 1;b EQ 2)||(!c EQ 3))"],
  );
});

test("every control is reachable with the keyboard, and axe finds no serious problem", async () => {
  await open();
  const reached = new Set();
  await page.focus("body");
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const name = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.id || el?.getAttribute("data-testid") || (el?.classList.contains("cm-content") ? "editor" : el?.tagName);
    });
    reached.add(name);
  }
  // The tabs are one stop (arrow keys move between them, as ARIA tabs do).
  for (const control of ["tab-query", "copy-link", "entity", "editor", "ast-node", "data-source", "order-by", "limit", "fields", "server", "flow"]) {
    assert.ok(reached.has(control), `${control} is reachable by Tab (reached: ${[...reached].join(", ")})`);
  }
  for (const tab of ["tab-query", "tab-odata"]) {
    await page.click(id(tab));
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], `${tab}, ${scheme}`);
    }
  }
  await page.click(id("tab-query"));
  await page.emulateMedia({ colorScheme: "light" });
});

test("every request stays on the page's own origin", () => {
  const foreign = requests.filter((url) => !url.startsWith(base) && !url.startsWith("data:"));
  assert.deepEqual(foreign, []);
});

test("screenshots of every panel, light and dark", async () => {
  mkdirSync(SHOTS, { recursive: true });
  await open("#entity=defects&q=" + encodeURIComponent("severity EQ {id EQ ^list_node.severity.high^};(phase EQ {name EQ ^New^}||!owner EQ {null})"));
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}workbench-${scheme}.png`, fullPage: true });
    for (const panel of ["ast-tree", "parenthesized", "results-table", "copy-rest-url"]) {
      await page.locator(id(panel)).screenshot({ path: `${SHOTS}${panel}-${scheme}.png` });
    }
    await page.click(id("tab-odata"));
    await page.screenshot({ path: `${SHOTS}odata-${scheme}.png`, fullPage: true });
    await page.click(id("tab-query"));
  }
  await page.emulateMedia({ colorScheme: "light" });
  assert.ok(existsSync(`${SHOTS}workbench-dark.png`));
});
