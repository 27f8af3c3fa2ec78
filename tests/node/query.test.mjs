// Node tests of the built npm package (crates/octane-wasm/pkg): the query
// exports, their error behaviour, UTF-16 spans, and that no input traps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { seeded } from "../support/random.mjs";

import { kit, meta, pkg } from "../support/kit.mjs";

const { parseQuery, formatQuery, explainQuery } = kit;

test("the package is named octane-kit and ships types", () => {
  assert.equal(meta.name, "octane-kit");
  const dts = readFileSync(fileURLToPath(new URL(meta.types, pkg)), "utf8");
  assert.match(dts, /export function parseQuery\(source: string\): ParseResult;/);
  assert.match(dts, /export function formatQuery\(source: string\): string;/);
  assert.match(dts, /export function explainQuery\(source: string\): Explanation;/);
  assert.match(dts, /severity: "error" \| "warning";/);
  // No `any` anywhere in the types (comments aside): every parameter,
  // property and return has a real type.
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.doesNotMatch(code, /\bany\b/, "the .d.ts uses `any`");
  assert.ok(code.includes("export class OctaneClient") && code.includes("export function octaneFetch"), "types cover the app-side API");
});

test("parseQuery returns the tree and no diagnostics for a valid query", () => {
  const { ast, diagnostics } = parseQuery("name EQ ^x*^;(id GT 5||!owner EQ {null})");
  assert.deepEqual(diagnostics, []);
  assert.equal(ast.expr.type, "and");
  const [name, group] = ast.expr.operands;
  assert.equal(name.type, "phrase");
  assert.equal(name.field.name, "name");
  assert.equal(name.operator.kind, "EQ");
  assert.deepEqual(name.value, { type: "string", value: "x*", kind: "text", span: { start: 8, end: 12 } });
  assert.equal(group.type, "or");
  assert.equal(group.operands[1].type, "not");
  assert.equal(group.operands[1].operand.value.type, "null_reference");
});

test("IN lists, BTW ranges and cross-filters have their own shapes", () => {
  const { ast } = parseQuery("id IN 1,2;d BTW ^2020-01-01^...^2020-12-31^;r EQ {id EQ 5}");
  const [list, range, cross] = ast.expr.operands;
  assert.deepEqual(list.values.map((v) => v.text), ["1", "2"]);
  assert.equal(range.low.kind, "date");
  assert.equal(range.high.value, "2020-12-31");
  assert.equal(cross.value.type, "cross_filter");
  assert.equal(cross.value.filter.field.name, "id");
});

test("parseQuery reports diagnostics instead of throwing", () => {
  const { ast, diagnostics } = parseQuery("id == 5;name EQ ^abc");
  assert.equal(ast, null);
  assert.deepEqual(diagnostics.map((d) => d.code), ["Q0008", "Q0002"]);
  const [eq] = diagnostics;
  assert.equal(eq.severity, "error");
  assert.deepEqual(eq.span, { start: 3, end: 5 });
  assert.match(eq.help, /EQ/);
  assert.match(eq.rendered, /error\[Q0008\]/);
  assert.match(eq.rendered, /\^\^/);
});

test("spans are UTF-16 code units on non-ASCII input", () => {
  const source = "név EQ ^Árvíz 😀^;owner == 5";
  const { diagnostics } = parseQuery(source);
  const [d] = diagnostics;
  assert.equal(source.slice(d.span.start, d.span.end), "==");
  const ok = "中文 EQ ^😀😀^;b EQ 1";
  const { ast } = parseQuery(ok);
  const first = ast.expr.operands[0];
  assert.equal(ok.slice(first.field.span.start, first.field.span.end), "中文");
  assert.equal(ok.slice(first.value.span.start, first.value.span.end), "^😀😀^");
  assert.equal(ok.slice(ast.expr.operands[1].span.start, ast.expr.operands[1].span.end), "b EQ 1");
});

