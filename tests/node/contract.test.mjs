// The typings and the functions cannot drift: for every option or context
// object the package reads through its typed path, the keys its `.d.ts`
// declares are exactly the keys the function accepts (which it names when
// it refuses an unknown one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { kit, pkg } from "../support/kit.mjs";

const dts = readFileSync(fileURLToPath(new URL("octane_kit.d.ts", pkg)), "utf8");

/** The keys `interface name` declares, its parents' included. */
function declaredKeys(name) {
  const match = dts.match(new RegExp(`export interface ${name}(?: extends ([\\w, ]+))? \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(match, `the .d.ts declares ${name}`);
  const own = [...match[2].matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]);
  const parents = match[1] ? match[1].split(",").flatMap((p) => declaredKeys(p.trim())) : [];
  return [...new Set([...own, ...parents])].sort();
}

/** The keys a call accepts, as its TypeError for an unknown key lists them. */
async function acceptedKeys(call) {
  try {
    await call({ notAKey: 1 });
  } catch (error) {
    assert.ok(error instanceof TypeError, String(error));
    assert.match(error.message, /unknown field `notAKey`/);
    const listed = error.message.split(/expected (?:one of )?/)[1] ?? "";
    return [...listed.matchAll(/`(\w+)`/g)].map((m) => m[1]).sort();
  }
  assert.fail("an unknown key was accepted");
}

const ACTION = { name: "a", entity_type: ["defect"], url: "https://x.example/?ids={entity_ids}" };
const CONTEXT = { entities: [{ id: "1", type: "defect" }] };

const APP = "https://app.example/?shared_space=1&workspace=2&octane_url=https%3A%2F%2Fo.example";
const context = kit.ActionContext.fromLocation(APP, { octaneOrigins: ["https://o.example"] });
const dataset = kit.Dataset.fromJson({ defects: [] });
const WHERE = { server: "https://o.example", sharedSpace: 1, workspace: 2 };

const READERS = {
  RenderContext: (value) => kit.renderActionUrl(ACTION, value),
  RenderActionOptions: (value) => kit.renderActionUrl(ACTION, CONTEXT, value),
  ValidateActionsOptions: (value) => kit.validateActions("[]", value),
  ContextOptions: (value) => kit.ActionContext.fromLocation(APP, value),
  ConnectOptions: (value) => kit.OctaneHost.connect(context, value),
  OctaneFetchOptions: (value) => kit.octaneFetch(context, "defects", {}, value),
  CollectionOptions: (value) => kit.collectionPath("defects", value),
  SchemaQueryOptions: (value) => kit.validateQuery("id EQ 1", value),
  TranslateOptions: (value) => kit.odataToQuery("id eq 1", value),
  RestUrlOptions: (value) => kit.buildRestUrl({ ...WHERE, collection: "defects", ...value }),
  ODataUrlOptions: (value) => kit.buildODataUrl({ ...WHERE, entitySet: "defects", ...value }),
  SampleOptions: (value) => kit.Dataset.sample(value),
  LoadOptions: (value) => kit.Dataset.fromJson({}, value),
  DatasetQueryOptions: (value) => dataset.query("defects", "", value),
};

for (const [name, call] of Object.entries(READERS)) {
  test(`${name}: the .d.ts declares exactly the keys the function accepts`, async () => {
    assert.deepEqual(declaredKeys(name), await acceptedKeys(call));
  });
}

test("boolean options take booleans only, everywhere alike", async () => {
  const refusals = [
    () => kit.Dataset.fromJson({ defects: [] }).query("defects", "", { caseSensitive: "yes" }),
    () => kit.buildODataUrl({ ...WHERE, entitySet: "defects", count: 1 }),
    () => kit.octaneFetch(context, "defects", {}, { techPreview: "true" }),
    () => kit.octaneFetch(context, "defects", {}, { xsrfOrigins: true }),
  ];
  for (const call of refusals) {
    await assert.rejects(async () => call(), TypeError);
  }
});

test("the declared context keys are camelCase", () => {
  for (const name of Object.keys(READERS)) {
    for (const key of declaredKeys(name)) assert.doesNotMatch(key, /_/, `${name}.${key}`);
  }
});
