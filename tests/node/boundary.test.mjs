// The wasm boundary never traps: every export of the package (found by
// enumerating the module, so new exports are covered too) is called with
// hostile arguments in every position. Each call returns, or throws or
// rejects with an ordinary Error that has a message; none ends in a
// WebAssembly.RuntimeError, and the module keeps working afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { kit, pkg, locatedDiagnostics } from "../support/kit.mjs";

const cyclic = { id: "1", type: "defect" };
cyclic.self = cyclic;
let deep = {};
for (let i = 0; i < 20_000; i++) deep = { a: deep };
const throwing = new Proxy({}, {
  get() { throw new Error("getter says no"); },
  has() { throw new Error("has says no"); },
  ownKeys() { throw new Error("ownKeys says no"); },
  getPrototypeOf() { throw new Error("prototype says no"); },
});
const revoked = Proxy.revocable([], {});
revoked.revoke();
const getterArray = Object.defineProperty([1, 2], 0, { get() { throw new Error("index getter says no"); } });
const cyclicArray = [1];
cyclicArray.push(cyclicArray);
let nestedArray = [1];
for (let i = 0; i < 100_000; i++) nestedArray = [nestedArray];
// Width: an object of many keys, an array of many items.
const wideObject = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
const longArray = Array.from({ length: 200_000 }, (_, i) => `v${i}`);
const HOSTILE = [
  wideObject, longArray,
  revoked.proxy, getterArray, cyclicArray, nestedArray,
  undefined, null, 0, -1, NaN, Infinity, 2 ** 53 + 1, 10n, true, "", "é😀", "\uD800", "{user_email}",
  "x".repeat(1_500_000), Symbol("s"), () => "f", [], [null, 1, "a", {}], {}, cyclic, deep, throwing,
  new Date(NaN), new Map([["a", 1]]), new Uint8Array(3), Object.create(null),
];

const context = kit.ActionContext.fromLocation("https://app.example/?shared_space=1&workspace=2&octane_url=http%3A%2F%2F127.0.0.1%3A9", { octaneOrigins: ["http://127.0.0.1:9"] });

const NONE = Symbol("no error");

/** What `fn(...valid)` with `value` at `position` throws or rejects with (NONE if nothing). */
async function thrownBy(fn, valid, position, value) {
  const args = valid.slice();
  args[position] = value;
  try {
    const result = fn(...args);
    if (result && typeof result.then === "function") await result;
    return NONE;
  } catch (error) {
    return error;
  }
}

/** Calls `fn` with each hostile value in each position, the other positions valid. */
async function sweep(label, fn, valid) {
  const failures = [];
  const positions = Math.max(valid.length, 1);
  for (let position = 0; position < positions; position++) {
    for (const value of HOSTILE) {
      const error = await thrownBy(fn, valid, position, value);
      if (error !== NONE) {
        if (error instanceof WebAssembly.RuntimeError || !(error instanceof Error) || !error.message) {
          failures.push(`${label} arg ${position} = ${describe(value)}: ${error}`);
        } else if ("diagnostics" in error && !locatedDiagnostics(error.diagnostics)) {
          failures.push(`${label} arg ${position} = ${describe(value)}: diagnostics ${JSON.stringify(error.diagnostics)}`);
        }
      }
    }
  }
  return failures;
}

function describe(value) {
  if (typeof value === "string") return value.length > 20 ? `string(${value.length})` : JSON.stringify(value);
  if (typeof value === "symbol" || typeof value === "bigint") return String(value);
  if (value === cyclic) return "cyclic";
  if (value === deep) return "deep";
  if (value === throwing) return "throwing proxy";
  if (value === revoked.proxy) return "revoked proxy";
  if (value === getterArray) return "array with a throwing getter";
  if (value === cyclicArray) return "cyclic array";
  if (value === nestedArray) return "nested array";
  if (value === wideObject) return "wide object";
  if (value === longArray) return "long array";
  return Object.prototype.toString.call(value);
}

