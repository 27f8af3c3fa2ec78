// The playground as a user meets it, in headless Chromium: the bytes of a
// first load (gzip), the time until the page answers typing, and the time
// from a keystroke to the editor painted and to every panel painted for a
// 2 KB query (median and p95 over 200 keystrokes; the panels follow from
// the engine's worker, and the page marks the wait with `data-pending`). Reads the static build in target/playground;
// writes target/bench/playground.json and playground.md. Figures only:
// nothing fails on a number.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../../../tests/support/chromium.mjs";
import { listen, port, serveFile } from "../../../tests/support/server.mjs";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const site = join(root, "target/playground");
const out = join(root, "target/bench");
mkdirSync(out, { recursive: true });

const served = [];
const server = await listen(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  const file = join(site, path === "/" ? "index.html" : path);
  if (await serveFile(response, site, path)) {
    served.push({ path, raw: readFileSync(file).length, gzip: gzipSync(readFileSync(file), { level: 9 }).length });
  } else response.writeHead(404).end();
});
const base = `http://127.0.0.1:${port(server)}/`;
const browser = await launchChromium();

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

// First load, cold cache: bytes and the time until the page answers.
const loads = [];
for (let run = 0; run < 5; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  served.length = 0;
  await page.goto(base);
  await page.waitForSelector("body[data-ready=true]");
  // Ready, then one keystroke answered: the editor takes it and the panels follow.
  const ready = await page.evaluate(() => performance.now());
  await page.click(".cm-content");
  await page.keyboard.press("End");
  await page.keyboard.type(" ");
  const answered = await page.evaluate(() => performance.now());
  loads.push({ ready, answered, bytes: served.reduce((n, f) => n + f.gzip, 0), raw: served.reduce((n, f) => n + f.raw, 0), files: served.length });
  await context.close();
}

// Keystrokes on a 2 KB query: a key's time runs from its keydown to the
// first task after the frame that paints the editor, and to the first task
// after the frame that paints the panels (once nothing is pending).
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(base);
await page.waitForSelector("body[data-ready=true]");
const phrases = [];
for (let i = 0; phrases.join(";").length < 2000; i++) {
  phrases.push(i % 3 === 0 ? `(severity EQ {id EQ ^list_node.severity.high^}||!owner EQ {null})` : i % 3 === 1 ? `name EQ ^Defect ${i}*^` : `id GT ${i}`);
}
const query = phrases.join(";");
await page.evaluate(() => {
  window.__latencies = [];
  window.__panels = [];
  // The page keeps only its last update's measures: collect them all.
  window.__measures = [];
  new PerformanceObserver((list) => window.__measures.push(...list.getEntries().map((e) => [e.name, e.duration]))).observe({ type: "measure" });
  document.addEventListener(
    "keydown",
    (event) => {
      const start = event.timeStamp;
      requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - start)));
      // The panels: the first frame after the page stops waiting on the engine.
      const panels = () =>
        requestAnimationFrame(() => {
          if (document.body.dataset.pending) panels();
          else setTimeout(() => window.__panels.push(performance.now() - start));
        });
      // The edit reaches the page after this listener: look from the next task.
      setTimeout(panels);
    },
    true,
  );
});
await page.click(".cm-content");
await page.keyboard.press("Control+a");
await page.keyboard.insertText(query);
await page.keyboard.press("End");
await page.waitForTimeout(500);
await page.evaluate(() => {
  window.__latencies.length = 0;
  window.__panels.length = 0;
  window.__measures.length = 0;
});
// One key at a time: the next is pressed once the last one is painted.
for (let i = 0; i < 200; i++) {
  await page.keyboard.press(i % 2 ? "Backspace" : "x");
  await page.waitForFunction((n) => window.__latencies.length >= n && window.__panels.length >= n, i + 1);
}
const latencies = await page.evaluate(() => window.__latencies);
const panels = await page.evaluate(() => window.__panels);
const parts = await page.evaluate(() => {
  const totals = {};
  for (const [name, duration] of window.__measures) totals[name] = (totals[name] ?? 0) + duration;
  const count = window.__measures.filter(([name]) => name === "update").length;
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v / count]));
});
await browser.close();
server.close();

const medianOf = (key) => quantile(loads.map((l) => l[key]), 0.5);
const report = {
  cores: availableParallelism(),
  firstLoad: { gzipBytes: medianOf("bytes"), rawBytes: medianOf("raw"), files: loads[0].files, readyMs: medianOf("ready"), answersTypingMs: medianOf("answered") },
  keystroke: {
    queryLength: query.length,
    count: latencies.length,
    medianMs: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    maxMs: Math.max(...latencies),
    panels: { medianMs: quantile(panels, 0.5), p95Ms: quantile(panels, 0.95), maxMs: Math.max(...panels) },
    parts,
  },
};
writeFileSync(join(out, "playground.json"), JSON.stringify(report, null, 2));
const md = [
  "## The playground in Chromium",
  "",
  `Machine: ${report.cores} cores. Static build served from loopback, cold cache, median of 5 loads.`,
  "",
  "| figure | value |",
  "|---|---|",
  `| first load, transferred (gzip) | ${(report.firstLoad.gzipBytes / 1024).toFixed(1)} KiB in ${report.firstLoad.files} files (${(report.firstLoad.rawBytes / 1024).toFixed(1)} KiB raw) |`,
  `| navigation to ready (wasm loaded, panels drawn) | ${report.firstLoad.readyMs.toFixed(0)} ms |`,
  `| navigation to first keystroke answered | ${report.firstLoad.answersTypingMs.toFixed(0)} ms |`,
  `| keystroke to the editor painted, ${report.keystroke.queryLength}-character query, ${report.keystroke.count} keys | median ${report.keystroke.medianMs.toFixed(1)} ms, p95 ${report.keystroke.p95Ms.toFixed(1)} ms, max ${report.keystroke.maxMs.toFixed(1)} ms |`,
  `| keystroke to all panels painted, the same keys | median ${report.keystroke.panels.medianMs.toFixed(1)} ms, p95 ${report.keystroke.panels.p95Ms.toFixed(1)} ms, max ${report.keystroke.panels.maxMs.toFixed(1)} ms |`,
  `| of which the engine's work in its worker (mean) | ${(parts.engine ?? 0).toFixed(1)} ms |`,
  `| of which the panels' drawing on the page's thread (mean) | ${(parts.update ?? 0).toFixed(1)} ms |`,
  "",
  "The panels' work per keystroke, mean by part (ms):",
  "",
  "| part | ms |",
  "|---|---|",
  ...Object.entries(parts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `| ${k} | ${v.toFixed(2)} |`),
  "",
];
writeFileSync(join(out, "playground.md"), md.join("\n"));
console.log(md.join("\n"));
