// Node tests of the external-actions exports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

const { validateActions, renderActionUrl, aggregatedType } = kit;

const ACTION = {
  name: "defect-details",
  entity_type: ["defect"],
  url: "https://tickets.example.com/open?ids={entity_ids}&type={entity_type}&t={entity.name}",
  single_entity: true,
};

test("validateActions points into the JSON with UTF-16 spans and paths", () => {
  const json = `[{"name": "é😀", "entity_type": ["defects"], "url": "javascript:alert(1)", "dialgo": "small"}]`;
  const diagnostics = validateActions(json);
  const byCode = Object.fromEntries(diagnostics.map((d) => [d.code, d]));
  assert.deepEqual(Object.keys(byCode).sort(), ["A0007", "A0013", "A0014"]);
  assert.equal(byCode.A0007.path, "/0/entity_type/0");
  assert.equal(json.slice(byCode.A0007.span.start, byCode.A0007.span.end), '"defects"');
  assert.equal(json.slice(byCode.A0014.span.start, byCode.A0014.span.end), "javascript:");
  assert.equal(byCode.A0013.severity, "warning");
  assert.match(byCode.A0013.help, /did you mean `dialog`/);
  assert.deepEqual(validateActions(JSON.stringify([ACTION])), []);
  const td = JSON.stringify({ ...ACTION, url: "td://qc.example/qcbin/?id={entity.name}" });
  assert.deepEqual(validateActions(td).map((d) => d.code), ["A0015"]);
  assert.deepEqual(validateActions(td, { allowedProtocols: ["td"] }), []);
});

test("renderActionUrl encodes every value for its place", () => {
  const url = renderActionUrl(ACTION, {
    entities: [{ id: "1003", type: "defect", name: "a&b=c#d/e f" }],
  });
  assert.equal(url, "https://tickets.example.com/open?ids=1003&type=work_item&t=a%26b%3Dc%23d%2Fe%20f");
  const parsed = new URL(url);
  assert.equal(parsed.searchParams.get("t"), "a&b=c#d/e f");
  assert.deepEqual([...parsed.searchParams.keys()], ["ids", "type", "t"]);
  // The action may also be given as JSON text.
  assert.equal(renderActionUrl(JSON.stringify(ACTION), { entities: [{ id: 7, type: "defect", name: "x" }] }),
    "https://tickets.example.com/open?ids=7&type=work_item&t=x");
});

test("renderActionUrl refuses what it cannot render safely", () => {
  const thrown = (action, context) => {
    try {
      renderActionUrl(action, context);
    } catch (error) {
      return error.diagnostics.map((d) => d.code);
    }
    assert.fail("no error");
  };
  assert.deepEqual(thrown(ACTION, { entities: [] }), ["A0030"]);
  assert.deepEqual(thrown(ACTION, { entities: [{ id: 1, type: "defect", name: "a" }, { id: 2, type: "defect", name: "b" }] }), ["A0031"]);
  assert.deepEqual(thrown({ ...ACTION, url: "https://{entity.name}/" }, { entities: [{ id: 1, type: "defect", name: "evil.example" }] }), ["A0021"]);
  assert.deepEqual(thrown({ ...ACTION, url: "{octane_url}/x" }, { entities: [{ id: 1, type: "defect" }], octaneUrl: "javascript:alert(1)" }), ["A0034"]);
  assert.throws(() => renderActionUrl(ACTION, 5), TypeError);
  assert.throws(() => renderActionUrl(ACTION, { entities: "x" }), TypeError);
});

test("the JavaScript contract: camelCase keys, and an unknown key is a TypeError naming the accepted ones", () => {
  const action = { ...ACTION, url: "{octane_url}/open?u={user_login}&w={workspace}", single_entity: true };
  const entities = [{ id: 7, type: "defect", name: "x", shared_space: "entity fields keep Octane's names" }];
  assert.equal(renderActionUrl(action, { entities, octaneUrl: "https://o.example", userLogin: "ada", workspace: 1002 }),
    "https://o.example/open?u=ada&w=1002");
  for (const [context, key] of [[{ entities, octane_url: "https://o.example" }, "octane_url"], [{ entities, sharedspace: 1 }, "sharedspace"]]) {
    assert.throws(() => renderActionUrl(action, context), (e) => e instanceof TypeError
      && e.message.includes(`unknown field \`${key}\``) && e.message.includes("`octaneUrl`") && e.message.includes("`sharedSpace`"));
  }
  assert.throws(() => renderActionUrl(action, { entities }, { allowedProtocol: ["td"] }), (e) => e instanceof TypeError && /`allowedProtocols`/.test(e.message));
  assert.throws(() => validateActions("[]", { action: "x" }), (e) => e instanceof TypeError && /unknown field `action`/.test(e.message));
  assert.throws(() => validateActions("[]", { allowedProtocols: "td" }), TypeError);
  assert.throws(() => renderActionUrl(action, { entities }, { action: 1 }), TypeError);
});

