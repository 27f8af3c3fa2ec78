// Node tests of the schema exports: Schema, validateQuery, completeQuery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

const { Schema, validateQuery, completeQuery } = kit;

const UDF = {
  data: [
    { type: "field_metadata", name: "customer_udf", entity_name: "defect", label: "Customer", field_type: "string", field_type_data: null, filterable: true, sortable: true, required: false, editable: true, unique: false, is_user_defined: true, max_length: 255, access_level: "PUBLIC" },
  ],
  total_count: 1,
};

test("the built-in schema lists entities and fields", () => {
  const schema = Schema.builtin();
  const entities = schema.entities();
  const defect = entities.find((e) => e.name === "defect");
  assert.deepEqual(
    { collection: defect.collection, subtypeOf: defect.subtypeOf },
    { collection: "defects", subtypeOf: "work_item" },
  );
  assert.ok(entities.find((e) => e.name === "work_item").subtypes.includes("story"));
  const fields = schema.fields("defects");
  const release = fields.find((f) => f.name === "detected_in_release");
  assert.equal(release.type, "reference");
  assert.deepEqual(release.targets, ["release"]);
  assert.throws(() => schema.fields("defectz"), /did you mean `defect`/);
});

test("validateQuery reports schema errors with UTF-16 spans", () => {
  const source = "name EQ ^é😀^;severity EQ ^High^";
  const diagnostics = validateQuery(source, { entity: "defects" });
  assert.deepEqual(diagnostics.map((d) => d.code), ["S0010"]);
  const [d] = diagnostics;
  assert.equal(source.slice(d.span.start, d.span.end), "^High^");
  assert.match(d.help, /list_node\.severity\.high/);
  assert.match(d.rendered, /error\[S0010\]/);
  assert.deepEqual(validateQuery("id EQ 1", { entity: "defects" }), []);
  assert.deepEqual(validateQuery("id == 1", { entity: "defects" }).map((d) => d.code), ["Q0008"]);
  assert.deepEqual(validateQuery("id EQ 1", { entity: "nope" }).map((d) => d.code), ["S0001"]);
});

test("a schema from metadata validates user-defined fields", () => {
  const schema = Schema.fromMetadata(UDF);
  assert.notEqual(schema.id, 0);
  assert.deepEqual(validateQuery("customer_udf EQ ^ACME^", { entity: "defects", schema }), []);
  assert.deepEqual(
    validateQuery("customer_udf EQ 5", { entity: "defects", schema }).map((d) => d.code),
    ["S0005"],
  );
  // The same metadata as a string works too.
  const again = Schema.fromMetadata(JSON.stringify(UDF));
  assert.deepEqual(validateQuery("customr_udf EQ ^a^", { entity: "defect", schema: again }).map((d) => d.help), [
    "did you mean `customer_udf`?",
  ]);
  assert.throws(() => Schema.fromMetadata("{ not json"), /fields metadata/);
  schema.free();
  assert.throws(() => validateQuery("id EQ 1", { entity: "defects", schema }), TypeError);
  assert.deepEqual(validateQuery("customer_udf EQ ^a^", { entity: "defects", schema: again }), []);
});

test("completeQuery takes and gives UTF-16 offsets", () => {
  const source = "name EQ ^😀^;seve";
  const items = completeQuery(source, source.length, { entity: "defects" });
  assert.deepEqual(items.map((c) => c.label), ["severity"]);
  assert.equal(source.slice(items[0].replace.start, items[0].replace.end), "seve");
  const values = completeQuery("severity EQ ", 12, { entity: "defects" });
  assert.ok(values.some((c) => c.insert === "{id EQ ^list_node.severity.high^}"));
  assert.deepEqual(completeQuery("", -5, { entity: "defects" }).length > 0, true);
  assert.deepEqual(completeQuery("", NaN, { entity: "defects" }).length > 0, true);
});

test("completeQuery with the cursor inside the text completes the word before it", () => {
  // `|` marks the cursor; text after it stays as it is.
  const at = (marked) => {
    const offset = marked.indexOf("|");
    const source = marked.slice(0, offset) + marked.slice(offset + 1);
    return completeQuery(source, offset, { entity: "defects" })
      .map((c) => [c.label, source.slice(c.replace.start, c.replace.end)]);
  };
  assert.deepEqual(at("name EQ ^😀 é^;seve|;id GT 5"), [["severity", "seve"]]);
  assert.deepEqual(at("seve| EQ 1"), [["severity", "seve"]]);
  assert.deepEqual(at("blocked | true").map(([label]) => label), ["EQ"]);
  const inner = at("detected_in_release EQ {start| EQ ^😀^}").map(([label]) => label);
  assert.ok(inner.includes("start_date"), inner.join());
  assert.ok(!inner.includes("severity"), inner.join());
});

test("bad options throw TypeErrors, not traps", () => {
  assert.throws(() => validateQuery("id EQ 1"), TypeError);
  assert.throws(() => validateQuery("id EQ 1", {}), TypeError);
  assert.throws(() => validateQuery("id EQ 1", { entity: "defects", schema: {} }), TypeError);
  assert.throws(() => validateQuery("id EQ 1", { entity: "defects", schema: { id: -1 } }), TypeError);
  assert.throws(() => completeQuery(5, 0, { entity: "defects" }), TypeError);
  assert.throws(() => Schema.fromMetadata(42), TypeError);
  assert.deepEqual(validateQuery("id EQ 1", { entity: "defects" }), []);
});