test("warnings come with a valid tree", () => {
  const { ast, diagnostics } = parseQuery("id BTW 12…16");
  assert.ok(ast);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [["Q0101", "warning"]]);
  assert.equal(diagnostics[0].span.end - diagnostics[0].span.start, 1, "… is one code unit");
});

test("formatQuery prints the canonical form", () => {
  assert.equal(formatQuery("name='x';id>5"), "name EQ ^x^;id GT 5");
  assert.equal(formatQuery('"((a EQ 1))||b eq true"'), "a EQ 1||b EQ true");
  assert.equal(formatQuery("(f BTW '1000' ...'1020')"), "f BTW ^1000^...^1020^");
});

test("formatQuery throws an Error carrying the diagnostics", () => {
  assert.throws(
    () => formatQuery("id != 5"),
    (error) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /1 error/);
      assert.equal(error.diagnostics.length, 1);
      assert.equal(error.diagnostics[0].code, "Q0009");
      return true;
    },
  );
});

test("explainQuery gives the parenthesised form, a summary and steps", () => {
  const e = explainQuery("a EQ 1;b EQ 2||c EQ 3");
  assert.equal(e.parenthesized, "((a EQ 1;b EQ 2)||c EQ 3)");
  assert.equal(e.canonical, "a EQ 1;b EQ 2||c EQ 3");
  assert.match(e.summary, /a is 1 and b is 2\) or c is 3/);
  assert.deepEqual(e.steps.map((s) => [s.operator, s.rank]), [[";", 3], ["||", 4]]);
  assert.match(e.steps[0].reason, /rank 3/);
  const nested = explainQuery("r EQ {a EQ 1||b EQ 2}");
  assert.deepEqual(nested.steps[0].within, ["r"]);
  assert.throws(() => explainQuery("a EQ"), (error) => error.diagnostics[0].code === "Q0010");
});

test("arguments of the wrong type throw a TypeError", () => {
  for (const bad of [undefined, null, 5, {}, ["id EQ 1"], Symbol("x")]) {
    assert.throws(() => parseQuery(bad), TypeError);
    assert.throws(() => formatQuery(bad), TypeError);
    assert.throws(() => explainQuery(bad), TypeError);
  }
});

test("no input makes the module trap", () => {
  const hostile = [
    "",
    "(".repeat(100_000),
    ")".repeat(100_000),
    "a EQ {".repeat(100_000),
    "!".repeat(100_000) + "a EQ 1",
    "NOT ".repeat(20_000) + "a EQ 1",
    "a EQ {".repeat(256) + "a EQ 1" + "}".repeat(256),
    "(".repeat(256) + "a EQ 1" + ")".repeat(256),
    "x".repeat(2 * 1024 * 1024),
    "id EQ 1;".repeat(200_000),
    "\uD800 EQ ^\uDFFF^",
    "^".repeat(10_001),
    "\\".repeat(5_000),
    "[".repeat(5_000),
    "a IN " + ",".repeat(50_000),
    "a BTW " + "…".repeat(10_000),
    "\u0000\u0001\u202e EQ 1",
  ];
  const random = seeded(42);
  const alphabet = ["a", " EQ ", "^", "'", "{", "}", "(", ")", ";", "||", "!", "1", "...", "…", ",", "[", "]", "\\", "é", "😀", '"'];
  for (let i = 0; i < 2_000; i++) {
    let s = "";
    const n = Math.floor(random() * 20);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(random() * alphabet.length)];
    hostile.push(s);
  }
  for (const source of hostile) {
    const result = parseQuery(source);
    assert.ok(Array.isArray(result.diagnostics));
    for (const fn of [formatQuery, explainQuery]) {
      try {
        fn(source);
      } catch (error) {
        assert.ok(Array.isArray(error.diagnostics), `${fn.name} threw without diagnostics: ${error}`);
      }
    }
  }
  // The module still works after all of that.
  assert.equal(formatQuery("id>5"), "id GT 5");
  const deep = "a EQ {".repeat(256) + "a EQ 1" + "}".repeat(256);
  assert.equal(formatQuery(deep), deep);
});

