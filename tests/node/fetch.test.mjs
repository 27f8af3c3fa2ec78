// octaneFetch and OctaneClient in Node (initSync, Node's own fetch): the
// request they build, against a local server, and what happens when the
// global fetch misbehaves. The browser-only parts (cookies, CORS, two
// origins) are tested in tests/e2e/fetch.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { listen, port } from "../support/server.mjs";
import { kit } from "../support/kit.mjs";

const { ActionContext, octaneFetch, OctaneClient, parseQuery } = kit;

const field = (name, field_type, extra = {}) => ({
  type: "field_metadata", name, entity_name: "defect", label: name, field_type, field_type_data: null,
  filterable: true, sortable: true, required: false, editable: true, unique: false, is_user_defined: name.endsWith("_udf"), max_length: null, access_level: "PUBLIC", ...extra,
});
const FIELDS = [field("id", "string"), field("name", "string"), field("story_points", "integer"), field("root_cause_udf", "string"), field("closed", "boolean")];
const ENTITIES = [
  { type: "entity_metadata", name: "defect", label: "Defect", features: [{ name: "rest", url: "defects", methods: ["GET"] }] },
];

let server;
const log = [];
let context;

before(async () => {
  server = await listen((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      log.push({ method: request.method, url: request.url, headers: request.headers, body });
      if (request.url.includes("/defects/404")) {
        response.writeHead(404, { "Content-Type": "application/json" });
        return response.end(JSON.stringify({ error_code: "platform.entity_not_found", description: "No defect 404", correlation_id: "c-9", business_error: true }));
      }
      const url = new URL(request.url, "http://x");
      if (url.pathname.endsWith("/metadata/fields") || url.pathname.endsWith("/metadata/entities")) {
        // Served two at a time, as a server with a small page size would.
        const all = url.pathname.endsWith("/fields") ? FIELDS : ENTITIES;
        const offset = Number(url.searchParams.get("offset") ?? 0);
        response.writeHead(200, { "Content-Type": "application/json" });
        return response.end(JSON.stringify({ data: all.slice(offset, offset + 2), total_count: all.length }));
      }
      if (request.url.includes("/broken")) {
        response.writeHead(502, { "Content-Type": "text/html" });
        return response.end("<h1>Bad gateway</h1>");
      }
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ data: [{ id: "1", type: "defect" }], total_count: 1 }));
    });
  });
  const octane = `http://127.0.0.1:${port(server)}`;
  context = ActionContext.fromLocation(`https://app.example/?shared_space=1001&workspace=1002&octane_url=${encodeURIComponent(octane)}`, { octaneOrigins: [octane] });
});

after(() => server.close());

const last = () => log[log.length - 1];

test("requests resolve under the workspace and carry what was asked", async () => {
  const response = await octaneFetch(context, "defects?limit=1", undefined, { techPreview: true });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).total_count, 1);
  assert.equal(last().url, "/api/shared_spaces/1001/workspaces/1002/defects?limit=1");
  assert.equal(last().headers["alm-octane-tech-preview"], "true");
  // Node has no document.cookie: no XSRF header, and no error either.
  assert.equal(last().headers["xsrf-header"], undefined);
});

test("JSON bodies: objects, arrays and JSON strings are labelled; others are not", async () => {
  await octaneFetch(context, "defects", { method: "POST", body: { data: [{ name: "é ✓" }] } });
  assert.equal(last().headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(last().body), { data: [{ name: "é ✓" }] });
  await octaneFetch(context, "defects", { method: "POST", body: [1, 2] });
  assert.equal(last().body, "[1,2]");
  assert.equal(last().headers["content-type"], "application/json");
  await octaneFetch(context, "defects", { method: "POST", body: '{"data":[]}' });
  assert.equal(last().headers["content-type"], "application/json");
  await octaneFetch(context, "defects", { method: "POST", body: "not json" });
  assert.match(last().headers["content-type"], /^text\/plain/);
  await octaneFetch(context, "defects", { method: "POST", body: new URLSearchParams({ a: "1" }) });
  assert.match(last().headers["content-type"], /^application\/x-www-form-urlencoded/);
  // A caller's Content-Type wins, whatever shape the headers come in.
  for (const headers of [{ "content-type": "application/merge-patch+json" }, [["Content-Type", "application/merge-patch+json"]], new Headers({ "Content-Type": "application/merge-patch+json" })]) {
    await octaneFetch(context, "defects", { method: "PUT", body: {}, headers });
    assert.equal(last().headers["content-type"], "application/merge-patch+json");
  }
});

test("error answers become OctaneError, with or without Octane's JSON", async () => {
  await assert.rejects(octaneFetch(context, "defects/404"), (e) =>
    e.name === "OctaneError" && e.status === 404 && e.errorCode === "platform.entity_not_found" &&
    e.description === "No defect 404" && e.correlationId === "c-9" && e.businessError === true && e.message === "No defect 404");
  await assert.rejects(octaneFetch(context, "broken"), (e) =>
    e.name === "OctaneError" && e.status === 502 && e.errorCode === undefined && /HTTP 502/.test(e.message));
});