// A valid call of every function export, so each hostile value is tried
// in a position where the rest of the call would succeed.
const VALID_ARGS = {
  aggregatedType: ["defect"],
  buildODataUrl: [{ server: "https://o.example", sharedSpace: 1, workspace: 2, entitySet: "defects" }],
  buildQuery: [["id EQ ", ""], [1]],
  buildRestUrl: [{ server: "https://o.example", sharedSpace: 1, workspace: 2, collection: "defects" }],
  collectionPath: ["defects", { query: "id EQ 1" }],
  completeQuery: ["name EQ ^a^", 2, { entity: "defects" }],
  examples: [],
  explainOData: ["a eq 1 and b"],
  explainQuery: ["a EQ 1;b EQ 2"],
  formatQuery: ["id>5"],
  isOctaneError: [new Error("x")],
  octaneFetch: [context, "defects", {}, {}],
  octaneQuery: [["name EQ ", ""], "x"],
  odataToQuery: ["id eq 5", {}],
  parseOData: ["/odata/defects?$filter=id eq 5"],
  parseQuery: ["id EQ 1"],
  queryToOData: ["id EQ 1"],
  tokenizeQuery: ["name EQ ^é^"],
  renderActionUrl: [{ name: "a", entity_type: ["defect"], url: "https://x.example/?ids={entity_ids}" }, { entities: [{ id: "1", type: "defect" }] }, {}],
  renderActionUrlParts: [{ name: "a", entity_type: ["defect"], url: "https://x.example/?ids={entity_ids}" }, { entities: [{ id: "1", type: "defect" }] }, {}],
  validateActions: ['{"actions":[]}', {}],
  validateBundle: [["foo/foo.html"], [{ name: "a", url: "{bundle_url}/foo/foo.html" }]],
  validateQuery: ["id EQ 1", { entity: "defects" }],
};
const SKIP = new Set(["default", "initSync", "ActionContext", "Dataset", "Schema", "OctaneHost", "OctaneClient"]);