test("tokenizeQuery gives every token its kind as the parser read it, in UTF-16 spans", () => {
  const source = "név EQ ^😀 x^;(EQ GT 5||!owner EQ {null});tags IN [current_user],true @ bare";
  const tokens = kit.tokenizeQuery(source).map((t) => [source.slice(t.span.start, t.span.end), t.kind]);
  assert.deepEqual(tokens.slice(0, 4), [["név", "field"], ["EQ", "operator"], ["^😀 x^", "string"], [";", "logical"]]);
  // A field named EQ is a field where a field stands.
  assert.deepEqual(tokens.slice(5, 8), [["EQ", "field"], ["GT", "operator"], ["5", "number"]]);
  assert.ok(tokens.some(([text, kind]) => text === "null" && kind === "keyword"));
  assert.ok(tokens.some(([text, kind]) => text === "[current_user]" && kind === "special"));
  assert.ok(tokens.some(([text, kind]) => text === "@" && kind === "error"));
  assert.ok(tokens.some(([text, kind]) => text === "bare" && kind === "error"));
  // Tokens are in order and never overlap.
  const spans = kit.tokenizeQuery(source).map((t) => t.span);
  spans.forEach((span, i) => assert.ok(i === 0 || spans[i - 1].end <= span.start));
  assert.deepEqual(kit.tokenizeQuery(""), []);
  assert.throws(() => kit.tokenizeQuery(5), TypeError);
});

test("diagnostics carry their repair as data, in UTF-16 spans", () => {
  const source = "név == ^😀^ AND id BTW 1…5 OR x EQ ^y";
  const { diagnostics } = kit.parseQuery(source);
  const fixes = diagnostics.filter((d) => d.fix).map((d) => [source.slice(d.fix.span.start, d.fix.span.end), d.fix.replacement]);
  assert.deepEqual(fixes, [["==", "EQ"], ["AND", ";"], ["…", "..."], ["OR", "||"], ["", "^"]]);
  // Applied from the end, every repair at once: the statement parses.
  let fixed = source;
  for (const { fix } of diagnostics.filter((d) => d.fix).sort((a, b) => b.fix.span.start - a.fix.span.start)) {
    fixed = fixed.slice(0, fix.span.start) + fix.replacement + fixed.slice(fix.span.end);
  }
  assert.equal(kit.formatQuery(fixed), "név EQ ^😀^;id BTW 1...5||x EQ ^y^");
});

// trees.json is written by the wasm crate's Rust tests from serde's forms
// of the tree, diagnostics and tokens (every query fixture, and text
// outside ASCII); the package writes trees and tokens with tags of its own
// (src/tree.rs), which must decode to exactly those objects, member order
// included. So does explainOData's tree, for OData filters.
test("parseQuery, tokenizeQuery and explainOData return serde's forms exactly, in both entries", async () => {
  const app = await import(new URL("octane_kit_app.js", pkg).href);
  app.initSync({ module: readFileSync(fileURLToPath(new URL("octane_kit_app_bg.wasm", pkg))) });
  const cases = JSON.parse(readFileSync(new URL("./trees.json", import.meta.url), "utf8"));
  assert.ok(cases.length > 100, `${cases.length} cases`);
  let trees = 0;
  for (const { source, parsed, tokens, filter, explained } of cases) {
    if (filter !== undefined) {
      assert.equal(JSON.stringify(kit.explainOData(filter)), JSON.stringify(explained), filter);
      continue;
    }
    for (const entry of [kit, app]) {
      assert.equal(JSON.stringify(entry.parseQuery(source)), JSON.stringify(parsed), source);
      assert.equal(JSON.stringify(entry.tokenizeQuery(source)), JSON.stringify(tokens), source);
    }
    trees += (parsed.ast !== null) + (parsed.partial !== null);
  }
  assert.ok(trees > 100, `${trees} trees`);
});
