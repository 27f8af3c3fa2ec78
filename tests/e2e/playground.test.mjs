// The playground in headless Chromium: it loads the package, and typing a
// query updates the canonical form, the grouping and the diagnostics.
// `cargo xtask test` serves the page and sets PLAYGROUND_URL.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/chromium.mjs";

const url = process.env.PLAYGROUND_URL;
let browser;
let page;
const pageErrors = [];

before(async () => {
  assert.ok(url, "PLAYGROUND_URL is set by `cargo xtask test`");
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(error));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
});

after(async () => {
  await browser?.close();
});

async function typeQuery(text) {
  await page.fill("#query", text);
}

test("the initial query is explained on load", async () => {
  assert.equal(await page.textContent("#canonical"), "name EQ ^x*^;(id GT 5||!owner EQ {null})");
  assert.equal(await page.textContent("#parenthesized"), "(name EQ ^x*^;(id GT 5||(!owner EQ {null})))");
  assert.equal(await page.textContent("#status"), "valid");
  assert.equal(await page.locator("#steps li").count(), 3);
});

test("typing another dialect shows its canonical form", async () => {
  await typeQuery("name='a';id>=5||b=true");
  assert.equal(await page.textContent("#canonical"), "name EQ ^a^;id GE 5||b EQ true");
  assert.equal(await page.textContent("#parenthesized"), "((name EQ ^a^;id GE 5)||b EQ true)");
  assert.match(await page.textContent("#summary"), /or b is true/);
});

test("errors are listed with code, UTF-16 span and frame", async () => {
  const source = "név EQ ^😀^;id == 5";
  await typeQuery(source);
  assert.equal(await page.textContent("#status"), "1 error");
  assert.equal(await page.textContent("#canonical"), "");
  const item = page.locator("#diagnostics li").first();
  assert.equal(await item.getAttribute("data-code"), "Q0008");
  const start = Number(await item.getAttribute("data-start"));
  const end = Number(await item.getAttribute("data-end"));
  assert.equal(source.slice(start, end), "==");
  assert.match(await item.textContent(), /error\[Q0008\]: `==` is not an operator/);
});

test("warnings keep the result", async () => {
  await typeQuery("id BTW 12…16");
  assert.equal(await page.textContent("#status"), "valid, 1 warning");
  assert.equal(await page.textContent("#canonical"), "id BTW 12...16");
  assert.equal(await page.locator("#diagnostics li.warning").count(), 1);
});

test("schema errors follow the chosen collection", async () => {
  await typeQuery("severity EQ ^High^");
  assert.equal(await page.locator("#diagnostics li").first().getAttribute("data-code"), "S0010");
  await page.selectOption("#entity", "releases");
  assert.equal(await page.locator("#diagnostics li").first().getAttribute("data-code"), "S0002");
  await page.selectOption("#entity", "defects");
});

test("a gallery flow runs on the sample workspace", async () => {
  await page.selectOption("#example", { index: 1 });
  assert.equal(await page.inputValue("#entity"), "stories");
  assert.match(await page.textContent("#result-count"), /^\d+ match/);
  assert.ok((await page.locator("#results tbody tr").count()) > 0);
  await typeQuery("id EQ 0");
  assert.equal(await page.textContent("#result-count"), "0 matches");
  await page.selectOption("#entity", "defects");
});

test("hostile input does not break the page", async () => {
  await typeQuery("(".repeat(20_000));
  assert.equal(await page.locator("#diagnostics li").first().getAttribute("data-code"), "Q0022");
  await typeQuery("id>5");
  assert.equal(await page.textContent("#canonical"), "id GT 5");
  assert.deepEqual(pageErrors, []);
});
