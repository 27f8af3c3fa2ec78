// Node tests of the evaluator exports: Dataset and examples().
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit, wasm } from "../support/kit.mjs";

const { Dataset, examples } = kit;

const sample = Dataset.sample();

test("the sample workspace loads offline with its collections", () => {
  const collections = sample.collections();
  const total = collections.reduce((n, c) => n + c.count, 0);
  assert.ok(total > 3000 && total < 8000, `${total} entities`);
  assert.ok(collections.some((c) => c.name === "defects" && c.count > 100));
  // The same seed gives the same data.
  const again = Dataset.sample({ seed: 2026 });
  assert.deepEqual(
    again.query("defects", "", { limit: 5 }).data,
    sample.query("defects", "", { limit: 5 }).data,
  );
  again.free();
});

test("every gallery example runs on the sample and finds something", () => {
  const list = examples();
  assert.ok(list.length >= 15);
  for (const example of list) {
    assert.deepEqual(Object.keys(example).sort(), ["description", "entity", "query", "title"]);
    const result = sample.query(example.entity, example.query);
    assert.ok(result.total_count > 0, example.title);
    assert.equal(result.data.length, Math.min(result.total_count, 2000));
  }
});

test("query options shape the response like the REST API", () => {
  const page = sample.query("defects", "severity EQ {id EQ ^list_node.severity.urgent^}", {
    orderBy: "-id",
    limit: 3,
    offset: 1,
    fields: ["name", "severity"],
  });
  assert.ok(page.total_count > 4);
  assert.equal(page.data.length, 3);
  assert.deepEqual(Object.keys(page.data[0]).sort(), ["id", "name", "severity", "type"]);
  const ids = page.data.map((d) => Number(d.id));
  assert.deepEqual([...ids].sort((a, b) => b - a), ids);
  const mine = sample.query("defects", "owner EQ [current_user]", { currentUser: "1002" });
  assert.ok(mine.data.every((d) => d.owner.id === "1002"));
});

test("a pasted collection can be queried, references included", () => {
  const data = Dataset.fromJson({
    releases: [{ type: "release", id: "1", name: "R1" }],
    defects: { data: [
      { type: "defect", id: "10", name: "a", detected_in_release: { type: "release", id: "1" } },
      { type: "defect", id: "11", name: "b", detected_in_release: null },
    ], total_count: 2 },
  });
  const byName = (a, b) => a.name.localeCompare(b.name);
  assert.deepEqual(data.collections().sort(byName), [{ name: "defects", count: 2 }, { name: "releases", count: 1 }]);
  const result = data.query("defects", "detected_in_release EQ {name EQ ^r1^}");
  assert.deepEqual(result.data.map((d) => d.id), ["10"]);
  assert.deepEqual(data.query("defects", "detected_in_release EQ {null}").data.map((d) => d.id), ["11"]);
  assert.equal(data.query("defects", "name EQ ^A^", { caseSensitive: true }).total_count, 0);
  assert.equal(data.query("defects", "!detected_in_release EQ {name EQ ^R1^}").total_count, 0);
  assert.equal(data.query("defects", "!detected_in_release EQ {name EQ ^R1^}", { missing: "false" }).total_count, 1);
});

test("errors carry diagnostics; bad arguments are TypeErrors", () => {
  assert.throws(() => sample.query("defects", "id == 1"), (e) => e.diagnostics[0].code === "Q0008");
  const data = Dataset.fromJson("{}");
  assert.throws(() => data.query("defects", "owner EQ [current_user]"), (e) => e.diagnostics[0].code === "E0001");
  assert.throws(() => sample.query("defects", "", { limit: 0 }), (e) => e.diagnostics[0].code === "E0003");
  assert.throws(() => sample.query("defects", "", { orderBy: ",," }), (e) => e.diagnostics[0].code === "E0002");
  assert.throws(() => sample.query(5, ""), TypeError);
  assert.throws(() => sample.query("defects", "", { fields: "name" }), TypeError);
  assert.throws(() => Dataset.fromJson("[1]"), /expected an object/);
  assert.throws(() => Dataset.sample({ scale: 0 }), RangeError);
  assert.equal(sample.query("defects", "id EQ 100301").total_count >= 0, true);
});

