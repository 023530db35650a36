// Browser test of the page sway serve embeds: builds a store from the bundled
// example corpus with the sway binary, serves it on loopback, drives headless
// Chromium (Debian's package) with playwright-core, and checks that clicking through
// timeline → event → evidence works and that the map and the balance chart show the
// numbers the API and the CLI give. Leaves a screenshot in web/e2e/artifacts/.
//
//   SWAY_BIN=target/debug/sway CHROMIUM=/usr/bin/chromium node web/e2e/run.mjs
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sway = resolve(root, process.env.SWAY_BIN || "target/debug/sway");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = join(root, "web", "e2e", "artifacts");
for (const [what, p] of [["sway binary (SWAY_BIN)", sway], ["Chromium (CHROMIUM)", browserPath]]) {
  if (!existsSync(p)) {
    console.error(`e2e: no ${what} at ${p}`);
    process.exit(2);
  }
}
mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "sway-e2e-"));
const db = join(work, "e2e.db");
const run = (...args) => execFileSync(sway, [...args, "--db", db], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
run("ingest", "examples/contest.jsonl", "examples/brief.txt");

// The figures the page must show, from the command line.
const cliBalance = JSON.parse(run("balance", "IRQ", "--powers", "USA,IRN", "--format", "json"));

const server = spawn(sway, ["serve", "--db", db, "--addr", "127.0.0.1:0"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
const base = await new Promise((ok, fail) => {
  let err = "";
  const timer = setTimeout(() => fail(new Error(`sway serve did not start: ${err}`)), 20000);
  server.stderr.on("data", (d) => {
    err += d;
    const m = /listening on (http:\/\/[^/\s]+\/)/.exec(err);
    if (m) {
      clearTimeout(timer);
      ok(m[1]);
    }
  });
  server.on("exit", (code) => fail(new Error(`sway serve exited (${code}): ${err}`)));
});
const api = async (path) => (await fetch(new URL(path, base))).json();

let browser;
const problems = [];
try {
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`);
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`request outside the server: ${r.url()}`);
  });

  const t0 = Date.now();
  await page.goto(base);
  await page.waitForSelector("body[data-ready]");
  const firstRender = Date.now() - t0;

  // Timeline: one bar per month from the first the API counts to the last, each
  // with the API's count.
  const timeline = await api("/api/timeline?by=month");
  const month = (p) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7));
  const span = month(timeline.rows.at(-1).period) - month(timeline.rows[0].period) + 1;
  assert.equal(await page.locator("#timeline g.bar").count(), span);
  for (const r of timeline.rows) {
    assert.equal(await page.getAttribute(`#timeline g.bar[data-period="${r.period}"]`, "data-events"), String(r.events));
  }

  // Map: Iraq shaded with the API's count.
  const map = await api("/api/map");
  const irq = map.countries.find((c) => c.country === "IRQ");
  assert.ok(irq && irq.events > 0, "the store has Iraqi events");
  assert.equal(await page.getAttribute('#map path[data-iso="IRQ"]', "data-events"), String(irq.events));
  assert.notEqual(await page.getAttribute('#map path[data-iso="IRQ"]', "fill"), "#e9ecef");

  // Balance: the table holds the CLI's figures, and the chart one point per figure.
  const shown = await page.$$eval("#balance-table tbody tr", (trs) => trs.map((tr) => [tr.dataset.period, tr.querySelector(".balance").textContent]));
  const expected = cliBalance.map((r) => [r.period, r.balance == null ? "" : (r.balance >= 0 ? "+" : "") + r.balance.toFixed(3)]);
  assert.deepEqual(shown, expected);
  assert.equal(await page.locator("#balance circle.point").count(), cliBalance.filter((r) => r.balance != null).length);
  const mean = cliBalance.filter((r) => r.balance != null).reduce((s, r, _, a) => s + r.balance / a.length, 0);
  assert.equal(await page.getAttribute("#balance-summary", "data-mean"), mean.toFixed(3));

  // Click a month on the timeline: the other views narrow to it.
  await page.click('#timeline g.bar[data-period="2020-12"]');
  await page.waitForSelector('#filters .chip[data-filter="since"]');
  await page.waitForFunction(() => document.querySelectorAll("#events li").length > 0);
  const dates = await page.$$eval("#events li > span.muted", (s) => s.map((x) => x.textContent.trim()));
  assert.ok(dates.length > 0 && dates.every((d) => d.startsWith("2020-12")), `December events only: ${dates}`);
  const december = await api("/api/events?since=2020-12-01&until=2020-12-31&limit=500");
  assert.equal(dates.length, december.events.length);

  // Click an event: its sentence opens, highlighted, with the trigger inside.
  await page.click("#events li >> nth=0");
  await page.waitForSelector("#evidence mark#hl");
  const first = december.events[0];
  assert.equal((await page.textContent("#evidence mark#hl")).trim(), first.evidence.text.trim());
  assert.equal(await page.textContent("#evidence mark#hl strong"), first.trigger.text);
  await page.screenshot({ path: join(artifacts, "evidence.png"), fullPage: true });

  // A balance point lists the events behind its figure and opens the first.
  await page.click("#clear");
  await page.waitForFunction(() => !document.querySelector("#filters .chip"));
  await page.waitForSelector('#balance circle.point[data-period="2020-12"]');
  await page.click('#balance circle.point[data-period="2020-12"]');
  await page.waitForFunction(() => /balance 2020-12: \d+ event/.test(document.querySelector("#events-caption").textContent));
  const dec = cliBalance.find((r) => r.period === "2020-12");
  const ids = new Set(dec.standings.flatMap((s) => s.event_ids));
  const listed = await page.$$eval("#events li", (lis) => lis.map((li) => li.dataset.event));
  assert.deepEqual(new Set(listed), ids);
  await page.waitForSelector("#evidence mark#hl");

  // A network node filters by that actor.
  const node = await page.getAttribute("#network g.node >> nth=0", "data-id");
  await page.click("#network g.node >> nth=0 >> circle");
  await page.waitForSelector(`#filters .chip[data-filter="actor"]`);
  assert.equal((await page.textContent('#filters .chip[data-filter="actor"]')).trim(), `actor: ${node}`);

  // A judgment opens its sentence.
  const judgments = await api("/api/judgments");
  assert.equal(await page.locator("#judgments li[data-judgment]").count(), judgments.length);
  if (judgments.length) {
    await page.click("#judgments li[data-judgment] >> nth=0");
    await page.waitForFunction((t) => document.querySelector("#evidence mark#hl")?.textContent.trim() === t, judgments[0].judgment.evidence.text.trim());
  }

  await page.click("#clear");
  await page.waitForFunction(() => !document.querySelector("#filters .chip"));
  await page.screenshot({ path: join(artifacts, "page.png"), fullPage: true });
  assert.deepEqual(problems, []);
  console.log(`e2e: ok (first render ${firstRender} ms; screenshots in web/e2e/artifacts/)`);
} finally {
  if (browser) await browser.close();
  server.kill("SIGINT");
  rmSync(work, { recursive: true, force: true });
}
