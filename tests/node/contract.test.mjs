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

/** The body of `interface name` and its parents, without comments. */
function interfaceOf(name) {
  const head = new RegExp(`export interface ${name}(?:<[^>]*>)?(?: extends ([\\w, ]+))? \\{`).exec(dts);
  assert.ok(head, `the .d.ts declares ${name}`);
  let depth = 1;
  let at = head.index + head[0].length;
  const start = at;
  for (; depth > 0; at++) {
    if (dts[at] === "{") depth++;
    if (dts[at] === "}") depth--;
  }
  const body = dts.slice(start, at - 1).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return { body, parents: head[1] ? head[1].split(",").map((p) => p.trim()) : [] };
}

/** The members of `interface name`, its parents' included: key → optional?. */
function members(name) {
  const { body, parents } = interfaceOf(name);
  const found = new Map(parents.flatMap((parent) => [...members(parent)]));
  // Members at the body's own level: split at ";" and line ends outside
  // nested braces, brackets and parentheses.
  let depth = 0;
  let part = "";
  const parts = [];
  for (const c of body) {
    if ("{[(<".includes(c)) depth++;
    if ("}])>".includes(c)) depth--;
    if (depth === 0 && (c === ";" || c === "\n")) {
      parts.push(part);
      part = "";
    } else part += c;
  }
  parts.push(part);
  for (const member of parts) {
    const match = /^\s*(\w+)(\?)?:/.exec(member);
    if (match) found.set(match[1], match[2] === "?");
  }
  return found;
}

/** The keys `interface name` declares, its parents' included. */
function declaredKeys(name) {
  return [...members(name).keys()].sort();
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

// What the functions return has exactly the shape the .d.ts declares:
// every key it holds is declared, every key declared as required is there.
const RESULTS = {
  QueryResult: () => kit.Dataset.sample().query("defects", "id GT 0", { limit: 1 }),
  CollectionInfo: () => kit.Dataset.sample().collections()[0],
  Example: () => kit.examples()[0],
  ODataRequest: () => kit.parseOData("/odata/v4/shared_spaces/1/workspaces/2/defects?$filter=id eq 1&$orderby=name&$top=1&$expand=owner($select=name)&$x=1"),
  Completion: () => kit.completeQuery("seve", 4, { entity: "defects" })[0],
  Diagnostic: () => kit.validateQuery("severity EQ 1", { entity: "defects" })[0],
  ActionDiagnostic: () => kit.validateActions('[{"name":"a","url":"https://x.example/","nope":1}]')[0],
  EntityInfo: () => kit.Schema.builtin().entities()[0],
  FieldInfo: () => kit.Schema.builtin().fields("defects")[0],
  Explanation: () => kit.explainQuery("a EQ 1;b EQ 2||c EQ 3"),
  ParseResult: () => kit.parseQuery("a EQ 1"),
  BrokenExpr: () => kit.parseQuery("a EQ 1;b EQ").partial.expr.operands[1],
  QueryToken: () => kit.tokenizeQuery("a EQ 1")[0],
  ODataExplanation: () => kit.explainOData("a eq 1 and not b"),
  ODataNode: () => kit.explainOData("a eq 1").ast,
};

for (const [name, make] of Object.entries(RESULTS)) {
  test(`${name}: what the function returns is what the .d.ts declares`, () => {
    const value = make();
    const declared = members(name);
    for (const key of Object.keys(value)) assert.ok(declared.has(key), `${name} returns \`${key}\`, which the .d.ts does not declare`);
    for (const [key, optional] of declared) {
      if (!optional) assert.ok(key in value, `${name} declares \`${key}\` as always there, but it is missing`);
    }
  });
}