test("values compare by their field's type, in a workspace's own schema too", () => {
  const data = Dataset.fromJson({
    defects: [
      { type: "defect", id: "1", name: "10.0", creation_time: "2026-07-15T08:30:00.500Z" },
      { type: "defect", id: "2", name: "010", creation_time: "2015-02-25T16:42:11+02:00" },
      { type: "defect", id: "10", name: "10", creation_time: "2026-07-31T10:00:00Z" },
    ],
  });
  const ids = (query, options) => data.query("defects", query, options).data.map((d) => d.id);
  assert.deepEqual(ids("name EQ ^10^"), ["10"]);
  assert.deepEqual(ids("id EQ ^10^"), ["10"]);
  assert.deepEqual(ids("creation_time GT ^2026-07-15T08:30:00Z^"), ["1", "10"]);
  assert.deepEqual(ids("creation_time BTW ^2026-07-01^...^2026-07-31^"), ["1", "10"]);
  assert.deepEqual(ids("creation_time LT ^2015-02-25T15:00:00Z^"), ["2"]);
  assert.deepEqual(ids("", { orderBy: "-creation_time" }), ["10", "1", "2"]);

  const schema = kit.Schema.fromMetadata(
    { data: [
      { name: "id", entity_name: "incident", field_type: "integer" },
      { name: "code_udf", entity_name: "incident", field_type: "string" },
    ] },
    { data: [{ name: "incident", label: "Incident", features: [{ name: "rest", url: "incidents" }] }] },
  );
  const incidents = { incidents: [{ type: "incident", id: "1", code_udf: "007" }, { type: "incident", id: "2", code_udf: "7" }] };
  const typed = Dataset.fromJson(incidents, { schema });
  assert.deepEqual(typed.query("incidents", "code_udf EQ ^7^").data.map((d) => d.id), ["2"]);
  // Without it, the field is unknown and read by its look: "007" is 7.
  const untyped = Dataset.fromJson(incidents);
  assert.deepEqual(untyped.query("incidents", "code_udf EQ ^7^").data.map((d) => d.id), ["1", "2"]);
  assert.throws(() => Dataset.fromJson(incidents, { schema: {} }), TypeError);
  assert.throws(() => Dataset.fromJson(incidents, 5), TypeError);
});

test("an OData date-time with an offset finds the same rows as its UTC form", () => {
  const data = Dataset.fromJson({
    defects: [
      { type: "defect", id: "1", creation_time: "2017-08-23T21:59:59Z" },
      { type: "defect", id: "2", creation_time: "2017-08-23T22:00:00.001Z" },
      { type: "defect", id: "3", creation_time: "2017-08-24T00:00:00+02:00" },
    ],
  });
  const ids = (filter) => data.query("defects", kit.odataToQuery(filter)).data.map((d) => d.id);
  const offset = ids("creation_time gt 2017-08-24T00:00:00+02:00");
  assert.deepEqual(offset, ["2"]);
  assert.deepEqual(ids("creation_time gt 2017-08-23T22:00:00Z"), offset);
  // Defect 3 is the same instant, written with the offset.
  assert.deepEqual(ids("creation_time ge 2017-08-24T00:00:00+02:00"), ["2", "3"]);
  assert.deepEqual(ids("creation_time ge 2017-08-23T22:00:00Z"), ["2", "3"]);
});

test("a load error says what is wrong and where", () => {
  const text = '{"defects": [\n  {"id": "1",}\n]}';
  try {
    Dataset.fromJson(text);
    assert.fail("no error");
  } catch (error) {
    const [d] = error.diagnostics;
    assert.equal(d.code, "E0004");
    assert.equal(text.slice(d.span.start, d.span.start + 1), "}");
    assert.ok(d.help);
  }
  assert.throws(() => Dataset.fromJson({ defects: 5 }), (e) => e.diagnostics[0].code === "E0005" && /defects/.test(e.message));
});

test("loading and freeing a dataset again and again reuses the module's memory", () => {
  const defects = Array.from({ length: 20_000 }, (_, i) => ({
    type: "defect", id: String(i), name: `Defect ${i} with a name long enough to matter`, story_points: i % 13,
    owner: { type: "workspace_user", id: String(i % 50), name: `user ${i % 50}` },
  }));
  const text = JSON.stringify({ defects });
  const sizes = [];
  for (let round = 0; round < 10; round++) {
    const data = Dataset.fromJson(text);
    assert.equal(data.query("defects", "story_points EQ 3", { limit: 1 }).total_count, 1539);
    data.free();
    sizes.push(wasm.memory.buffer.byteLength);
  }
  // Whatever the first load grew, the next nine fit in it.
  assert.deepEqual(sizes.slice(1), Array(9).fill(sizes[0]), `memory after each round: ${sizes}`);
});