test("every function export survives hostile arguments", async () => {
  const failures = [];
  // Node's fetch would try to connect: answer every request locally instead.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response("{}", { status: 500 });
  try {
    for (const [name, fn] of Object.entries(kit)) {
      if (typeof fn !== "function" || SKIP.has(name)) continue;
      assert.ok(name in VALID_ARGS, `a new export, ${name}, needs valid arguments in this sweep`);
      failures.push(...(await sweep(name, fn, VALID_ARGS[name])));
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(failures, []);
  assert.equal(kit.formatQuery("id>5"), "id GT 5");
});

test("every class survives hostile arguments, statics and methods alike", async () => {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(JSON.stringify({ data: [], total_count: 0 }), { status: 200 });
  const failures = [];
  try {
    const url = "https://app.example/?shared_space=1&workspace=2&octane_url=https%3A%2F%2Fo.example";
    failures.push(...(await sweep("ActionContext.fromLocation", (l, o) => kit.ActionContext.fromLocation(l, o), [url, { octaneOrigins: ["https://o.example"] }])));
    failures.push(...(await sweep("OctaneHost.connect", (c, o) => kit.OctaneHost.connect(c, o), [context, {}])));
    failures.push(...(await sweep("Schema.fromMetadata", (f, e) => kit.Schema.fromMetadata(f, e), [[], []])));
    failures.push(...(await sweep("Dataset.fromJson", (c) => kit.Dataset.fromJson(c), [{ defects: [{ id: "1" }] }])));
    failures.push(...(await sweep("Dataset.sample", (o) => kit.Dataset.sample(o), [{ scale: 1 }])));
    const dataset = kit.Dataset.fromJson({ defects: [{ id: "1", type: "defect", name: "a" }] });
    failures.push(...(await sweep("dataset.query", (c, q, o) => dataset.query(c, q, o), ["defects", "id EQ 1", { limit: 1 }])));
    const client = new kit.OctaneClient(context);
    failures.push(...(await sweep("client.getCollection", (c, o) => client.getCollection(c, o), ["defects", { limit: 1 }])));
    failures.push(...(await sweep("client.getEntity", (c, i, o) => client.getEntity(c, i, o), ["defects", 1, {}])));
    failures.push(...(await sweep("client.create", (c, e) => client.create(c, e), ["defects", { name: "x" }])));
    failures.push(...(await sweep("client.update", (c, i, f) => client.update(c, i, f), ["defects", 1, { name: "x" }])));
    failures.push(...(await sweep("client.getAll", async (c, o) => { for await (const _ of client.getAll(c, o)); }, ["defects", { limit: 1 }])));
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(failures, []);
  // Still working, objects and all.
  assert.equal(kit.Dataset.fromJson({ defects: [{ id: "7" }] }).query("defects", "id EQ ^7^").total_count, 1);
  assert.ok(kit.Schema.builtin().entities().length > 0);
});

test("misused glue does not corrupt the module: wrong classes, detached and freed methods", () => {
  const schema = kit.Schema.builtin();
  const dataset = kit.Dataset.fromJson({ defects: [{ id: "1", name: "a" }] });
  const detachedFields = schema.fields;
  const detachedQuery = dataset.query;
  // Each of these throws before any argument reaches the module; enough of
  // them used to overwrite live slots of the glue's object heap.
  for (let i = 0; i < 300; i++) {
    assert.throws(() => detachedFields("defects"), TypeError);
    assert.throws(() => detachedQuery("defects", "id EQ 1"), TypeError);
    assert.throws(() => kit.octaneFetch({ sharedSpace: "1" }, "defects"), /ActionContext/);
    assert.throws(() => kit.OctaneHost.connect("not a context"), /ActionContext/);
  }
  const freed = kit.Dataset.fromJson({ defects: [] });
  freed.free();
  assert.throws(() => freed.query("defects", "id EQ 1"), /null pointer|freed/);
  assert.equal(dataset.query("defects", "name EQ ^a^").total_count, 1);
  assert.ok(schema.fields("defects").some((f) => f.name === "name"));
  assert.equal(kit.formatQuery("id>5"), "id GT 5");
  assert.deepEqual(kit.parseQuery("a EQ null").diagnostics, []);
});

test("interpolated values cannot smuggle structure through overridden methods or hostile arrays", () => {
  const date = new Date(Date.UTC(2026, 10, 20, 12));
  date.toISOString = () => "x^;id GT 0";
  assert.equal(kit.octaneQuery`creation_time GT ${date}`, "creation_time GT ^2026-11-20T12:00:00.000Z^");
  assert.throws(() => kit.octaneQuery`id IN ${cyclicArray}`, (e) => e.diagnostics?.[0]?.code === "X0005");
  assert.throws(() => kit.octaneQuery`id IN ${nestedArray}`, (e) => e.diagnostics?.[0]?.code === "X0005");
  assert.throws(() => kit.octaneQuery`id IN ${getterArray}`, /index getter says no/);
  assert.throws(() => kit.octaneQuery`id IN ${revoked.proxy}`, TypeError);
  assert.equal(kit.octaneQuery`id IN ${[1, "2"]}`, "id IN 1,^2^");
});

test("the generated glue keeps no borrow stack: exports take owned values", () => {
  // A `&JsValue` parameter makes wasm-bindgen pass the value on a borrow
  // stack that its `finally` pops even when the call threw before the
  // push; see crates/octane-wasm/src/lib.rs.
  const glue = readFileSync(fileURLToPath(new URL("octane_kit.js", pkg)), "utf8");
  assert.doesNotMatch(glue, /addBorrowedObject|heap\[stack_pointer\+\+\]/);
});

// Text built to recurse, to run long and to fan out: every parser,
// translator, serializer and JSON reader behind an export bounds its depth
// and its work, with a located error instead of a trap.
const N = 20_000;
const nestedExpand = (levels) =>
  "$expand=" + Array.from({ length: levels }, (_, i) => `a${i}`).join("($expand=") + ")".repeat(levels - 1);
const SHAPED = {
  "parentheses": "(".repeat(N) + "a EQ 1" + ")".repeat(N),
  "open parentheses": "(".repeat(N),
  "cross filters": "a EQ {".repeat(N) + "a EQ 1" + "}".repeat(N),
  "negations": "!".repeat(N) + "a EQ 1",
  "NOT words": "NOT ".repeat(N) + "a EQ 1",
  "OData not": "not ".repeat(N) + "a eq 1",
  "OData minus": "-".repeat(N) + "1 eq a",
  "OData calls": "f(".repeat(N) + "a" + ")".repeat(N),
  "OData lambdas": "a/any(x:x/".repeat(N) + "b eq 1" + ")".repeat(N),
  "OData $filter parentheses": "$filter=" + "(".repeat(N) + "a eq 1" + ")".repeat(N),
  "OData $expand": nestedExpand(2_000),
  "OData $expand raw": "$expand=" + "a(".repeat(N) + "$expand=b" + ")".repeat(N),
  "OData path": "/odata/" + "a/".repeat(N) + "defects",
  "JSON arrays": "[".repeat(N) + "]".repeat(N),
  "JSON objects": '{"a":'.repeat(N) + "1" + "}".repeat(N),
  "JSON actions": JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ name: `a${i % 100}`, url: "https://x.example/{entity_ids}", bad: 1 }))),
  "JSON on one line": JSON.stringify({ name: "a", url: "https://x.example/", junk: Array.from({ length: 20_000 }, () => ({ x: 1 })) }),
  "wide OR": Array.from({ length: N }, (_, i) => `a EQ ${i}`).join("||"),
  "wide AND": Array.from({ length: N }, (_, i) => `a EQ ${i}`).join(";"),
  "wide IN": "id IN " + Array.from({ length: N }, (_, i) => i).join(","),
  "wide OData or": Array.from({ length: N }, (_, i) => `a eq ${i}`).join(" or "),
  "wide OData in": "id in (" + Array.from({ length: N }, (_, i) => i).join(",") + ")",
  "wide $select": "$select=" + Array.from({ length: N }, (_, i) => `f${i}`).join(","),
  "many options": Array.from({ length: N }, (_, i) => `$top=${i}`).join("&"),
  // Just inside the bounds: accepted, and every walk of the tree survives.
  "OData parentheses at the bound": "(".repeat(120) + "a eq 1" + ")".repeat(120),
  "OData chain at the bound": Array.from({ length: 120 }, (_, i) => `a eq ${i}`).join(" or "),
  "OData mixed at the bound": "(not ".repeat(30) + Array.from({ length: 60 }, (_, i) => `a eq ${i}`).join(" and ") + ")".repeat(30),
  "OData $expand at the bound": nestedExpand(32),
  "query parentheses at the bound": "(".repeat(250) + "a EQ 1" + ")".repeat(250),
  "long word": "a".repeat(1_000_000),
  "long string": "name EQ ^" + "é".repeat(500_000) + "^",
};

