// Present mode, as a teacher uses it: enter it with its button or a link, read every text and chart label from the back of the room (≥ 18 px), see charts on the first screen at 1280×720 and at 150 % zoom, choose the panels, step with the keyboard, leave with Esc; no accessibility violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ARTIFACTS, eventually, hashParams, launch, openPage, serveDist, status } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** The smallest font of any visible text on the page, with where it is, in CSS pixels. */
const smallestText = (page) => page.evaluate(() => {
  let least = { px: Infinity, what: '' };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < least.px) least = { px, what: `${el.tagName}#${el.id}.${el.className}: ${node.textContent.trim().slice(0, 40)}` };
  }
  return least;
});

/** The visible canvases with their boxes and the size their text was drawn at. */
const charts = (page) => page.evaluate(() => [...document.querySelectorAll('canvas')]
  .filter((c) => c.checkVisibility() && c.clientHeight > 0)
  .map((c) => {
    const r = c.getBoundingClientRect();
    return { id: c.id, top: r.top, bottom: r.bottom, left: r.left, right: r.right, textPx: Number(c.dataset.textPx) };
  }));

const onScreen = (box, { width, height }) => box.top >= 0 && box.left >= 0 && box.bottom <= height + 0.5 && box.right <= width + 0.5;

async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

for (const lang of ['en', 'ja']) {
  test(`Present at 1280×720 (${lang}): every text and chart label at least 18 px, two charts whole on the first screen, no violation`, async () => {
    const size = { width: 1280, height: 720 };
    const { page, errors } = await openPage(browser, `${server.url}#lang=${lang}`, size);
    await page.locator('#btn-epoch').click();
    await page.locator('#btn-present').click();
    await page.locator('body.present').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'btn-play', 'the keyboard lands on Play');
    await eventually(async () => assert.equal((await hashParams(page)).present, 'true'));
    await page.waitForTimeout(300);
    const least = await smallestText(page);
    assert.ok(least.px >= 18, `text at ${least.px} px: ${least.what}`);
    const shown = await charts(page);
    assert.ok(shown.length >= 2, JSON.stringify(shown));
    for (const c of shown) assert.ok(c.textPx >= 18, `${c.id} draws its text at ${c.textPx} px`);
    const whole = shown.filter((c) => onScreen(c, size));
    assert.ok(whole.length >= 2, `charts whole on the first screen: ${JSON.stringify(whole.map((c) => c.id))}`);
    // The controls are one row: Play, Step, Step epoch, the panels, Exit; nothing else shows.
    for (const id of ['#btn-play', '#btn-step', '#btn-epoch', '#btn-present-exit', '#btn-show-1']) assert.ok(await page.locator(id).isVisible(), id);
    for (const id of ['#btn-reset', '#in-hidden', '#sel-task', '#btn-download']) assert.equal(await page.locator(id).isVisible(), false, id);
    // One row: every visible control's box shares one horizontal band.
    const band = await page.evaluate(() => [...document.querySelectorAll('.controls button')].filter((b) => b.checkVisibility())
      .map((b) => b.getBoundingClientRect()).reduce((acc, r) => ({ top: Math.max(acc.top, r.top), bottom: Math.min(acc.bottom, r.bottom) }), { top: -Infinity, bottom: Infinity }));
    assert.ok(band.top < band.bottom, `the controls fold to one row: ${JSON.stringify(band)}`);
    await page.screenshot({ path: path.join(ARTIFACTS, `present-${lang}-1280x720.png`) });
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('Present mode by link, its panels chosen and kept in the link, stepped by keyboard, left with Esc', async () => {
  const size = { width: 1920, height: 1080 };
  const { page, errors } = await openPage(browser, `${server.url}#present=true&panels=2,4`, size);
  await page.locator('body.present').waitFor();
  assert.equal(await page.locator('#panel-hidden').isVisible(), true);
  assert.equal(await page.locator('#panel-x').isVisible(), false, 'panel 1 is not chosen');
  assert.equal(await page.locator('#btn-show-1').getAttribute('aria-pressed'), 'false');
  // Showing panel 6 and hiding panel 2: the link follows.
  await page.locator('#btn-show-6').click();
  await page.locator('#btn-show-2').click();
  await eventually(async () => assert.equal((await hashParams(page)).panels, '4,6'));
  assert.equal(await page.locator('#panel-hidden').isVisible(), false);
  assert.equal(await page.locator('#panel-grad').isVisible(), true);
  // The last panel shown cannot be hidden.
  await page.locator('#btn-show-4').click();
  await page.locator('#btn-show-6').click();
  await eventually(async () => assert.equal((await hashParams(page)).panels, '6'));
  assert.equal(await page.locator('#btn-show-6').getAttribute('aria-pressed'), 'true');
  // The keyboard: → one step, Shift+→ the epoch, Space plays and pauses.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowRight');
  await eventually(async () => assert.match(await status(page), /Epoch 1 · next: forward t = 2\//));
  await page.keyboard.press('Shift+ArrowRight');
  await eventually(async () => assert.match(await status(page), /Epoch 2 · next: forward t = 1\//));
  await page.keyboard.press(' ');
  await eventually(async () => assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'true'));
  await page.keyboard.press(' ');
  await page.screenshot({ path: path.join(ARTIFACTS, 'present-en-1920x1080.png') });
  await page.keyboard.press('Escape');
  await page.locator('body:not(.present)').waitFor();
  // The twin's distance gets room to be read: as tall as the loss curve in Present mode.
  await page.locator('#btn-present').click();
  await page.evaluate(() => document.getElementById('in-twin').click()); // its box is folded away in Present mode
  await page.locator('#btn-show-4').click();
  await page.locator('#canvas-twin:not([hidden])').waitFor();
  await page.waitForTimeout(200);
  const [lossBox, twinBox] = [await page.locator('#canvas-loss').boundingBox(), await page.locator('#canvas-twin').boundingBox()];
  assert.ok(twinBox.height >= 0.8 * lossBox.height && twinBox.height >= 150, `the twin's chart is ${twinBox.height} px tall beside the loss's ${lossBox.height}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'present-en-1920x1080-twin.png') });
  await page.keyboard.press('Escape');
  await page.locator('body:not(.present)').waitFor();
  assert.equal(await page.locator('#panel-x').isVisible(), true, 'every panel is back');
  assert.equal(await page.locator('#btn-reset').isVisible(), true, 'and every control');
  await eventually(async () => assert.equal((await hashParams(page)).present, undefined));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Present mode at 150 % zoom (853×480 CSS px) and on a phone: the step controls and a whole chart on the first screen', async () => {
  for (const [name, size] of [['zoom150', { width: 853, height: 480, scale: 1.5 }], ['phone', { width: 390, height: 844, scale: 3, touch: true }]]) {
    for (const lang of ['en', 'ja']) {
      const { page, errors } = await openPage(browser, `${server.url}#lang=${lang}&present=true`, size);
      await page.locator('#btn-epoch').click();
      await page.waitForTimeout(300);
      for (const id of ['#btn-play', '#btn-step', '#btn-epoch', '#btn-present-exit', '#btn-show-1']) {
        const box = await page.locator(id).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= size.height, `${name}: ${id} on the first screen: ${JSON.stringify(box)}`);
      }
      const whole = (await charts(page)).filter((c) => onScreen(c, size));
      assert.ok(whole.length >= 1, `${name}: no chart whole on the first screen`);
      assert.ok(whole.every((c) => c.textPx >= 18), JSON.stringify(whole));
      await page.screenshot({ path: path.join(ARTIFACTS, `present-${lang}-${name}.png`) });
      // Scrolled down, the step controls stay at hand.
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(200);
      const play = await page.locator('#btn-play').boundingBox();
      assert.ok(play.y >= 0 && play.y + play.height <= size.height, `${name}: Play scrolled away`);
      assert.deepEqual(errors, []);
      await page.context().close();
    }
  }
});
