// octaneFetch in Chromium against a local Octane stand-in: it sets
// XSRF_COOKIE on sign-in, rejects writes without the matching XSRF-HEADER,
// answers CORS for the app's origin, and logs request headers. A third
// origin logs what it receives too: it must never see the XSRF header.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/chromium.mjs";
import { listen, port, servePackage, servePage } from "../support/server.mjs";

let app, octane, third, browser, page;
const logs = { octane: [], third: [] };
const appOrigin = () => `http://127.0.0.1:${port(app)}`;

// `trusting`: also answer the "null" origin of a request redirected across
// origins, as a hostile server would, to collect what the request carries.
function cors(request, response, trusting = false) {
  const origin = request.headers.origin;
  if (origin === appOrigin() || (trusting && origin === "null")) {
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Credentials", "true");
    response.setHeader("Access-Control-Allow-Headers", "content-type, xsrf-header, alm-octane-tech-preview");
    response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
  }
}

function cookies(request) {
  return Object.fromEntries((request.headers.cookie ?? "").split(";").filter(Boolean).map((c) => {
    // The value is everything after the first "=", as set (tokens may end in "=").
    const at = c.indexOf("=");
    return [c.slice(0, at).trim(), c.slice(at + 1).trim()];
  }));
}

async function octaneHandler(request, response) {
  cors(request, response);
  if (request.method === "OPTIONS") return response.writeHead(204).end();
  logs.octane.push({ method: request.method, url: request.url, headers: request.headers });
  if (request.url.endsWith("/redirect")) {
    // An open redirect on Octane's origin, pointing at the third origin.
    return response.writeHead(302, { Location: `http://localhost:${port(third)}/landing` }).end();
  }
  if (request.url === "/authentication/sign_in") {
    response.setHeader("Set-Cookie", "XSRF_COOKIE=tok-123; Path=/; SameSite=Lax");
    return response.writeHead(200).end("{}");
  }
  const write = ["POST", "PUT", "DELETE"].includes(request.method);
  if (write && request.headers["xsrf-header"] !== cookies(request).XSRF_COOKIE) {
    response.writeHead(403, { "Content-Type": "application/json" });
    return response.end(JSON.stringify({
      error_code: "platform.xsrf_failure", correlation_id: "corr-1",
      description: "XSRF header missing or wrong", description_translated: "", properties: null, business_error: false,
    }));
  }
  response.writeHead(200, { "Content-Type": "application/json" });
  const url = new URL(request.url, "http://x");
  if (request.method === "GET" && url.pathname.endsWith("/defects")) {
    // Five defects, paged by offset and limit.
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 100);
    const all = [1, 2, 3, 4, 5].map((id) => ({ type: "defect", id: String(id) }));
    return response.end(JSON.stringify({ data: all.slice(offset, offset + limit), total_count: all.length }));
  }
  response.end(JSON.stringify({ type: "defect", id: "7", method: request.method }));
}


const pageErrors = [];

before(async () => {
  app = await listen(async (request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    if (path === "/app.html") return servePage(response, "fetch-app.html", { TRUSTED: [`http://127.0.0.1:${port(octane)}`] });
    if (await servePackage(response, path)) return;
    response.writeHead(404).end();
  });
  octane = await listen(octaneHandler);
  third = await listen((request, response) => {
    cors(request, response, true);
    if (request.method !== "OPTIONS") logs.third.push({ method: request.method, url: request.url, headers: request.headers });
    response.writeHead(request.method === "OPTIONS" ? 204 : 200).end("{}");
  }, "localhost");
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

after(async () => {
  await browser?.close();
  for (const s of [app, octane, third]) s?.close();
});

test("the app's update carries the XSRF header; a third origin never sees it", async () => {
  const octaneUrl = encodeURIComponent(`http://127.0.0.1:${port(octane)}`);
  const thirdUrl = encodeURIComponent(`http://localhost:${port(third)}`);
  await page.goto(`${appOrigin()}/app.html?shared_space=1001&workspace=1002&octane_url=${octaneUrl}&third=${thirdUrl}`);
  await page.waitForSelector("body[data-done]", { state: "attached", timeout: 15000 }).catch((error) => {
    throw new Error(`${error.message}; errors in the page: ${pageErrors.join(" | ") || "none"}`);
  });
  const results = await page.evaluate(() => window.results);
  assert.match(results.cookie, /XSRF_COOKIE=tok-123/);
  assert.deepEqual(results.update, { type: "defect", id: "7", method: "PUT" });
  const put = logs.octane.find((r) => r.method === "PUT" && r.url === "/api/shared_spaces/1001/workspaces/1002/defects/7");
  assert.equal(put.headers["xsrf-header"], "tok-123");
  assert.equal(put.headers["content-type"], "application/json");
  // The third origin got the request, without the header.
  const collect = logs.third.filter((r) => r.url === "/collect");
  assert.equal(collect.length, 1);
  assert.equal(collect[0].headers["xsrf-header"], undefined);
  // A header the caller set is never overwritten; Octane's error is typed.
  assert.deepEqual(results.error, {
    name: "OctaneError", status: 403, errorCode: "platform.xsrf_failure", correlationId: "corr-1", description: "XSRF header missing or wrong",
  });
  assert.equal(results.optIn, true, "a truthy non-array opt-in is refused");
  assert.equal(results.closed, "X0004", "an unresolvable URL fails closed");
  // The client: the query goes validated, canonical and encoded.
  assert.deepEqual(results.page.data.map((d) => d.id), ["1", "2"]);
  const get = logs.octane.find((r) => r.method === "GET" && r.url.includes("query="));
  assert.equal(get.url, "/api/shared_spaces/1001/workspaces/1002/defects?query=%22name%20EQ%20%5Ea%26b%5E%22&fields=id,name&limit=2");
  assert.deepEqual(results.all, ["1", "2", "3", "4", "5"]);
  assert.equal(results.entity.id, "7");
  assert.equal(results.updated.method, "PUT");
  assert.ok(logs.octane.some((r) => r.method === "PUT" && r.url.endsWith("/defects/7") && r.headers["xsrf-header"] === "tok-123"));
  assert.equal(results.invalid, "Q0008", "invalid queries never leave the browser");
  const post = logs.octane.find((r) => r.method === "POST" && r.url.endsWith("/defects"));
  assert.equal(post.headers["xsrf-header"], "tok-123");
  assert.equal(results.redirect, undefined);
  assert.deepEqual(results.redirects, ["X0007", "X0007"], "redirects of requests with the token are refused");
  const landings = logs.third.filter((r) => r.url === "/landing");
  assert.equal(landings.length, 1, "only the request that asked to follow reached the redirect target");
  assert.match(results.followed, /\/landing$/);
  // What a redirect does to the token when it is followed.
  assert.equal(landings[0].headers["xsrf-header"], "tok-123");
  assert.equal(results.notOrigin, "X0008", "allow-lists take exact origins only");
  assert.equal(results.fresh, 200);
  assert.equal(logs.octane.find((r) => r.url.endsWith("/defects/9")).headers["xsrf-header"], "tok+456/x%2B==");
  assert.equal(results.badCookie, "X0006");
  assert.ok(!logs.octane.some((r) => r.url.endsWith("/defects/8")), "nothing is sent with a broken token");
  const preview = logs.octane.find((r) => r.url.endsWith("/coverage"));
  assert.equal(preview.headers["alm-octane-tech-preview"], "true");
});
