// The student on a phone (390×844, touch): the charts come first with the controls behind Settings, the sizes have − and + buttons, the hidden state keeps legible cells at a large H, and the code pane stays reachable above the step bar; in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ARTIFACTS, eventually, hashParams, launch, openPage, serveDist } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844, scale: 3, touch: true };
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

for (const lang of ['en', 'ja']) {
  test(`on a phone (${lang}) the first chart starts on the first screen and the controls open from Settings`, async () => {
    const { page, errors } = await openPage(browser, `${server.url}#lang=${lang}`, PHONE);
    const first = await page.locator('#canvas-x').boundingBox();
    assert.ok(first.y + 40 < PHONE.height, `the first chart starts at ${first.y} px`);
    assert.equal(await page.locator('#in-hidden').isVisible(), false, 'the sliders wait behind Settings');
    for (const id of ['#btn-play', '#btn-step', '#btn-epoch']) assert.ok(await page.locator(id).isVisible(), `${id} stays at hand`);
    const settings = page.locator('#btn-settings');
    assert.equal(await settings.getAttribute('aria-expanded'), 'false');
    await page.screenshot({ path: path.join(ARTIFACTS, `phone-${lang}-first-screen.png`) });
    await settings.click();
    assert.equal(await settings.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.locator('#in-hidden').isVisible(), 'Settings opens the controls');
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), [], 'no accessibility violation with the settings open');
    await settings.click();
    assert.equal(await page.locator('#in-hidden').isVisible(), false, 'and folds them again');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('on a phone the sizes step by one with − and + (44 px targets), and the hidden state keeps cells of 8 px at H = 37', async () => {
  const { page, errors } = await openPage(browser, `${server.url}#hidden_size=36`, PHONE);
  await page.locator('#btn-settings').click();
  const more = page.getByRole('button', { name: 'One hidden unit more' });
  const box = await more.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `a 44 px target: ${JSON.stringify(box)}`);
  await more.tap();
  await eventually(async () => assert.equal((await hashParams(page)).hidden_size, '37'));
  assert.equal(await page.locator('#out-hidden').textContent(), '37');
  await page.getByRole('button', { name: 'One step shorter' }).tap();
  await eventually(async () => assert.equal((await hashParams(page)).seq_length, '9'));
  await page.getByRole('button', { name: 'One feature more' }).tap();
  await eventually(async () => assert.equal((await hashParams(page)).input_size, '6'));
  // One change each: the log holds three entries, not one per pixel of a swipe.
  assert.equal(((await hashParams(page)).log ?? '').split('~').length - 1, 3);
  // The hidden-state panel grows with H: 37 rows of at least 8 px each.
  const canvas = await page.locator('#canvas-hidden').boundingBox();
  assert.ok(canvas.height >= 37 * 8, `the hidden-state chart is ${canvas.height} px tall for 37 units`);
  await page.locator('#panel-hidden').screenshot({ path: path.join(ARTIFACTS, 'phone-hidden-37.png') });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('on a phone the code pane can be read to its end above the step bar', async () => {
  const { page, errors } = await openPage(browser, server.url, PHONE);
  await page.locator('#btn-code').tap();
  await page.locator('#btn-step').tap();
  await page.locator('#panel-eq').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(200);
  const [pane, bar] = [await page.locator('#equation').boundingBox(), await page.locator('#btn-step').boundingBox()];
  assert.ok(pane.y + pane.height <= bar.y, `the code pane ends above the step bar: ${JSON.stringify([pane, bar])}`);
  assert.ok(pane.height >= 200, `the code pane has room: ${pane.height} px`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-code-pane.png') });
  assert.deepEqual(errors, []);
  await page.context().close();
});
