// End-to-end: the learner's own sequence for Predict the next value, drawn with the mouse or a finger, or pasted; carried by a link; in both languages; audited by axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ARTIFACTS, cli, downloadRun, epochOf, eventually, hashParams, launch, openPage, pixels, serveDist } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const NEXT_VALUE = '#task=sine-next&training=bptt&input_size=1&seq_length=20&hidden_size=16&learning_rate=0.05&speed=11';

async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

/** The pad's box on the page. */
const padBox = (page) => page.locator('#canvas-draw').boundingBox();

/** A wave with a kink, as (x, y) points across the pad's box, left to right. */
function wave(box, n = 60) {
  return Array.from({ length: n }, (_, i) => {
    const f = i / (n - 1);
    const y = Math.sin(f * 4 * Math.PI) * 0.35 + (f > 0.6 ? 0.1 : 0);
    return [box.x + 4 + f * (box.width - 8), box.y + box.height * (0.5 - y)];
  });
}

/** Runs `n` epochs with Shift+→. */
async function epochs(page, n) {
  await page.locator('#status').click();
  for (let i = 0; i < n; i++) await page.keyboard.press('Shift+ArrowRight');
}

test('a curve drawn with the mouse becomes 200 values the run trains on, kept through a change of T and carried by a link', async () => {
  const { page, errors } = await openPage(browser, server.url + NEXT_VALUE);
  assert.equal(await page.locator('#field-series').isVisible(), true, 'the data selector shows for Predict the next value');
  await page.getByLabel('Data', { exact: true }).selectOption({ label: 'Draw your own' });
  await page.locator('#canvas-draw').waitFor();
  assert.match(await page.locator('#series-status').textContent(), /Nothing to use yet/);
  const points = wave(await padBox(page));
  await page.mouse.move(...points[0]);
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...p);
  await page.mouse.up();
  await eventually(async () => assert.match(await page.locator('#series-status').textContent(), /Training on your 200 values/));
  const series = (await hashParams(page)).series;
  assert.match(series, /^m-?\d+(,-?\d+){199}$/, 'the link holds the 200 values in thousandths');
  const values = series.slice(1).split(',').map((k) => Number(k) / 1000);
  assert.equal(Math.min(...values), -1);
  assert.equal(Math.max(...values), 1);
  assert.ok((await pixels(page, 'canvas-draw')).ink > 300, 'the pad shows the curve');
  await page.screenshot({ path: path.join(ARTIFACTS, 'series-drawn-1440.png'), fullPage: true });
  // Training: the output panel draws the series' true continuation past T.
  const before = await pixels(page, 'canvas-output');
  await epochs(page, 30);
  await eventually(async () => assert.equal(await epochOf(page), 31));
  assert.notEqual((await pixels(page, 'canvas-output')).hash, before.hash);
  // A change of T keeps the series.
  const seq = page.getByLabel('Sequence length', { exact: true });
  await seq.focus();
  await page.keyboard.press('ArrowRight');
  await eventually(async () => assert.equal((await hashParams(page)).seq_length, '21'));
  assert.equal((await hashParams(page)).series, series, 'the series stays when T changes');
  // The run file holds it, and the command line runs it to the same numbers.
  const { file, run } = await downloadRun(page, 'series');
  assert.deepEqual(run.config.series, values);
  const native = cli(file);
  assert.deepEqual(native.config.series, values);
  // The link opens the same series in a fresh browser.
  const link = await page.evaluate(() => location.href);
  const fresh = await openPage(browser, link);
  await eventually(async () => assert.equal((await hashParams(fresh.page)).series, series));
  assert.equal(await fresh.page.getByLabel('Data', { exact: true }).inputValue(), 'paste', 'a linked series shows as numbers');
  assert.match(await fresh.page.locator('#in-series').inputValue(), /^-?[\d.]+, /);
  assert.match(await fresh.page.locator('#series-status').textContent(), /Training on your 200 values/);
  assert.deepEqual(fresh.errors, []);
  await fresh.page.close();
  // Clear goes back to the built-in waves.
  await page.getByRole('button', { name: 'Clear' }).click();
  await eventually(async () => assert.equal((await hashParams(page)).series, undefined));
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone a finger draws on the pad instead of scrolling the page', async () => {
  const { page, errors, context } = await openPage(browser, server.url + NEXT_VALUE, { width: 390, height: 844, scale: 3, touch: true });
  await page.locator('#btn-settings').click();
  await page.getByLabel('Data', { exact: true }).selectOption('draw');
  await page.locator('#canvas-draw').scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  const points = wave(await padBox(page), 30);
  const cdp = await context.newCDPSession(page);
  const touch = (type, [x, y]) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await touch('touchStart', points[0]);
  for (const p of points.slice(1)) await touch('touchMove', p);
  await touch('touchEnd', points.at(-1));
  await eventually(async () => assert.match(await page.locator('#series-status').textContent(), /Training on your 200 values/));
  assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'the page did not scroll under the finger');
  assert.match((await hashParams(page)).series, /^m/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'series-phone-390.png'), fullPage: false });
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('pasted numbers are used as given, a bad paste is refused naming its first bad item, and nothing changes', async () => {
  const { page, errors } = await openPage(browser, server.url + NEXT_VALUE);
  await page.getByLabel('Data', { exact: true }).selectOption({ label: 'Paste numbers' });
  const box = page.getByLabel('Numbers, separated by commas, spaces or new lines');
  const use = page.getByRole('button', { name: 'Use these numbers' });
  const notices = page.locator('#notice-list');
  for (const [text, said] of [
    ['0.1, 0.2, wave, 0.4', /Item 3, "wave", is not a number/],
    ['0.5 1e309', /Item 2, "1e309", is not a finite number/],
    ['0.1 0.2 0.3', /Only 3 numbers: sequences of T = 20 steps need at least 21/],
    ['', /There is no number to use/],
  ]) {
    await box.fill(text);
    await use.click();
    await eventually(async () => assert.match(await notices.textContent(), said));
    assert.equal((await hashParams(page)).series, undefined, `${JSON.stringify(text)} changed nothing`);
  }
  await page.getByRole('button', { name: 'Dismiss' }).click();
  const numbers = Array.from({ length: 60 }, (_, k) => (2.5 * Math.sin(k / 4)).toFixed(2));
  await box.fill(numbers.slice(0, 30).join(', ') + '\n' + numbers.slice(30).join(' '));
  await use.click();
  await eventually(async () => assert.match(await page.locator('#series-status').textContent(), /Training on your 60 values/));
  assert.match(await notices.textContent(), /outside −1…1/);
  assert.equal((await hashParams(page)).series, 'm' + numbers.map((v) => Math.round(Number(v) * 1000)).join(','), 'used as given, not rescaled');
  await epochs(page, 3);
  await page.screenshot({ path: path.join(ARTIFACTS, 'series-pasted-1440.png'), fullPage: true });
  // T beyond the series is cut to fit (60 values hold windows of up to T = 59).
  const seq = page.getByLabel('Sequence length', { exact: true });
  await seq.focus();
  await page.keyboard.press('End');
  await eventually(async () => assert.equal((await hashParams(page)).seq_length, '59'));
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Japanese the data controls, the ⓘ and a refusal are in Japanese', async () => {
  const { page, errors } = await openPage(browser, server.url + NEXT_VALUE + '&lang=ja', { locale: 'ja-JP' });
  assert.equal(await page.locator('#sel-task option[value=sine-next]').textContent(), '次の値を予測');
  await page.getByLabel('データ', { exact: true }).selectOption('paste');
  await page.getByLabel('数値（コンマ、空白、改行で区切る）').fill('1, 2, 波');
  await page.getByRole('button', { name: 'この数値を使う' }).click();
  await eventually(async () => assert.match(await page.locator('#notice-list').textContent(), /3 番目の「波」は数値ではありません/));
  await page.locator('#btn-about-series').click();
  await eventually(async () => assert.match(await page.locator('#about-series').textContent(), /自分で曲線を描く/));
  await page.getByLabel('データ', { exact: true }).selectOption('draw');
  await page.screenshot({ path: path.join(ARTIFACTS, 'series-ja-1440.png'), fullPage: true });
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
