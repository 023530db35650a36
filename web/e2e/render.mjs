// Times the page's first render: navigation to the moment every view has drawn
// (body[data-ready]), in headless Chromium, for bench/serve.py. Prints JSON.
//   node web/e2e/render.mjs http://127.0.0.1:8080/
import { chromium } from "playwright-core";

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready]", { timeout: 120000 });
  const ms = Date.now() - t0;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const api = performance.getEntriesByType("resource").filter((r) => r.name.includes("/api/"));
    return { dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd), slowest_api_ms: Math.round(Math.max(0, ...api.map((r) => r.duration))) };
  });
  console.log(JSON.stringify({ ready_ms: ms, ...timing }));
} finally {
  await browser.close();
}
