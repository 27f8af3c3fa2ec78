// Node tests of the app-side exports: ActionContext and octaneQuery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kit } from "../support/kit.mjs";

const { ActionContext, octaneQuery } = kit;

const URL_TEXT =
  "https://app.example/x?entity_ids=1003,4005&entity_type=work_item&shared_space=1004&workspace=1006&user_email=ada%40example.com&octane_url=https%3A%2F%2Foctane.example.com#dialog_id=7";

test("ActionContext.fromLocation reads query and fragment", () => {
  for (const location of [URL_TEXT, new URL(URL_TEXT)]) {
    const context = ActionContext.fromLocation(location);
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
    () => ActionContext.fromLocation("https://a/?shared_space=1&workspace=2&email={user_email}"),
    (e) => e.code === "X0001" && /`email`/.test(e.message) && typeof e.help === "string",
  );
  assert.throws(() => ActionContext.fromLocation("https://a/?workspace=2"), (e) => e.code === "X0002" && /shared_space/.test(e.message));
  // Node has no window.location: the error says what to pass.
  assert.throws(() => ActionContext.fromLocation(), /pass the app's URL/);
  assert.throws(() => ActionContext.fromLocation(42), TypeError);
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
