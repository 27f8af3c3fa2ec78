// OctaneHost in real Chromium across real origins: a host page on
// 127.0.0.1:<port> frames (and opens) the app on localhost:<port>; the
// host records each message with event.origin. A host on a third origin
// receives nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/chromium.mjs";
import { listen, port, servePackage, servePage } from "../support/server.mjs";



function serve() {
  return listen(async (request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    if (path === "/host.html") return servePage(response, "host.html");
    if (path === "/app.html") return servePage(response, "host-app.html", { TRUSTED: [`http://127.0.0.1:${port(octane)}`] });
    if (await servePackage(response, path)) return;
    response.writeHead(404).end();
  });
}

let octane, third, browser, page;

before(async () => {
  octane = await serve();
  third = await serve();
  browser = await launchChromium();
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  octane?.close();
  third?.close();
});

function appUrl(extra = "") {
  const octaneUrl = encodeURIComponent(`http://127.0.0.1:${port(octane)}`);
  return `http://localhost:${port(octane)}/app.html?entity_ids=1003&shared_space=1001&workspace=1002&octane_url=${octaneUrl}${extra}`;
}

async function appResult(frameOrPage) {
  await frameOrPage.waitForSelector("body[data-result]", { state: "attached" });
  return frameOrPage.evaluate(() => document.body.dataset.result);
}

test("an app in a dialog posts its events to Octane's origin only", async () => {
  const app = appUrl("&dialog_id=d-7");
  await page.goto(`http://127.0.0.1:${port(octane)}/host.html?app=${encodeURIComponent(app)}`);
  const frame = page.frames().find((f) => f.url().startsWith("http://localhost"));
  assert.equal(await appResult(frame), `sent to http://127.0.0.1:${port(octane)}`);
  await page.waitForFunction(() => window.received.length === 3);
  const received = await page.evaluate(() => window.received);
  const from = `http://localhost:${port(octane)}`;
  assert.deepEqual(received, [
    { origin: from, data: { event_name: "octane_refresh_entity", shared_space: "1001", workspace: "1002", data: { entity_type: "work_item", entity_ids: ["1003", "4005"] } } },
    { origin: from, data: { event_name: "octane_set_dialog_title", shared_space: "1001", workspace: "1002", data: { title: "Details of 1003", dialog_id: "d-7" } } },
    { origin: from, data: { event_name: "octane_close_dialog", shared_space: "1001", workspace: "1002", data: { refresh: true, dialog_id: "d-7" } } },
  ]);
});

test("the app accepts messages only from Octane's exact origin and window, and only known events", async () => {
  const app = appUrl("&dialog_id=d-7");
  await page.goto(`http://127.0.0.1:${port(octane)}/host.html?app=${encodeURIComponent(app)}`);
  const frame = page.frames().find((f) => f.url().startsWith("http://localhost"));
  await appResult(frame);
  // From the Octane window: a known event is accepted, an unknown one not.
  await page.evaluate(() => {
    const target = document.querySelector("iframe").contentWindow;
    target.postMessage({ event_name: "octane_select_entity", data: {} }, "*");
    target.postMessage({ event_name: "evil_event", data: {} }, "*");
  });
  // From the app's own window (same origin as the app, not Octane's).
  await frame.evaluate(() => window.postMessage({ event_name: "octane_refresh_list", data: {} }, "*"));
  await page.waitForTimeout(300);
  assert.deepEqual(await frame.evaluate(() => window.accepted), ["octane_select_entity"]);
});

test("a page on a third origin that frames the app is refused, and receives nothing", async () => {
  const app = appUrl("&dialog_id=d-7");
  await page.goto(`http://127.0.0.1:${port(third)}/host.html?app=${encodeURIComponent(app)}`);
  const frame = page.frames().find((f) => f.url().startsWith("http://localhost"));
  assert.match(await appResult(frame), new RegExp(`error: the page was embedded by http://127.0.0.1:${port(third)}`));
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.received), []);
});

