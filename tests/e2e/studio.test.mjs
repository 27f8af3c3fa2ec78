// The action studio in headless Chromium, on the static build: the studio
// (Octane's stand-in) on one port, the app on the next, both serving the
// build, as the studio expects by default; a third origin (another port)
// for messages Octane must refuse.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../support/chromium.mjs";
import { seriousViolations } from "../support/axe.mjs";
import { listen, port, serveFile } from "../support/server.mjs";

const SITE = fileURLToPath(new URL("../../target/playground/", import.meta.url));
const SHOTS = fileURLToPath(new URL("../../target/screenshots/studio/", import.meta.url));
const id = (name) => `[data-testid="${name}"]`;

let server;
let appServer;
let third;
let studioBase;
let thirdBase;
let browser;
let context;
let page;
const pageErrors = [];

before(async () => {
  assert.ok(existsSync(SITE + "studio-sw.js"), "the playground is built (`cargo xtask build`)");
  mkdirSync(SHOTS, { recursive: true });
  const site = async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (!(await serveFile(response, SITE, path))) response.writeHead(404).end();
  };
  // The studio's port and the next one (the app's), both free.
  for (let attempt = 0; !appServer && attempt < 20; attempt++) {
    server = await listen(site);
    appServer = await listenOn(port(server) + 1, site).catch(() => server.close() && null);
  }
  assert.ok(appServer, "two adjacent free ports");
  studioBase = `http://127.0.0.1:${port(server)}`;
  third = await listen((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><title>third</title><script>
      const [space, ws, dialog] = [new URLSearchParams(location.search).get("space"), new URLSearchParams(location.search).get("ws"), new URLSearchParams(location.search).get("dialog")];
      parent.postMessage({ event_name: "octane_set_dialog_title", shared_space: space, workspace: ws, data: { dialog_id: dialog, title: "Hijacked" } }, "*");
    </script>`);
  });
  thirdBase = `http://127.0.0.1:${port(third)}`;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  await page.goto(`${studioBase}/#tab=actions`);
  await page.waitForSelector(`${id("standin-status")}[data-ready=true]`, { timeout: 30000 });
});

/** A server on exactly `number`, or a rejection. */
function listenOn(number, handler) {
  return new Promise((resolve, reject) => {
    const other = createServer(handler);
    other.once("error", reject);
    other.listen(number, "127.0.0.1", () => resolve(other));
  });
}

after(async () => {
  await browser?.close();
  server?.close();
  appServer?.close();
  third?.close();
});

/** Picks a gallery entry (the config editor takes its text). */
async function gallery(name) {
  await page.selectOption(id("action-gallery"), name);
}

async function selectRows(count) {
  const rows = page.locator(`${id("action-grid")} tbody tr`);
  const ids = [];
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    await row.locator("input[type=checkbox]").check();
    ids.push(await row.getAttribute("data-id"));
  }
  return ids;
}

async function clearSelection() {
  await page.click("#grid-clear");
  assert.equal(await page.locator(`${id("action-grid")} tbody input:checked`).count(), 0);
}

/**
 * Triage on the first `count` rows: the dialog open and titled by the app.
 * Returns the rows' ids, the dialog's id, and the app's frame once it has read them.
 */
async function openTriage(count) {
  await gallery("triage");
  await clearSelection();
  const ids = await selectRows(count);
  await page.click(`${id("action-button")}[data-name=triage]`);
  await page.waitForSelector(`${id("action-dialog")}[data-title="Triage ${count} defect${count === 1 ? "" : "s"}"]`);
  const dialogId = await page.locator(id("action-dialog")).getAttribute("data-dialog-id");
  const frame = page.frames().find((f) => f.url().includes("/demo-action/"));
  assert.ok(frame, "the app's frame");
  await frame.waitForSelector('[data-testid="demo-entities"]:not([hidden])');
  return { ids, dialogId, frame };
}

const severityOf = (rowId) => page.locator(`${id("action-grid")} tr[data-id="${rowId}"] td[data-field=severity]`).textContent();

