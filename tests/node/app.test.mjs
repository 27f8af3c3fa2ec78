// Node tests of the app-side exports: ActionContext and octaneQuery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

const { ActionContext, octaneQuery } = kit;

const URL_TEXT =
  "https://app.example/x?entity_ids=1003,4005&entity_type=work_item&shared_space=1004&workspace=1006&user_email=ada%40example.com&octane_url=https%3A%2F%2Foctane.example.com#dialog_id=7";

test("ActionContext.fromLocation reads query and fragment", () => {
  for (const location of [URL_TEXT, new URL(URL_TEXT)]) {
    const context = ActionContext.fromLocation(location, { octaneOrigins: ["https://octane.example.com"] });
    assert.deepEqual(context.entityIds, ["1003", "4005"]);
    assert.equal(context.entityType, "work_item");
    assert.equal(context.sharedSpace, "1004");
    assert.equal(context.workspace, "1006");
    assert.equal(context.userEmail, "ada@example.com");
    assert.equal(context.dialogId, "7");
    assert.equal(context.octaneOrigin, "https://octane.example.com");
    assert.equal(context.params.entity_type, "work_item");
  }
});

test("ActionContext errors name the parameter", () => {
  assert.throws(
    () => ActionContext.fromLocation("https://a/?shared_space=1&workspace=2&user_email={user_email}"),
    (e) => e.code === "X0001" && /`user_email`/.test(e.message) && typeof e.help === "string",
  );
  // A parameter the context does not read may hold anything, tokens included.
  const titled = ActionContext.fromLocation("https://a/?shared_space=1&workspace=2&title=Read+{workspace}+docs");
  assert.equal(titled.params.title, "Read {workspace} docs");
  assert.throws(() => ActionContext.fromLocation("https://a/?workspace=2"), (e) => e.code === "X0002" && /shared_space/.test(e.message));
  // Node has no window.location: the error says what to pass.
  assert.throws(() => ActionContext.fromLocation(), /pass the app's URL/);
  assert.throws(() => ActionContext.fromLocation(42), TypeError);
});

test("the app trusts only the Octane it pins; a parameter counts once; ids are ids", () => {
  const code = (fn) => { try { fn(); } catch (e) { return e.code; } return "none"; };
  // By default only the app's own origin is trusted.
  const error = (() => { try { ActionContext.fromLocation(URL_TEXT); } catch (e) { return e; } })();
  assert.equal(error.code, "X0009");
  assert.match(error.message, /https:\/\/octane\.example\.com as Octane/);
  assert.match(error.help, /octaneOrigins/);
  const served = "https://octane.example.com/api/shared_spaces/1004/external-entity-actions/bundle/a/a.html?shared_space=1004&workspace=1006&octane_url=https%3A%2F%2Foctane.example.com";
  assert.equal(ActionContext.fromLocation(served).octaneOrigin, "https://octane.example.com");
  assert.equal(code(() => ActionContext.fromLocation(URL_TEXT, { octaneOrigins: ["https://octane.example.com/x"] })), "X0008");
  assert.throws(() => ActionContext.fromLocation(URL_TEXT, { octaneOrigins: "https://octane.example.com" }), TypeError);
  const pinned = { octaneOrigins: ["https://octane.example.com"] };
  assert.equal(code(() => ActionContext.fromLocation(`${URL_TEXT}&octane_url=https%3A%2F%2Fevil.example`, pinned)), "X0010");
  assert.equal(code(() => ActionContext.fromLocation(`${URL_TEXT}&octane_url=x`.replace("#dialog_id=7", "") + "#octane_url=https%3A%2F%2Fevil.example", pinned)), "X0010");
  assert.equal(code(() => ActionContext.fromLocation(URL_TEXT.replace("workspace=1006", "workspace=.."), pinned)), "X0011");
  assert.equal(code(() => ActionContext.fromLocation(URL_TEXT.replace("shared_space=1004", "shared_space=%2e%2e"), pinned)), "X0011");
  assert.equal(code(() => ActionContext.fromLocation(URL_TEXT.replace("entity_ids=1003", "entity_ids=.."), pinned)), "X0011");
  // Origins are the platform URL parser's: an IDN host, a :0443 port and
  // a trailing slash name one origin; an octane_url with a query or
  // fragment (which would swallow the API path) is refused.
  const idn = `${URL_TEXT.replace("octane.example.com", "b%C3%BCcher.example%3A0443%2F")}`;
  const context = ActionContext.fromLocation(idn, { octaneOrigins: ["https://xn--bcher-kva.example"] });
  assert.equal(context.octaneOrigin, "https://xn--bcher-kva.example");
  assert.equal(ActionContext.fromLocation(idn, { octaneOrigins: ["https://bücher.example:443/"] }).octaneOrigin, "https://xn--bcher-kva.example");
  for (const tail of ["%23", "%3Fa%3D1", "%2F%23x"]) {
    assert.equal(code(() => ActionContext.fromLocation(URL_TEXT.replace("octane.example.com", `octane.example.com${tail}`), pinned)), "X0012", tail);
  }
  // A client id that would climb out of its segment is refused before any request.
  assert.equal(code(() => kit.collectionPath("defects", { id: ".." })), "X0011");
  assert.equal(code(() => kit.collectionPath("defects", { id: "%2e%2e" })), "X0011");
  assert.equal(kit.collectionPath("defects", { id: 1001, fields: ["name"] }), "defects/1001?fields=name");
});

test("octaneQuery: values become literals and cannot change the structure", () => {
  const evil = "x^;id GT 0||name EQ ^y";
  assert.equal(octaneQuery`name EQ ${evil};id GT ${5}`, "name EQ ^x\\^;id GT 0||name EQ \\^y^;id GT 5");
  assert.equal(octaneQuery`id IN ${[1, "2", 3]}`, "id IN 1,^2^,3");
  assert.equal(octaneQuery`flag EQ ${true};closed_on EQ ${null}`, "flag EQ true;closed_on EQ null");
  assert.equal(octaneQuery`creation_time GT ${new Date(Date.UTC(2026, 10, 20, 12))}`, "creation_time GT ^2026-11-20T12:00:00.000Z^");
  assert.equal(octaneQuery`name EQ ${'quote " and \\ backslash'}`, 'name EQ ^quote \\" and \\\\ backslash^');
  assert.throws(() => octaneQuery`name EQ ${"a*"}`, (e) => e.diagnostics[0].code === "X0005");
  assert.throws(() => octaneQuery`id EQ ${NaN}`, (e) => e.diagnostics[0].code === "X0005");
  assert.throws(() => octaneQuery`id IN ${[]}`, (e) => e.diagnostics[0].code === "X0005");
  assert.throws(() => octaneQuery`id EQ ${{}}`, TypeError);
  assert.throws(() => octaneQuery`id == ${1}`, (e) => e.diagnostics[0].code === "Q0008");
});