test("a URL that names another Octane is refused, whoever frames the app", async () => {
  // The third origin frames the app and names itself as Octane.
  const evil = encodeURIComponent(`http://127.0.0.1:${port(third)}`);
  const app = `http://localhost:${port(octane)}/app.html?entity_ids=1003&shared_space=1001&workspace=1002&dialog_id=d-7&octane_url=${evil}`;
  await page.goto(`http://127.0.0.1:${port(third)}/host.html?app=${encodeURIComponent(app)}`);
  const frame = page.frames().find((f) => f.url().startsWith("http://localhost"));
  assert.match(await appResult(frame), /error: the URL names http:\/\/127\.0\.0\.1:\d+ as Octane, which this app does not trust/);
  // A fragment cannot override the query's octane_url either.
  const twice = `${appUrl("&dialog_id=d-7")}#octane_url=${evil}`;
  await page.goto(`http://127.0.0.1:${port(octane)}/host.html?app=${encodeURIComponent(twice)}`);
  const second = page.frames().find((f) => f.url().startsWith("http://localhost"));
  assert.match(await appResult(second), /error: the parameter `octane_url` is given twice/);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.received), []);
});

test("an app in a tab posts to its opener", async () => {
  await page.goto(`http://127.0.0.1:${port(octane)}/host.html`);
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    page.evaluate((url) => { window.open(url); }, appUrl()),
  ]);
  assert.match(await appResult(popup), /^sent to/);
  await page.waitForFunction(() => window.received.length === 1);
  const [message] = await page.evaluate(() => window.received);
  assert.equal(message.origin, `http://localhost:${port(octane)}`);
  assert.equal(message.data.event_name, "octane_refresh_entity");
  await popup.close();
});

test("an app with no Octane window explains what the action needs", async () => {
  await page.goto(appUrl());
  assert.match(await appResult(page), /error: .*"events": true.*"dialog"/);
});

test("hostile arguments to every OctaneHost method post nothing and break nothing", async () => {
  const app = appUrl("&dialog_id=d-7&hostile=1");
  await page.goto(`http://127.0.0.1:${port(octane)}/host.html?app=${encodeURIComponent(app)}`);
  const frame = page.frames().find((f) => f.url().startsWith("http://localhost"));
  assert.equal(await appResult(frame), "hostile done");
  assert.equal(await frame.evaluate(() => document.body.dataset.strict), "TypeError,TypeError,TypeError,TypeError", "closeDialog refuses what is not { refresh?: boolean }");
  await page.waitForFunction(() => window.received.length >= 1);
  await page.waitForTimeout(200);
  const received = await page.evaluate(() => window.received.map((m) => m.data));
  // Only what the hostile calls could legitimately send, then the last valid call.
  const last = received[received.length - 1];
  assert.deepEqual(last, { event_name: "octane_refresh_list", shared_space: "1001", workspace: "1002", data: { entity_type: "defect" } });
  for (const message of received) {
    assert.equal(typeof message.data, "object");
    for (const value of Object.values(message.data)) assert.ok(typeof value === "string" || typeof value === "boolean" || Array.isArray(value), JSON.stringify(message));
  }
});

test("origins are what Chromium's own URL parser says: IDN hosts, :0443 ports, fragments", async () => {
  await page.goto(`http://127.0.0.1:${port(octane)}/host.html`);
  const results = await page.evaluate(async () => {
    const { default: init, ActionContext } = await import("/pkg/octane_kit.js");
    await init();
    const app = "https://app.example/?shared_space=1&workspace=2&octane_url=";
    const attempt = (octaneUrl, octaneOrigins) => {
      try {
        return ActionContext.fromLocation(app + encodeURIComponent(octaneUrl), { octaneOrigins }).octaneOrigin;
      } catch (error) {
        return error.code;
      }
    };
    return {
      browser: new URL("https://bücher.example:0443/").origin,
      unicodePinned: attempt("https://xn--bcher-kva.example", ["https://bücher.example"]),
      punycodePinned: attempt("https://bücher.example:0443/", ["https://xn--bcher-kva.example:443"]),
      otherHost: attempt("https://bucher.example", ["https://bücher.example"]),
      fragment: attempt("https://bücher.example/#/api", ["https://bücher.example"]),
      query: attempt("https://bücher.example/?x=1", ["https://bücher.example"]),
    };
  });
  // The module's answer is the browser's own.
  assert.equal(results.browser, "https://xn--bcher-kva.example");
  assert.equal(results.unicodePinned, results.browser);
  assert.equal(results.punycodePinned, results.browser);
  assert.equal(results.otherHost, "X0009");
  assert.equal(results.fragment, "X0012");
  assert.equal(results.query, "X0012");
});
