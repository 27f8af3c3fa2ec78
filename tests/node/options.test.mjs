// Options objects are read member by member (src/convert.rs `Members`):
// each member once, of the type it must have, with `undefined`, `null`
// and functions read as absent; an unknown key or a wrong type is a
// TypeError that names it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

const APP = "https://app.example/?shared_space=1&workspace=2&octane_url=https%3A%2F%2Fo.example";
const WHERE = { server: "https://o.example", sharedSpace: 1001, workspace: 1002 };

test("each member is read once, when the call needs it", () => {
  let reads = 0;
  const options = {
    get query() {
      reads += 1;
      return "id EQ 1";
    },
  };
  assert.equal(kit.collectionPath("defects", options), kit.collectionPath("defects", { query: "id EQ 1" }));
  assert.equal(reads, 1);
});

test("a throwing getter is thrown on, and the module keeps working", () => {
  const options = {
    get limit() {
      throw new Error("limit says no");
    },
  };
  assert.throws(() => kit.collectionPath("defects", options), /limit says no/);
  assert.equal(kit.collectionPath("defects", { limit: 5 }), "defects?limit=5");
});

test("undefined, null and functions read as absent", () => {
  const plain = kit.collectionPath("defects");
  assert.equal(kit.collectionPath("defects", { query: undefined, fields: null, limit: () => 5 }), plain);
  const dataset = kit.Dataset.fromJson({ defects: Array.from({ length: 150 }, (_, i) => ({ id: String(i + 1), type: "defect" })) });
  const all = dataset.query("defects", "", {});
  // NaN is written `null` by JSON.stringify: absent, not a limit the
  // dataset refuses (E0003, as it refuses 0).
  assert.deepEqual(dataset.query("defects", "", { limit: NaN }), all);
  assert.equal(all.data.length, 150);
  assert.throws(() => dataset.query("defects", "", { limit: 0 }), /`limit` must be a whole number from 1/);
});

test("a member of the wrong type names itself and the type it must have", () => {
  const cases = [
    [() => kit.collectionPath("defects", { limit: "5" }), /`options\.limit` must be a whole number from 0 up, not a string/],
    [() => kit.collectionPath("defects", { offset: -1 }), /`options\.offset` must be a whole number from 0 up, not a number/],
    [() => kit.collectionPath("defects", { fields: ["id", 2] }), /`options\.fields` must be an array of strings, not a number/],
    [() => kit.ActionContext.fromLocation(APP, { octaneOrigins: "https://o.example" }), /`options\.octaneOrigins` must be an array of strings, not a string/],
    [() => kit.Dataset.sample({ scale: 1.5 }), /`options\.scale` must be a whole number from 0 to 4294967295, not a number/],
    [() => kit.Dataset.fromJson({}).query("defects", "", { missing: "maybe" }), /`options\.missing` must be "unknown" or "false", not "maybe"/],
    [() => kit.buildODataUrl({ ...WHERE, entitySet: "defects", count: "yes" }), /`options\.count` must be a boolean, not a string/],
    [() => kit.validateQuery("id EQ 1", { entity: 5 }), /`options\.entity` must be a string, not a number/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof TypeError && message.test(e.message), String(message));
  }
});

test("an unknown key is named with the keys accepted", () => {
  assert.throws(
    () => kit.collectionPath("defects", { orderby: "id" }),
    (e) => e instanceof TypeError && /`options`: unknown field `orderby`, expected one of `query`, `fields`, `orderBy`/.test(e.message),
  );
  assert.throws(
    () => kit.ActionContext.fromLocation(APP, { octane_origins: [] }),
    (e) => e instanceof TypeError && /unknown field `octane_origins`, expected `octaneOrigins`$/.test(e.message),
  );
  assert.throws(() => kit.collectionPath("defects", "limit=5"), (e) => e instanceof TypeError && /`options` must be an object/.test(e.message));
  assert.throws(() => kit.collectionPath("defects", [1]), (e) => e instanceof TypeError && /`options` must be an object/.test(e.message));
});

test("ids are strings or numbers, numbers written as their text", () => {
  const url = kit.buildRestUrl({ ...WHERE, collection: "defects" });
  assert.match(url, /\/shared_spaces\/1001\/workspaces\/1002\/defects$/);
  assert.equal(kit.buildRestUrl({ ...WHERE, sharedSpace: "1001", workspace: "1002", collection: "defects" }), url);
});

test("members on the prototype are read, keys checked are the object's own", () => {
  class Options {
    get query() {
      return "id EQ 1";
    }
  }
  assert.equal(kit.collectionPath("defects", new Options()), kit.collectionPath("defects", { query: "id EQ 1" }));
  const bare = Object.assign(Object.create(null), { limit: 5 });
  assert.equal(kit.collectionPath("defects", bare), "defects?limit=5");
});