test("the demo round trip: Triage on two defects, read, updated, retitled, refreshed, closed", async () => {
  await gallery("triage");
  await clearSelection();
  const ids = await selectRows(2);
  const before = await Promise.all(ids.map(severityOf));
  await page.click(`${id("action-button")}[data-name=triage]`);
  const url = await page.locator(id("action-url")).getAttribute("data-url");
  assert.ok(url.startsWith(`http://127.0.0.1:${port(appServer)}/demo-action/index.html?entity_ids=${ids.join(",")}`), url);
  assert.deepEqual(await page.locator(`${id("action-url")} mark`).evaluateAll((marks) => marks.map((m) => m.dataset.token)), ["entity_ids", "entity_type", "shared_space", "workspace", "dialog_id", "octane_url"]);
  const dialog = page.locator(id("action-dialog"));
  await page.waitForSelector(`${id("action-dialog")}[data-title="Triage 2 defects"]`);
  const app = page.frameLocator(`${id("action-dialog")} iframe`);
  await app.locator('[data-testid="demo-entities"] tbody tr').nth(1).waitFor();
  await page.screenshot({ path: SHOTS + "dialog.png" });
  await app.locator('[data-testid="demo-severity"]').selectOption("list_node.severity.urgent");
  await app.locator('[data-testid="demo-apply"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="action-dialog"]').open);
  for (const rowId of ids) assert.equal(await severityOf(rowId), "urgent");
  assert.notDeepEqual(before, ["urgent", "urgent"]);
  // The stand-in saw each PUT, from the app's origin.
  const puts = await page.locator(`${id("standin-log")} li[data-method=PUT]`).allTextContents();
  for (const rowId of ids) assert.ok(puts.some((t) => t.includes(`/defects/${rowId}`) && t.includes("200") && t.includes(`127.0.0.1:${port(appServer)}`)), puts.join("\n"));
  const events = await page.locator(`${id("event-log")} li`).evaluateAll((items) => items.map((i) => [i.dataset.event, i.dataset.accepted]));
  for (const name of ["octane_set_dialog_title", "octane_refresh_entity", "octane_close_dialog"]) {
    assert.ok(events.some(([event, accepted]) => event === name && accepted === "true"), `${name} accepted: ${JSON.stringify(events)}`);
  }
  assert.ok(events.every(([, accepted]) => accepted === "true"), JSON.stringify(events));
  assert.equal(await dialog.isVisible(), false);
  await page.screenshot({ path: SHOTS + "after-round-trip.png", fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("an event from a third origin is refused and changes nothing", async () => {
  const { dialogId } = await openTriage(1);
  const before = await page.locator(`${id("event-log")} li`).count();
  // The dialog's frame navigates to another origin, which posts a well-formed event.
  await page.evaluate((src) => {
    document.querySelector('[data-testid="action-dialog"] iframe').src = src;
  }, `${thirdBase}/?space=1001&ws=1002&dialog=${dialogId}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="event-log"] li').length > n, before);
  const entry = page.locator(`${id("event-log")} li`).first();
  assert.equal(await entry.getAttribute("data-accepted"), "false");
  assert.equal(await entry.getAttribute("data-event"), "octane_set_dialog_title");
  assert.match(await entry.textContent(), /wrong origin/);
  assert.equal(await page.locator(id("action-dialog")).getAttribute("data-title"), "Triage 1 defect");
  await page.click("#dialog-close");
});

test("each message Octane would refuse is logged with its reason, and changes nothing", async () => {
  const { dialogId, frame } = await openTriage(1);
  const envelope = (data, over = {}) => ({ event_name: "octane_set_dialog_title", shared_space: "1001", workspace: "1002", data, ...over });
  const cases = [
    ["not an object", "a string", /malformed/],
    ["no event name", { shared_space: "1001", workspace: "1002", data: {} }, /malformed: event_name/],
    ["unknown event", envelope({}, { event_name: "octane_launch_rockets" }), /unknown event/],
    ["other shared space", envelope({ dialog_id: dialogId, title: "A" }, { shared_space: "9999" }), /mismatched shared_space/],
    ["other workspace", envelope({ dialog_id: dialogId, title: "B" }, { workspace: "9999" }), /mismatched workspace/],
    ["payload without its fields", envelope({ dialog_id: dialogId }), /malformed payload: data.title/],
    ["data not an object", envelope([1]), /malformed payload/],
    ["another dialog", envelope({ dialog_id: "dialog-999", title: "C" }), /unknown dialog_id/],
  ];
  for (const [what, message, reason] of cases) {
    const before = await page.locator(`${id("event-log")} li`).count();
    await frame.evaluate((m) => parent.postMessage(m, "*"), message);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="event-log"] li').length > n, before);
    const entry = page.locator(`${id("event-log")} li`).first();
    assert.equal(await entry.getAttribute("data-accepted"), "false", what);
    assert.match(await entry.textContent(), reason, what);
  }
  // From a window Octane did not open (the page itself), even at the right origin.
  const before = await page.locator(`${id("event-log")} li`).count();
  await page.evaluate((m) => window.postMessage(m, location.origin), envelope({ dialog_id: dialogId, title: "D" }));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="event-log"] li').length > n, before);
  assert.match(await page.locator(`${id("event-log")} li`).first().textContent(), /wrong window/);
  assert.equal(await page.locator(id("action-dialog")).getAttribute("data-title"), "Triage 1 defect", "no refused message retitled the dialog");
  // And the same app, well-formed, is accepted.
  await frame.evaluate((m) => parent.postMessage(m, "*"), envelope({ dialog_id: dialogId, title: "Accepted" }));
  await page.waitForSelector(`${id("action-dialog")}[data-title="Accepted"]`);
  await page.click("#dialog-close");
});

test("a single_entity button is disabled with two rows selected", async () => {
  await gallery("seed");
  await clearSelection();
  const button = page.locator(`${id("action-button")}[data-name=defect-details]`);
  await selectRows(2);
  assert.equal(await button.isDisabled(), true);
  assert.match(await button.getAttribute("title"), /single_entity/);
  await clearSelection();
  await selectRows(1);
  assert.equal(await button.isDisabled(), false);
  // Shown for defects only: stories do not list it.
  await page.selectOption(id("grid-entity"), "stories");
  assert.equal(await button.isHidden(), true);
  assert.equal(await page.locator(`${id("action-button")}[data-name=triage]`).isHidden(), false, "work_item covers stories");
  await page.selectOption(id("grid-entity"), "defects");
});

test("a new-tab action: the app works, and its events are refused without \"events\": true", async () => {
  await gallery("seed");
  await clearSelection();
  const [rowId] = await selectRows(1);
  const [tab] = await Promise.all([context.waitForEvent("page"), page.click(`${id("action-button")}[data-name=defect-details]`)]);
  await tab.waitForSelector(`[data-testid="demo-entities"] tbody tr[data-id="${rowId}"]`);
  assert.equal(await tab.title(), "Triage 1 defect");
  await tab.selectOption('[data-testid="demo-severity"]', "list_node.severity.low");
  await tab.click('[data-testid="demo-apply"]');
  await tab.waitForFunction(() => /Updated/.test(document.querySelector('[data-testid="demo-status"]').textContent));
  // The write went through (the tab reads the same XSRF_COOKIE) ...
  const puts = await page.locator(`${id("standin-log")} li[data-method=PUT][data-status="200"]`).allTextContents();
  assert.ok(puts.some((t) => t.includes(`/defects/${rowId}`)), puts.join("\n"));
  // ... but Octane does not listen to an action without "events": true.
  const entry = page.locator(`${id("event-log")} li[data-event=octane_refresh_entity]`).first();
  await entry.waitFor();
  assert.equal(await entry.getAttribute("data-accepted"), "false");
  assert.match(await entry.textContent(), /events not enabled/);
  await tab.close();
});

test("a config error shows inline at its JSON path", async () => {
  await gallery("triage");
  const editor = page.locator(`${id("action-config")} .cm-content`);
  await editor.click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(JSON.stringify([{ name: "x", title: "X", entity_type: ["defect"], url: "javascript:alert(1)", dialog: "huge" }], null, 2));
  const items = page.locator(`${id("action-diagnostics")} li`);
  await items.first().waitFor();
  const paths = await items.evaluateAll((list) => list.map((li) => li.dataset.path));
  assert.ok(paths.includes("/0/url"), paths.join());
  assert.ok(paths.includes("/0/dialog"), paths.join());
  // Inline: CodeMirror marks the text at fault.
  await page.locator(`${id("action-config")} .cm-lintRange-error`).first().waitFor();
  assert.equal(await page.locator(`${id("action-button")}[data-name=x]`).count(), 0, "a broken action gets no button");
  await page.screenshot({ path: SHOTS + "config-error.png" });
  // The config and the workspace live in the link: a reload restores them.
  await page.fill(id("studio-ws"), "1003");
  const text = await page.locator(`${id("action-config")} .cm-content`).innerText();
  await page.waitForFunction(() => location.hash.includes("actions=") && location.hash.includes("ws=1003"));
  await page.reload();
  await page.waitForSelector(`${id("standin-status")}[data-ready=true]`);
  assert.equal(await page.locator(`${id("action-config")} .cm-content`).innerText(), text);
  assert.equal(await page.inputValue(id("studio-ws")), "1003");
  await page.fill(id("studio-ws"), "1002");
});

/** A zip of `files` (path → text), deflated, as a bundle is uploaded. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = deflateRawSync(Buffer.from(text));
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(Buffer.byteLength(text), 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(Buffer.byteLength(text), 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

test("a bundle dropped in the page runs from Octane's bundle URL", async () => {
  // The demo app's built page, as a bundle's index.html, with its scripts from the site.
  const demo = readFileSync(SITE + "demo-action/index.html", "utf8").replaceAll('="../assets/', `="${studioBase}/assets/`).replaceAll('="./', `="${studioBase}/demo-action/`);
  const bundle = zip({ "demo/index.html": demo, "demo/readme.txt": "the bundle" });
  await gallery("bundle");
  // Dropped on the page, as a user drops the zip.
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], "demo.zip", { type: "application/zip" }));
    document.querySelector('[data-testid="bundle-drop"]').dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...bundle]);
  await page.waitForFunction(() => /2 files/.test(document.querySelector('[data-testid="bundle-status"]').textContent));
  await clearSelection();
  const [rowId] = await selectRows(1);
  await page.click(`${id("action-button")}[data-name=bundled-triage]`);
  const url = await page.locator(id("action-url")).getAttribute("data-url");
  assert.ok(url.startsWith(`${studioBase}/octane/api/shared_spaces/1001/external-entity-actions/bundle/demo/index.html?entity_ids=${rowId}`), url);
  await page.waitForSelector(`${id("action-dialog")}[data-title="Triage 1 defect"]`);
  const app = page.frameLocator(`${id("action-dialog")} iframe`);
  await app.locator(`[data-testid="demo-entities"] tbody tr[data-id="${rowId}"]`).waitFor();
  await page.screenshot({ path: SHOTS + "bundle.png" });
  // A URL into the bundle at a file it does not have is a warning.
  const editor = page.locator(`${id("action-config")} .cm-content`);
  await page.click("#dialog-close");
  await editor.click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(JSON.stringify([{ name: "b", title: "B", entity_type: ["defect"], url: "{bundle_url}/demo/missing.html?ids={entity_ids}" }]));
  await page.locator(`${id("action-diagnostics")} li[data-code=A0038]`).waitFor();
});

