// Node tests of the OData exports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

const { parseOData, explainOData, odataToQuery, queryToOData, buildRestUrl, buildODataUrl, Schema } = kit;

test("parseOData reads URLs, keys and options", () => {
  const r = parseOData("https://o.example/odata/v4/shared_spaces/1/workspaces/2/defects?$select=id,name&$filter=name%20eq%20'a'&$orderby=name desc,id&$top=5&$count=true&$expand=owner($select=name)");
  assert.equal(r.entitySet, "defects");
  assert.deepEqual(r.select, ["id", "name"]);
  assert.equal(r.filter, "name eq 'a'");
  assert.deepEqual(r.orderBy, [{ expr: "name", descending: true }, { expr: "id", descending: false }]);
  assert.equal(r.top, 5);
  assert.equal(r.count, true);
  assert.deepEqual(r.expand[0].path, "owner");
  assert.deepEqual(r.expand[0].options.select, ["name"]);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(parseOData("/defects('6001')").key, "6001");
  const bad = parseOData("$filter=név eq 'x");
  assert.equal(bad.diagnostics[0].code, "O0001");
  assert.equal(bad.diagnostics[0].span.start, 15, "UTF-16 offset of the quote");
});

test("odataToQuery and queryToOData", () => {
  assert.equal(odataToQuery("startswith(name,'Log') and release/name eq 'R1'"), "name EQ ^Log*^;release EQ {name EQ ^R1^}");
  assert.equal(odataToQuery("sprint ne null", { entity: "defects" }), "!sprint EQ {null}");
  assert.equal(odataToQuery("sprint ne null", { entity: "defects", schema: Schema.builtin() }), "!sprint EQ {null}");
  assert.equal(queryToOData("id BTW 1...5;name EQ ^*x*^"), "(id ge 1 and id le 5) and contains(name,'x')");
  assert.throws(() => odataToQuery("Price add 2 gt 5"), (e) => e.diagnostics[0].code === "O0002");
  assert.throws(() => queryToOData("owner EQ [current_user]"), (e) => e.diagnostics[0].code === "O0003");
  assert.throws(() => odataToQuery(5), TypeError);
});

test("explainOData groups as the OData precedence table says, spans in UTF-16", () => {
  const cases = [
    ["true or not false and true", "(true or ((not false) and true))"],
    ["not a eq b", "((not a) eq b)"],
    ["a gt 1 eq true", "((a gt 1) eq true)"],
    ["a sub 1 sub 2", "((a sub 1) sub 2)"],
    ["-(a add 5)", "(-(a add 5))"],
    ["((a eq 1))", "(a eq 1)"],
    ["a in ('x', 'y') or contains(name, 'z')", "((a in ('x','y')) or contains(name,'z'))"],
  ];
  for (const [filter, expected] of cases) assert.equal(explainOData(filter).parenthesized, expected, filter);
  const source = "name eq 'é😀' and (id gt 5)";
  const { ast, diagnostics } = explainOData(source);
  assert.deepEqual(diagnostics, []);
  assert.equal(ast.label, "and");
  assert.equal(source.slice(ast.children[1].span.start, ast.children[1].span.end), "id gt 5");
  assert.equal(source.slice(ast.children[0].children[1].span.start, ast.children[0].children[1].span.end), "'é😀'");
  assert.throws(() => explainOData("a eq 'é"), (e) => e.diagnostics.length === 1 && e.diagnostics[0].code === "O0001" && e.diagnostics[0].span.start >= 5);
  assert.throws(() => explainOData(5), TypeError);
});

test("URL builders", () => {
  const where = { server: "https://o.example", sharedSpace: 1001, workspace: "1002" };
  assert.equal(
    buildRestUrl({ ...where, collection: "defects", query: "name='a&b'", fields: ["id", "name"], limit: 10 }),
    "https://o.example/api/shared_spaces/1001/workspaces/1002/defects?query=%22name%20EQ%20%5Ea%26b%5E%22&fields=id,name&limit=10",
  );
  assert.equal(
    buildODataUrl({ ...where, entitySet: "defects", filter: "id gt 5", top: 3, count: true }),
    "https://o.example/odata/v4/shared_spaces/1001/workspaces/1002/defects?$filter=id%20gt%205&$top=3&$count=true",
  );
  assert.throws(() => buildRestUrl({ ...where, collection: "defects", query: "id ==" }), (e) => e.diagnostics[0].code === "Q0008");
  assert.throws(() => buildODataUrl({ ...where, server: "ftp://x", entitySet: "defects" }), (e) => e.diagnostics[0].code === "O0006");
  assert.throws(() => buildRestUrl({ ...where, collection: "defects", limit: -1 }), TypeError);
});

test("parseOData writes its members in one order: the path's parts, the options given, other, diagnostics", () => {
  const request = kit.parseOData(
    "/odata/v4/shared_spaces/1/workspaces/2/defects(5)/owner?$select=a&$filter=id gt 5&$orderby=name desc&$top=10&$skip=5&$count=true&$search=x&$format=json&$expand=owner($select=name)&foo=bar",
  );
  assert.deepEqual(Object.keys(request), [
    "entitySet", "key", "path", "select", "filter", "orderBy", "top", "skip", "count", "search", "format", "expand", "other", "diagnostics",
  ]);
  assert.deepEqual(Object.keys(request.expand[0].options), ["select", "other"]);
  assert.deepEqual(Object.keys(kit.parseOData("$filter=id eq 5")), ["path", "filter", "other", "diagnostics"]);
});
