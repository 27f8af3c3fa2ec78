// Random input, fixed seeds: token soups of the query language, OData
// options and action JSON go through every export that parses text. Any
// outcome is fine except a trap (a Rust panic inside the module) or a
// throw that is not an Error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";
import { seeded } from "../support/random.mjs";

let rnd = seeded(1);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const soup = (alphabet, n) => { let s = ""; const k = Math.floor(rnd() * n); for (let i = 0; i < k; i++) s += pick(alphabet); return s; };
const Q = ["name", "id", "owner", "severity", "phase", "release", "creation_time", " EQ ", " GT ", " LT ", " IN ", " BTW ", "=", "<", ">=", "^", "'", "{", "}", "(", ")", ";", "||", "!", "1", "2.5", "-3", "...", "…", ",", "[current_user]", "[current_release]", "null", "{null}", "true", "\\", "é", "😀", "*", '"', " ", "^2020-01-01^", "list_node.severity.high", "_udf", "\u0000", "\uD800"];
const O = ["$filter=", "$select=", "$orderby=", "$top=", "$skip=", "$count=", "$search=", "$expand=", "&", "?", "/odata/v4/shared_spaces/1/workspaces/2/", "defects", "(", ")", " eq ", " ne ", " gt ", " and ", " or ", "not ", "'", "''", "1", "-", "2020-01-01", "T10:00:00Z", "contains(", "startswith(", "endswith(", "tolower(", ",", "/", "name", "owner", "id", "null", "true", "%", "%2", "%27", "%C3", "é", "😀", " ", "$", "@", "in ", "(1,2)", "any(", "d:", "d/name", "eq", "\uD800"];
const J = ["{", "}", "[", "]", ":", ",", '"name"', '"url"', '"entity_type"', '"actions"', '"https://x/{entity_ids}"', '"{entity.name}"', '"javascript:alert(1)"', '"views"', '"dialog"', '"small"', "true", "1", "-1e999", "null", '"\\u0000"', '"\\uD800"', '"é"', " ", "\n", '"{octane_url}"', '"workspaces"', '"exclude_workspaces"', "[1]", '"a', "\\", '"mode"', '"single_entity"'];
const entities = ["defects", "defect", "work_items", "story", "release", "field_metadata", "nope", ""];
const trap = (e) => e instanceof WebAssembly.RuntimeError || !(e instanceof Error);
let calls = 0;
function run(name, f, input) {
  calls++;
  try {
    f();
  } catch (e) {
    if (trap(e)) assert.fail(`${name} trapped on ${JSON.stringify(input).slice(0, 300)}: ${e}`);
  }
}
const dataset = kit.Dataset.sample({ scale: 1 });
function round() {
  const q = soup(Q, 14);
  run("parseQuery", () => kit.parseQuery(q), q);
  run("formatQuery", () => kit.formatQuery(q), q);
  run("explainQuery", () => kit.explainQuery(q), q);
  run("queryToOData", () => kit.queryToOData(q), q);
  const e = pick(entities);
  run("validateQuery", () => kit.validateQuery(q, { entity: e }), [q, e]);
  const off = Math.floor(rnd() * (q.length + 3)) - 1;
  run("completeQuery", () => kit.completeQuery(q, off, { entity: e }), [q, off, e]);
  run("dataset.query", () => dataset.query(pick(["defects", "stories", "work_items", "releases", "users", "nope"]), q, { limit: 5, orderBy: pick(["id", "-name", "nope", "", ",", "owner"]) , fields: ["id", "name"] }), q);
  run("collectionPath", () => kit.collectionPath(e, { query: q, orderBy: soup(["-", "id", ",", "name", " "], 4), fields: [soup(["id", "{", "}", ",", "name"], 3)], limit: pick([1, 0, -1, 1.5, 1e12, NaN]), offset: pick([0, -1, 2 ** 40]) }), q);
  const o = soup(O, 12);
  run("parseOData", () => kit.parseOData(o), o);
  run("odataToQuery", () => kit.odataToQuery(o, { entity: pick(["defects", undefined]) }), o);
  run("explainOData", () => kit.explainOData(o), o);
  const j = soup(J, 20);
  run("validateActions", () => kit.validateActions(j), j);
  run("renderActionUrl", () => kit.renderActionUrl(j, { entities: [{ id: "1", type: "defect", name: soup(Q, 4) }], octaneUrl: "https://o.example" }), j);
  run("octaneQuery", () => kit.octaneQuery`${soup(Q, 5)} EQ ${soup(Q, 5)};id IN ${[soup(Q, 3), rnd() * 1e6]}`, q);
  run("fromJson", () => kit.Dataset.fromJson(j), j);
  run("fromMetadata", () => kit.Schema.fromMetadata(j), j);
}

for (const start of [1, 2, 3]) {
  test(`random input never traps (seed ${start})`, () => {
    rnd = seeded(start);
    calls = 0;
    for (let i = 0; i < 1_500; i++) round();
    assert.equal(calls, 1_500 * 16, "every export was called each round");
    // Still alive afterwards.
    assert.equal(kit.formatQuery("id>5"), "id GT 5");
  });
}
