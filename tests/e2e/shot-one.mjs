// One screenshot for a person to look at: node tests/e2e/shot-one.mjs NAME 'HASH' [WxH] [clicks...]
import { serveDist, launch, openPage, ARTIFACTS } from './harness.mjs';
const [name, hash, size = '1440x900', ...clicks] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const server = await serveDist();
const browser = await launch();
try {
  const { page } = await openPage(browser, `${server.url}#${hash}`, { width, height });
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  for (const c of clicks) await page.locator(c).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${ARTIFACTS}/one-${name}.png`, fullPage: true });
} finally {
  await browser.close();
  server.close();
}
