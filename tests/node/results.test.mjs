// Results cross the boundary as plain data (src/tape.rs and js/tape.js):
// strings keep every UTF-16 unit, keys taken from data stay own members,
// and the table of member names the two sides share stays in step across
// exports and calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

test("strings keep a leading BOM, accents and astral characters", () => {
  const text = "\uFEFFé😀 x";
  const query = `name EQ ^${text}^;id GT 5`;
  const { ast, diagnostics } = kit.parseQuery(query);
  assert.deepEqual(diagnostics, []);
  const phrase = ast.expr.operands[0];
  assert.equal(phrase.value.value, text);
  // Spans are UTF-16 offsets: the string literal ends before `;`.
  assert.equal(query.slice(phrase.value.span.start, phrase.value.span.end), `^${text}^`);
  assert.equal(query.slice(ast.expr.operands[1].span.start, ast.expr.operands[1].span.end), "id GT 5");
});

test("a key from data is an own member, even `__proto__`", () => {
  const context = kit.ActionContext.fromLocation(
    "https://app.example/?shared_space=1&workspace=2&__proto__=x&constructor=y",
  );
  const params = context.params;
  assert.equal(Object.getPrototypeOf(params), Object.prototype);
  assert.deepEqual(Object.keys(params).sort(), ["__proto__", "constructor", "shared_space", "workspace"]);
  assert.equal(Object.getOwnPropertyDescriptor(params, "__proto__").value, "x");
  assert.equal(params.constructor, "y");
  assert.equal(params.workspace, "2");
});

test("member names stay in step across exports and calls", () => {
  const query = "name EQ ^x^;(id GT 5||!owner EQ {null});severity EQ {id EQ ^list_node.severity.high^}";
  const calls = [
    () => kit.tokenizeQuery(query),
    () => kit.parseQuery(query),
    () => kit.explainQuery(query),
    () => kit.parseQuery("id EQ"),
    () => kit.validateQuery("nme EQ 1", { entity: "defects" }),
  ];
  const first = calls.map((call) => JSON.stringify(call()));
  // Each result names its members; a drifting table would rename them.
  assert.match(first[0], /"kind":"field","span":\{"start":0,"end":4\}/);
  assert.match(first[1], /"type":"and","operands":\[\{"type":"phrase","field":\{"name":"name"/);
  assert.match(first[3], /"ast":null,.*"diagnostics":\[\{"code":"Q/);
  for (let round = 0; round < 3; round++) {
    for (const [i, call] of [...calls.entries()].reverse()) {
      assert.equal(JSON.stringify(call()), first[i], `call ${i}, round ${round}`);
    }
  }
});
