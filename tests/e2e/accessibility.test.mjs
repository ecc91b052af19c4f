// Accessibility: axe-core's audit (WCAG 2 A and AA) of the page finds no violation, at a desktop and a phone width, in English and Japanese, before and after training, with an explanation open, with the tour's card open, with its first-visit offer shown and with the twin run on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { serveDist, launch, openPage } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** axe's violations on the page as it is now, one line each. */
async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

for (const [name, options] of [
  ['desktop 1440×900', { width: 1440, height: 900 }],
  ['phone 390×844', { width: 390, height: 844, scale: 3, touch: true }],
  ['desktop 1440×900 in Japanese', { width: 1440, height: 900, locale: 'ja-JP' }],
  ['phone 390×844 in Japanese', { width: 390, height: 844, scale: 3, touch: true, locale: 'ja-JP' }],
]) {
  test(`the page has no accessibility violation on a ${name}, idle, after an epoch, with the code shown, with an explanation open and with the tour open`, async () => {
    const { page, errors } = await openPage(browser, server.url, options);
    assert.deepEqual(await violations(page), []);
    await page.locator('#btn-epoch').click();
    await page.locator('#btn-code').click();
    await page.locator('#btn-code[aria-pressed="true"]').waitFor();
    await page.waitForTimeout(100);
    assert.deepEqual(await violations(page), []);
    // A panel's ⓘ open (the loss curve's: its explanation lies over the chart on a desktop, in the panel on a phone).
    await page.locator('#btn-about-loss').click();
    await page.locator('#about-loss').waitFor();
    await page.waitForTimeout(100);
    assert.deepEqual(await violations(page), []);
    await page.keyboard.press('Escape');
    await page.locator('#btn-tour').click();
    await page.locator('#tour-count').filter({ hasText: '1 / 7' }).waitFor();
    assert.deepEqual(await violations(page), [], 'with the tour card open');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the tour\'s first-visit offer has no accessibility violation', async () => {
  const { page, errors } = await openPage(browser, server.url, { firstVisit: true });
  await page.locator('#tour-offer').waitFor();
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the twin run (its checkbox, chart and verdict) has no accessibility violation, on a desktop and on a Japanese phone', async () => {
  for (const options of [{ width: 1440, height: 900 }, { width: 390, height: 844, scale: 3, touch: true, locale: 'ja-JP' }]) {
    const { page, errors } = await openPage(browser, server.url + '#hidden_size=32&twin=true', options);
    for (let i = 0; i < 12; i++) await page.locator('#btn-epoch').click();
    await page.locator('#twin-verdict:not([hidden])').waitFor();
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the classroom and phone states have no accessibility violation: slow motion\'s beat, the code as a class expanded, Present mode on a phone, the phone\'s settings open', async () => {
  for (const locale of ['en-US', 'ja-JP']) {
    const { page, errors } = await openPage(browser, server.url, { locale });
    await page.locator('#in-slow').check();
    await page.locator('#sel-beat').waitFor();
    await page.locator('#btn-code').click();
    await page.locator('#btn-code-class').click();
    await page.locator('#btn-code-expand').click();
    await page.locator('#btn-step').click();
    await page.waitForTimeout(150);
    assert.deepEqual(await violations(page), [], `${locale}: beat, class view, expanded`);
    await page.close();
    const phone = await openPage(browser, server.url + '#present=true&twin=true', { width: 390, height: 844, scale: 3, touch: true, locale });
    await phone.page.locator('#btn-epoch').click();
    await phone.page.waitForTimeout(150);
    assert.deepEqual(await violations(phone.page), [], `${locale}: Present mode on a phone`);
    await phone.page.locator('#btn-present-exit').click();
    await phone.page.locator('#btn-settings').click();
    await phone.page.waitForTimeout(150);
    assert.deepEqual(await violations(phone.page), [], `${locale}: the phone's settings open`);
    assert.deepEqual([...errors, ...phone.errors], []);
    await phone.page.close();
  }
});