test("every RequestInit field reaches fetch: an abort signal, a method", async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(octaneFetch(context, "defects", { signal: controller.signal }), { name: "AbortError" });
  await octaneFetch(context, "defects/1", { method: "DELETE" });
  assert.equal(last().method, "DELETE");
});

test("bad requests reject with the platform's TypeError", async () => {
  await assert.rejects(octaneFetch(context, "defects", { method: "GET", body: "x" }), TypeError);
  await assert.rejects(octaneFetch(context, "defects", { headers: { "bad header": "x" } }), TypeError);
  await assert.rejects(octaneFetch(context, "defects", { credentials: "sometimes" }), TypeError);
});

test("OctaneClient works on Node's fetch", async () => {
  const client = new OctaneClient(context);
  const page = await client.getCollection("defects", { query: "name EQ ^a b^", fields: ["id"], limit: 5 });
  assert.equal(page.total_count, 1);
  const url = new URL(last().url, "http://x");
  assert.equal(url.searchParams.get("query"), '"name EQ ^a b^"');
  assert.equal(url.searchParams.get("fields"), "id");
  // A refused query is a rejection, never a synchronous throw.
  const refused = client.getCollection("defects", { query: "id ==" });
  assert.ok(refused instanceof Promise);
  await assert.rejects(refused, (e) => e.diagnostics[0].code === "Q0008");
});

test("OctaneClient.loadSchema reads every page of the workspace's metadata and checks queries against it", async () => {
  const client = new OctaneClient(context);
  assert.equal(client.schema, undefined);
  // Without a schema, only the syntax is checked: an unknown field is sent.
  await client.getCollection("defects", { query: "nmae EQ ^x^" });
  const before = log.length;
  const schema = await client.loadSchema();
  assert.equal(client.schema, schema);
  assert.deepEqual(schema.fields("defects").map((f) => f.name).sort(), ["closed", "id", "name", "root_cause_udf", "story_points"]);
  assert.ok(log.slice(before).some((r) => r.url.endsWith("/metadata/fields?offset=4")), "the last page of fields was read");
  // A workspace's own field passes; a misspelt one is refused before sending.
  await client.getCollection("defects", { query: "root_cause_udf EQ ^config^" });
  assert.match(decodeURIComponent(last().url), /root_cause_udf EQ \^config\^/);
  const sent = log.length;
  await assert.rejects(client.getCollection("defects", { query: "nmae EQ ^x^" }), (e) =>
    Array.isArray(e.diagnostics) && e.diagnostics[0].code.startsWith("S") && /name/.test(e.diagnostics[0].help ?? e.diagnostics[0].message));
  await assert.rejects(client.getCollection("defects", { query: "story_points EQ ^many^" }), (e) => e.diagnostics[0].code.startsWith("S"));
  assert.equal(log.length, sent, "nothing was sent for a query that does not check");
  // A call can opt out of the check, with undefined or null.
  await client.getCollection("defects", { query: "nmae EQ ^x^", schema: undefined });
  await client.getCollection("defects", { query: "nmae EQ ^x^", schema: null });
  assert.equal(log.length, sent + 2);
});

test("a fetch that throws or resolves to a non-Response rejects; the module keeps working", async () => {
  const real = globalThis.fetch;
  try {
    globalThis.fetch = () => Promise.resolve({ ok: true, status: 200, json: async () => ({}) });
    await assert.rejects(octaneFetch(context, "defects"), (e) => e instanceof TypeError && /not a Response/.test(e.message));
    globalThis.fetch = () => { throw new Error("offline"); };
    await assert.rejects(octaneFetch(context, "defects"), /offline/);
    globalThis.fetch = () => Promise.reject(new TypeError("network down"));
    await assert.rejects(octaneFetch(context, "defects"), /network down/);
    globalThis.fetch = () => ({ not: "a promise" });
    await assert.rejects(octaneFetch(context, "defects"), (e) => e instanceof TypeError && /not a Response/.test(e.message));
    globalThis.fetch = () => ({ then: () => { throw new Error("thenable says no"); } });
    await assert.rejects(octaneFetch(context, "defects"), /thenable says no/);
    // An error answer whose body was already read: the status still comes through.
    globalThis.fetch = async () => {
      const response = new Response('{"description":"gone"}', { status: 410 });
      await response.text();
      return response;
    };
    await assert.rejects(octaneFetch(context, "defects"), (e) => e.name === "OctaneError" && e.status === 410 && e.description === undefined);
    delete globalThis.fetch;
    await assert.rejects(octaneFetch(context, "defects"));
  } finally {
    globalThis.fetch = real;
  }
  // No trap: the same instance still parses and fetches.
  assert.equal(parseQuery("id EQ 1").diagnostics.length, 0);
  assert.equal((await octaneFetch(context, "defects")).status, 200);
});