test("a write without the XSRF header is refused, and changes nothing", async () => {
  const {
    ids: [rowId],
    frame,
  } = await openTriage(1);
  const before = await severityOf(rowId);
  const status = await frame.evaluate(async ([base, id]) => {
    const response = await fetch(`${base}/octane/api/shared_spaces/1001/workspaces/1002/defects/${id}`, {
      method: "PUT",
      credentials: "include",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ severity: { type: "list_node", id: "list_node.severity.low" } }),
    });
    return [response.status, (await response.json()).error_code];
  }, [studioBase, rowId]);
  assert.deepEqual(status, [403, "platform.xsrf_validation_failed"]);
  await page.click("#dialog-close");
  assert.equal(await severityOf(rowId), before);
  const refused = await page.locator(`${id("standin-log")} li[data-status="403"]`).first().textContent();
  assert.match(refused, /no XSRF-HEADER/);
  await page.screenshot({ path: SHOTS + "studio.png", fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("the studio: axe finds no serious problem, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], scheme);
    await page.screenshot({ path: `${SHOTS}studio-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
});

test("at 320 px the studio does not overflow sideways, and the dialog fits", async () => {
  await page.setViewportSize({ width: 320, height: 800 });
  await openTriage(1);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth), 0);
  const box = await page.locator(id("action-dialog")).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 320, JSON.stringify(box));
  await page.screenshot({ path: SHOTS + "studio-320.png" });
  await page.click("#dialog-close");
  await page.setViewportSize({ width: 1400, height: 1000 });
});
