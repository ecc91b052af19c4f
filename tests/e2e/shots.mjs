// Screenshots of the page in both languages at the desktop, projector and phone sizes, for a person to look at (not a test).
import { serveDist, launch, openPage, ARTIFACTS } from './harness.mjs';

const SIZES = [
  ['1440x900', { width: 1440, height: 900 }],
  ['1280x720', { width: 1280, height: 720 }],
  ['1920x1080', { width: 1920, height: 1080 }],
  // 1280×720 at 150 % zoom: 853×480 CSS pixels.
  ['zoom150', { width: 853, height: 480, scale: 1.5 }],
  ['phone', { width: 390, height: 844, scale: 3, touch: true }],
];
const server = await serveDist();
const browser = await launch();
try {
  for (const lang of ['en', 'ja']) {
    for (const [name, size] of SIZES) {
      const { page } = await openPage(browser, `${server.url}#lang=${lang}${process.argv[2] ?? ''}`, size);
      await page.locator('#btn-epoch').click();
      await page.locator('#btn-step').click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${ARTIFACTS}/shot-${lang}-${name}.png` });
      if (size.touch) {
        await page.locator('#panel-loss').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${ARTIFACTS}/shot-${lang}-${name}-loss.png` });
      }
      await page.context().close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
