// Node tests of the evaluator exports: Dataset and examples().
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

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
    assert.ok(result.total > 0, example.title);
    assert.equal(result.data.length, Math.min(result.total, 2000));
  }
});

test("query options shape the response like the REST API", () => {
  const page = sample.query("defects", "severity EQ {id EQ ^list_node.severity.urgent^}", {
    orderBy: "-id",
    limit: 3,
    offset: 1,
    fields: ["name", "severity"],
  });
  assert.ok(page.total > 4);
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
  assert.equal(data.query("defects", "name EQ ^A^", { caseSensitive: true }).total, 0);
  assert.equal(data.query("defects", "!detected_in_release EQ {name EQ ^R1^}").total, 0);
  assert.equal(data.query("defects", "!detected_in_release EQ {name EQ ^R1^}", { missing: "false" }).total, 1);
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
  assert.equal(sample.query("defects", "id EQ 100301").total >= 0, true);
});
