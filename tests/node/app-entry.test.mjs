// `octane-kit/app`, the entry for action apps: its own module and wasm,
// a subset of the full entry that answers as the full one does, without
// the evaluator, the sample workspace, OData or the action-config tools.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { kit, meta, pkg } from "../support/kit.mjs";

const app = await import(new URL("octane_kit_app.js", pkg).href);
app.initSync({ module: readFileSync(fileURLToPath(new URL("octane_kit_app_bg.wasm", pkg))) });

const exported = (module) => Object.keys(module).filter((name) => name !== "default" && name !== "initSync").sort();

test("package.json exports each entry, typings first", () => {
  for (const entry of [".", "./app", "./embed"]) {
    assert.deepEqual(Object.keys(meta.exports[entry]), ["types", "default"], entry);
  }
  assert.equal(meta.exports["./app"].default, "./octane_kit_app.js");
  assert.ok(meta.sideEffects.includes("./embed.js"), "importing the embed defines its element: bundlers keep it");
});

test("the app entry is the full entry less the evaluator, OData and action-config tools", () => {
  const full = exported(kit);
  const small = exported(app);
  assert.deepEqual(small.filter((name) => !full.includes(name)), [], "nothing of its own");
  assert.deepEqual(
    full.filter((name) => !small.includes(name)),
    ["Dataset", "aggregatedType", "buildODataUrl", "buildRestUrl", "examples", "explainOData", "odataToQuery", "parseOData", "queryToOData", "renderActionUrl", "renderActionUrlParts", "validateActions", "validateBundle"],
  );
  for (const name of ["ActionContext", "OctaneHost", "OctaneClient", "octaneFetch", "octaneQuery", "collectionPath", "buildQuery", "Schema", "validateQuery", "parseQuery", "explainQuery", "tokenizeQuery", "completeQuery", "formatQuery", "isOctaneError"]) {
    assert.ok(small.includes(name), name);
  }
});

test("the app entry answers as the full one", () => {
  const queries = ["name EQ ^Käfer 🐞^;id GT 5", "severity EQ ^High^", "id ==", "!a EQ 1||b EQ 2;c EQ 3"];
  for (const q of queries) {
    assert.deepEqual(app.parseQuery(q), kit.parseQuery(q), q);
    assert.deepEqual(app.validateQuery(q, { entity: "defects" }), kit.validateQuery(q, { entity: "defects" }), q);
    assert.deepEqual(app.tokenizeQuery(q), kit.tokenizeQuery(q), q);
  }
  assert.equal(app.octaneQuery`name EQ ${"it's ^ok"};id IN ${[1, 2]}`, kit.octaneQuery`name EQ ${"it's ^ok"};id IN ${[1, 2]}`);
  assert.equal(app.collectionPath("defects", { query: "id GT 5", limit: 2 }), kit.collectionPath("defects", { query: "id GT 5", limit: 2 }));
});

test("the app entry's boundary does not trap on hostile arguments", () => {
  const hostile = [undefined, null, 0, NaN, "", "é😀", "\uD800", Symbol("s"), [], {}, new Proxy({}, { get() { throw new Error("no"); } }), "x".repeat(100_000)];
  for (const name of exported(app)) {
    const f = app[name];
    if (typeof f !== "function" || /^[A-Z]/.test(name)) continue;
    for (const a of hostile) {
      for (const args of [[a], [a, a], ["defects", a], [a, {}]]) {
        try {
          // A rejection is an answer too (octaneFetch): not left unhandled.
          f(...args)?.catch?.(() => {});
        } catch (error) {
          assert.ok(!(error instanceof WebAssembly.RuntimeError), `${name} trapped`);
          assert.ok(error instanceof Error && error.message, `${name} threw without a message`);
        }
      }
    }
  }
  assert.equal(app.formatQuery("name='x';id>5"), "name EQ ^x^;id GT 5", "the module still works");
});

// Both entries decode results with one shared JavaScript file, and the
// embed loads both into one page: each module numbers the member names it
// sends in its own way, and each must be read with its own numbers.
test("both entries in one page each read their own results", async () => {
  // Fresh instances of both entries (a query string makes a new module;
  // the decoder they import is still the one file).
  const load = async (name) => {
    const entry = await import(new URL(`${name}.js?both`, pkg).href);
    entry.initSync({ module: readFileSync(fileURLToPath(new URL(`${name}_bg.wasm`, pkg))) });
    return entry;
  };
  const [full, small] = [await load("octane_kit"), await load("octane_kit_app")];
  const filter = "$filter=id eq 5 and startswith(name,'a')";
  // Names only the full entry sends, numbered from the start...
  const odata = full.parseOData(filter);
  // ...then the app entry's own, numbered from the start too...
  const explained = small.explainQuery("a EQ 1;b EQ 2");
  const diagnostics = small.validateQuery("id ==", { entity: "defects" });
  // ...and each entry's results again.
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(full.parseOData(filter), odata);
    assert.deepEqual(Object.keys(odata), ["path", "filter", "other", "diagnostics"]);
    assert.deepEqual(small.explainQuery("a EQ 1;b EQ 2"), explained);
    assert.deepEqual(Object.keys(explained), ["canonical", "parenthesized", "summary", "steps"]);
    assert.deepEqual(full.validateQuery("id ==", { entity: "defects" }), diagnostics);
    assert.ok(diagnostics.length > 0 && diagnostics.every((d) => typeof d.code === "string" && typeof d.span.start === "number"));
  }
});
