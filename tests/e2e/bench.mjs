// Runs the in-page benchmark (`?bench`) in headless Chromium and prints its JSON with the
// first-frame time. Used by scripts/bench.sh; not a test (timings are never asserted).
import { serveDist, launch, openPage } from './harness.mjs';

const server = await serveDist();
const browser = await launch();
try {
  const { page, errors } = await openPage(browser, server.url + '?bench');
  await page.waitForFunction(() => document.getElementById('bench-result').textContent.length > 0, null, { timeout: 60000 });
  const result = JSON.parse(await page.locator('#bench-result').textContent());
  result.first_frame_ms = Number(await page.evaluate(() => document.body.dataset.firstFrameMs));
  result.console_errors = errors.length;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  server.close();
}