test("a value the URL does not use never stops it from rendering", () => {
  const action = { ...ACTION, url: "https://t.example/?ids={entity_ids}&t={entity.name}", single_entity: true };
  const lone = "bad \uD800 text";
  assert.equal(renderActionUrl(action, { entities: [{ id: 7, type: "defect", name: "ok", notes: lone }], userLogin: lone }),
    "https://t.example/?ids=7&t=ok");
  assert.throws(() => renderActionUrl(action, { entities: [{ id: 7, type: "defect", name: lone }] }),
    (e) => e.diagnostics[0].code === "A0032" && /not Unicode/.test(e.diagnostics[0].message));
});

test("aggregatedType", () => {
  assert.equal(aggregatedType("defect"), "work_item");
  assert.equal(aggregatedType("gherkin_test"), "test");
  assert.equal(aggregatedType("release"), "release");
  assert.throws(() => aggregatedType(null), TypeError);
});

test("renderActionUrl renders an action of the editor's array by name, and says why it cannot", () => {
  const config = [ACTION, { name: "board", entity_type: ["story"], url: "https://board.example/?ids={entity_ids}" }];
  const context = { entities: [{ id: "7", type: "story", name: "x" }] };
  assert.equal(renderActionUrl(config, context, { action: "board" }), "https://board.example/?ids=7");
  assert.equal(renderActionUrl(JSON.stringify(config), context, { action: "board" }), "https://board.example/?ids=7");
  for (const options of [undefined, { action: "bord" }]) {
    try {
      renderActionUrl(config, context, options);
      assert.fail("no error");
    } catch (error) {
      assert.equal(error.diagnostics.length, 1);
      assert.equal(error.diagnostics[0].code, "A0035");
      assert.match(error.message, options ? /no action named `bord`/ : /2 actions/);
      assert.match(error.diagnostics[0].help, options ? /did you mean `board`/ : /`defect-details`, `board`/);
    }
  }
  assert.throws(() => renderActionUrl(config, context, { action: 5 }), TypeError);
});

test("validateBundle: a URL into the uploaded bundle must name one of its files", () => {
  const config = JSON.stringify([
    { name: "foo", url: "{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/foo/foo.html?ids={entity_ids}" },
    { name: "bär", url: "{bundle_url}/bär/indéx.htm" },
    { name: "ext", url: "https://example.com/missing.html" },
  ]);
  const files = ["foo/foo.html", "bär/indéx.html", "common/lib.js"];
  const found = kit.validateBundle(files, config);
  assert.equal(found.length, 1);
  const [d] = found;
  assert.equal(d.code, "A0038");
  assert.equal(d.severity, "warning");
  assert.equal(d.path, "/1/url");
  assert.equal(config.slice(d.span.start, d.span.end), "bär/indéx.htm", "UTF-16 span of the missing file");
  assert.equal(d.help, "did you mean `bär/indéx.html`?");
  assert.match(d.rendered, /A0038/);
  // An object config, and every file present.
  assert.deepEqual(kit.validateBundle(["bär/indéx.htm"], JSON.parse(config)[1]), []);
  assert.throws(() => kit.validateBundle("foo.html", config), TypeError);
  assert.throws(() => kit.validateBundle([1], config), TypeError);
  assert.equal(kit.validateBundle([], "[1,")[0].code, "A0001");
});

test("renderActionUrlParts marks each substituted token, in UTF-16 offsets of the URL and the config", () => {
  const config = JSON.stringify({
    name: "née",
    title: "Détails 🐞",
    entity_type: ["defect"],
    single_entity: true,
    url: "https://app.example/ü/{entity.name}?ids={entity_ids}&ws={workspace}",
  });
  const context = { entities: [{ id: "7", type: "defect", name: "Käfer 🐞" }], workspace: "1002" };
  const parts = kit.renderActionUrlParts(config, context);
  assert.equal(parts.url, kit.renderActionUrl(config, context));
  assert.deepEqual(parts.substitutions.map((s) => s.token), ["entity.name", "entity_ids", "workspace"]);
  assert.deepEqual(parts.substitutions.map((s) => parts.url.slice(s.start, s.end)), [encodeURIComponent("Käfer 🐞"), "7", "1002"]);
  for (const s of parts.substitutions) assert.equal(config.slice(s.span.start, s.span.end), `{${s.token}}`);
  assert.throws(() => kit.renderActionUrlParts(config, { entities: [] }), (e) => e.diagnostics.length > 0);
});