test("every export that reads text survives deep, long and wide text", async () => {
  const failures = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response("{}", { status: 500 });
  const dataset = kit.Dataset.fromJson({ defects: [{ id: "1", type: "defect", name: "a" }] });
  const calls = Object.entries(VALID_ARGS).map(([name, args]) => [name, kit[name], args]);
  calls.push(["Dataset.fromJson", (c) => kit.Dataset.fromJson(c), ["{}"]]);
  calls.push(["Schema.fromMetadata", (f, e) => kit.Schema.fromMetadata(f, e), ['{"data":[]}', '{"data":[]}']]);
  calls.push(["dataset.query", (c, q, o) => dataset.query(c, q, o), ["defects", "id EQ 1", { limit: 1 }]]);
  calls.push(["dataset.query orderBy", (c, q, o) => dataset.query(c, q, { orderBy: o }), ["defects", "", "id"]]);
  try {
    for (const [label, fn, valid] of calls) {
      for (let position = 0; position < valid.length; position++) {
        if (typeof valid[position] !== "string") continue;
        for (const [shape, text] of Object.entries(SHAPED)) {
          const error = await thrownBy(fn, valid, position, text);
          if (error === NONE) continue;
          if (error instanceof WebAssembly.RuntimeError || !(error instanceof Error) || !error.message) {
            failures.push(`${label} arg ${position} = ${shape}: ${error}`);
          } else if ("diagnostics" in error && !locatedDiagnostics(error.diagnostics)) {
            failures.push(`${label} arg ${position} = ${shape}: diagnostics ${JSON.stringify(error.diagnostics).slice(0, 200)}`);
          }
        }
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(failures, []);
  assert.equal(kit.formatQuery("id>5"), "id GT 5");
  assert.equal(kit.parseOData("$top=1").top, 1);
});

test("every refusal says what is wrong and where: no thrown Error without located diagnostics", async () => {
  // Input that is well typed but wrong: each must be refused with
  // diagnostics (code, message, span, help), or, for an app-side error,
  // a code and help; argument type errors are TypeErrors or RangeErrors.
  const BAD = ["(", "id ==", "{", "name EQ ^x", "$filter=(", "[1,2]", "[]", '{"a":', "", "\uD800",
    '[{"name":"a","url":"https://a.example/{entity_ids}"},{"name":"b","url":"https://b.example/"}]',
    { defects: 5 }, { data: [{ name: 1 }] }, [{ name: "a" }, { name: "b" }]];
  const failures = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response("{}", { status: 500 });
  const calls = Object.entries(VALID_ARGS).map(([name, args]) => [name, kit[name], args]);
  const dataset = kit.Dataset.fromJson({ defects: [{ id: "1", type: "defect", name: "a" }] });
  calls.push(["Dataset.fromJson", (c, o) => kit.Dataset.fromJson(c, o), [{ defects: [] }, {}]]);
  calls.push(["Schema.fromMetadata", (f, e) => kit.Schema.fromMetadata(f, e), [{ data: [] }, { data: [] }]]);
  calls.push(["dataset.query", (c, q, o) => dataset.query(c, q, o), ["defects", "id EQ 1", { limit: 1 }]]);
  try {
    for (const [label, fn, valid] of calls) {
      for (let position = 0; position < valid.length; position++) {
        if (valid[position] === null || !["string", "object"].includes(typeof valid[position])) continue;
        for (const value of BAD) {
          const error = await thrownBy(fn, valid, position, value);
          if (error !== NONE) {
            if (error instanceof TypeError || error instanceof RangeError || kit.isOctaneError(error)) continue;
            // The generated glue checks class arguments itself, with a plain Error.
            if (/^expected instance of \w+$/.test(error.message)) continue;
            const located = locatedDiagnostics(error.diagnostics)
              || (typeof error.code === "string" && typeof error.help === "string" && error.help !== "");
            if (!located) failures.push(`${label} arg ${position} = ${JSON.stringify(value)}: ${error.message}`);
          }
        }
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(failures, []);
});