test("a large text loads whole, whatever its characters", () => {
  // Over 64K UTF-16 units, the text is copied in bulk: ASCII first, then
  // accents, astral characters and lone surrogates.
  const names = Array.from({ length: 3000 }, (_, i) =>
    i < 1500 ? `plain name ${i}` : `défaut ${i} 😀 ${i % 7 === 0 ? "\uD800" : "ok"}`);
  const data = names.map((name, i) => ({ type: "defect", id: String(i + 1), name }));
  const text = JSON.stringify({ defects: { data } });
  assert.ok(text.length > 65_536, `${text.length} units`);
  // JSON.stringify escapes a lone surrogate, which then loads as itself;
  // written raw into the text, it reads as U+FFFD, as in any string
  // handed to the module.
  const raw = text.replaceAll("\\ud800", "\uD800");
  assert.notEqual(raw, text);
  for (const [input, expected] of [
    [text, names],
    [{ defects: { data } }, names],
    [raw, names.map((n) => n.replace("\uD800", "\uFFFD"))],
  ]) {
    const dataset = Dataset.fromJson(input);
    const rows = [0, 2000].flatMap((offset) => dataset.query("defects", "", { limit: 2000, offset }).data);
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    assert.equal(byId.size, 3000);
    names.forEach((_, i) => assert.equal(byId.get(String(i + 1)), expected[i], `row ${i + 1}`));
    // The loaded text is the one queries read.
    const astral = expected.filter((n) => n.endsWith("😀 ok")).length;
    assert.ok(astral > 1000);
    assert.equal(dataset.query("defects", "name EQ ^*😀 ok^", { limit: 1 }).total_count, astral);
    dataset.free();
  }
});

test("results share their entities, frozen, and say so when changed", () => {
  const first = sample.query("defects", "", { limit: 3 });
  const again = sample.query("defects", "id GT 0", { limit: 3 });
  assert.equal(first.data[0], again.data[0]);
  // A new page array each time: the caller may sort or splice it.
  assert.notEqual(first.data, again.data);
  const row = first.data[0];
  assert.ok(Object.isFrozen(row));
  const nested = Object.values(row).filter((v) => v !== null && typeof v === "object");
  assert.ok(nested.length > 0 && nested.every(Object.isFrozen));
  assert.throws(() => { row.name = "changed"; }, TypeError);
  assert.notEqual(sample.query("defects", "", { limit: 1 }).data[0].name, "changed");
  // Another `fields` list is another object, with only those fields.
  const named = sample.query("defects", "", { limit: 1, fields: ["name"] }).data[0];
  assert.notEqual(named, row);
  assert.deepEqual(Object.keys(named).sort(), ["id", "name", "type"]);
  // A copy is the caller's own.
  const copy = structuredClone(row);
  copy.name = "mine";
  assert.equal(copy.name, "mine");
});

test("paging far past the shared store gives every entity right, whatever the fields", () => {
  // 20,000 entities: more than the store keeps, so its oldest are
  // forgotten and built again; ten `fields` lists, more than it tells apart.
  const entities = Array.from({ length: 20_000 }, (_, i) => ({
    type: "defect",
    id: String(i + 1),
    name: `d${i}`,
    story_points: i % 11,
    owner: i % 3 ? { type: "workspace_user", id: String(i % 50) } : null,
  }));
  const data = Dataset.fromJson({ defects: entities });
  const lists = [undefined, ["name"], ["owner"], ["name", "owner"], ["story_points"], ["x0"], ["x1"], ["x2"], ["x3"], ["x4"]];
  const project = (e, fields) => fields
    ? Object.fromEntries(Object.entries(e).filter(([k]) => k === "type" || k === "id" || fields.includes(k)))
    : e;
  for (let round = 0; round < 2; round++) {
    for (let offset = 0; offset < entities.length; offset += 1500) {
      const fields = lists[(offset / 1500 + round) % lists.length];
      const page = data.query("defects", "", { limit: 1500, offset, ...(fields ? { fields } : {}) });
      assert.equal(page.total_count, entities.length);
      assert.deepEqual(page.data, entities.slice(offset, offset + 1500).map((e) => project(e, fields)), `offset ${offset}, fields ${fields}`);
    }
  }
  // Pages that overlap: the rows both hold are the same objects.
  const a = data.query("defects", "", { limit: 100, offset: 19_800 }).data;
  const b = data.query("defects", "story_points GE 0", { limit: 100, offset: 19_850 }).data;
  assert.equal(a[50], b[0]);
  assert.deepEqual(b.map((e) => e.id), entities.slice(19_850, 19_950).map((e) => e.id));
  data.free();
});

test("rows are frozen through and through, even when a prototype has enumerable members", () => {
  const data = Dataset.fromJson({ defects: [
    { type: "defect", id: "1", owner: { type: "workspace_user", id: "7" }, user_tags: { data: [{ type: "user_tag", id: "3" }] } },
  ] });
  const deepFrozen = (value) => value === null || typeof value !== "object"
    || (Object.isFrozen(value) && Object.values(value).every(deepFrozen));
  assert.ok(deepFrozen(data.query("defects", "").data[0]));
  const outsider = { mine: true };
  Object.prototype.extra = outsider;
  try {
    const row = data.query("defects", "", { fields: ["owner", "user_tags"] }).data[0];
    assert.ok(deepFrozen(row));
    // What the page's script added is not the rows' to freeze.
    assert.ok(!Object.isFrozen(outsider));
  } finally {
    delete Object.prototype.extra;
  }
  data.free();
});
