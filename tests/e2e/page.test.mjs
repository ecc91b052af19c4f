// End-to-end: drive the built page in headless Chromium as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, cli, downloadRun, epochOf, eventually, hashParams, launch, openPage, pixels, serveDist, status, statusIs } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** Drags a range slider's thumb to `fraction` of its track with the mouse. */
async function drag(page, id, fraction) {
  const el = page.locator(`#${id}`);
  const box = await el.boundingBox();
  const { value, min, max } = await el.evaluate((e) => ({ value: +e.value, min: +e.min, max: +e.max }));
  const y = box.y + box.height / 2;
  const thumb = 8;
  const xAt = (f) => box.x + thumb + f * (box.width - 2 * thumb);
  await page.mouse.move(xAt((value - min) / (max - min)), y);
  await page.mouse.down();
  await page.mouse.move(xAt((value - min) / (max - min) * 0.5 + fraction * 0.5), y, { steps: 4 });
  await page.mouse.move(xAt(fraction), y, { steps: 4 });
  await page.mouse.up();
  await page.waitForTimeout(80);
}

test('the page loads with no console error and shows every panel', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await statusIs(page, /^Epoch 1 · next: forward t = 1\/10 · loss — · paused$/);
  for (const id of ['canvas-x', 'canvas-hidden', 'canvas-output', 'canvas-loss', 'canvas-weights', 'canvas-grad']) {
    assert.ok((await pixels(page, id)).ink > 100, `${id} has something drawn`);
  }
  const first = Number(await page.evaluate(() => document.body.dataset.firstFrameMs));
  fs.writeFileSync(path.join(ARTIFACTS, 'first-frame-ms.txt'), `${first}\n`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Step runs one micro-step at a time and the loss curve appears after an epoch', async () => {
  const { page, errors } = await openPage(browser, server.url);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  const lossBefore = await pixels(page, 'canvas-loss');
  await step.click();
  await statusIs(page, /next: forward t = 2\/10/);
  await eventually(async () => assert.match(await page.locator('#equation').textContent(), /a1 = Wx x1 \+ Wh h0 \+ b/));
  for (let i = 0; i < 9; i++) await step.click();
  await statusIs(page, /next: loss/);
  await step.click();
  await statusIs(page, /next: backward t = 10\/10 · loss \d\.\d{6}/);
  await step.click();
  await step.click();
  await statusIs(page, /^Epoch 2 · next: forward t = 1\/10/);
  await eventually(async () => {
    const lossAfter = await pixels(page, 'canvas-loss');
    assert.notEqual(lossAfter.hash, lossBefore.hash);
    assert.ok(lossAfter.ink > 50, 'the loss canvas is not blank');
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Play becomes Pause while playing, Step epoch finishes the epoch, Reset and New data', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await statusIs(page, /playing/);
  await page.waitForTimeout(400);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await statusIs(page, /paused/);
  const played = await epochOf(page);
  assert.ok(played > 5, `epochs advanced while playing (${played})`);

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await eventually(async () => assert.equal(await epochOf(page), played + 1));
  await statusIs(page, /next: forward t = 1\/10/);

  const x = await pixels(page, 'canvas-x');
  await page.getByRole('button', { name: 'New data' }).click();
  await eventually(async () => assert.notEqual((await pixels(page, 'canvas-x')).hash, x.hash, 'new inputs are drawn'));

  await page.getByRole('button', { name: 'Reset' }).click();
  await statusIs(page, /^Epoch 1 · next: forward t = 1\/10 · loss — /);
  await eventually(async () => assert.ok((await pixels(page, 'canvas-loss')).ink > 50, 'the previous run stays faintly on the loss chart'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: Space plays and pauses, → steps, Shift+→ steps an epoch, R resets', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.keyboard.press('ArrowRight');
  await statusIs(page, /next: forward t = 2\/10/);
  await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^Epoch 2 · next: forward t = 1\/10/);
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.waitForTimeout(200);
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Play' }).waitFor();
  assert.ok((await epochOf(page)) > 2);
  await page.keyboard.press('r');
  await statusIs(page, /^Epoch 1 · next: forward t = 1\/10/);
  // After clicking a button, Space still means Play/Pause rather than pressing that button again.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Play' }).waitFor();
  // A button reached with Tab is pressed by Space, as a keyboard user expects.
  await page.getByRole('button', { name: 'Step epoch' }).focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Step');
  const before = await status(page);
  await page.keyboard.press(' ');
  await eventually(async () => assert.notEqual(await status(page), before, 'Space pressed the focused Step button'));
  assert.match(await status(page), /· paused$/, 'and did not start Play');
  await page.getByRole('button', { name: 'Play' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging each slider changes what is drawn and the URL', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.keyboard.press('Shift+ArrowRight'); // one epoch, so the loss chart can show markers
  const sliders = [
    { id: 'in-seq', key: 'seq_length', canvas: 'canvas-x', to: 0.3 },
    { id: 'in-input', key: 'input_size', canvas: 'canvas-x', to: 0.5 },
    { id: 'in-hidden', key: 'hidden_size', canvas: 'canvas-weights', to: 0.2 },
    { id: 'in-lr', key: 'learning_rate', canvas: 'canvas-loss', to: 0.8 },
    { id: 'in-speed', key: 'speed', canvas: null, to: 0.9 },
  ];
  for (const s of sliders) {
    const before = { url: await hashParams(page), out: await page.locator(`#${s.id} + output`).textContent() };
    const drawn = s.canvas && (await pixels(page, s.canvas));
    await drag(page, s.id, s.to);
    const url = await eventually(async () => {
      const url = await hashParams(page);
      assert.notEqual(url[s.key], before.url[s.key], `${s.key} changed in the URL`);
      return url;
    });
    const out = await eventually(async () => {
      const out = await page.locator(`#${s.id} + output`).textContent();
      assert.notEqual(out, before.out, `${s.id} shows its new value`);
      return out;
    });
    if (s.canvas) await eventually(async () => assert.notEqual((await pixels(page, s.canvas)).hash, drawn.hash, `${s.canvas} redrawn`));
    const shown = s.key === 'speed' ? out : url[s.key];
    assert.ok(out.startsWith(shown) || shown.startsWith(out), `label ${out} matches ${s.key}=${url[s.key]}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'after-sliders.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the training mode and the seed change live and go into the URL', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.getByLabel('Training').selectOption({ label: 'Full BPTT' });
  await eventually(async () => assert.equal((await hashParams(page)).training, 'bptt'));
  for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowRight');
  await statusIs(page, /next: backward t = 7\/10/);
  await eventually(async () => assert.match(await page.locator('#equation').textContent(), /dh7 = Whᵀ da8/));

  const x = await pixels(page, 'canvas-x');
  const seed = page.getByLabel('Seed', { exact: true });
  await seed.fill('7');
  await seed.press('Enter');
  await eventually(async () => assert.equal((await hashParams(page)).seed, '7'));
  await eventually(async () => assert.notEqual((await pixels(page, 'canvas-x')).hash, x.hash, 'a new seed draws new inputs'));

  await seed.fill('-3');
  await seed.press('Enter');
  await page.locator('#notices').waitFor();
  assert.match(await page.locator('#notices').textContent(), /not a whole number/);
  assert.equal((await hashParams(page)).seed, '7');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with settings reproduces them, with the same numbers as the command line', async () => {
  const hash = '#seq_length=20&input_size=3&hidden_size=16&learning_rate=0.05&seed=7&training=bptt&speed=3';
  const { page, errors } = await openPage(browser, server.url + hash);
  await eventually(async () => assert.equal(await page.locator('#out-seq').textContent(), '20'));
  assert.equal(await page.locator('#out-input').textContent(), '3');
  assert.equal(await page.locator('#out-hidden').textContent(), '16');
  assert.equal(await page.locator('#out-lr').textContent(), '0.05');
  assert.equal(await page.locator('#out-speed').textContent(), '10 steps/s');
  assert.equal(await page.getByLabel('Training').inputValue(), 'bptt');
  assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '7');
  assert.equal(await page.getByLabel('Hidden size').inputValue(), '16');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  const { file, run } = await downloadRun(page);
  // The command line draws the same x, y and weights from the same seed.
  const spec = path.join(ARTIFACTS, 'link-spec.json');
  fs.writeFileSync(spec, JSON.stringify({ format: run.format, config: run.config }));
  const fromSeed = cli(spec);
  assert.deepEqual(run.x, fromSeed.x);
  assert.deepEqual(run.init, fromSeed.init);
  assert.deepEqual(run.losses, fromSeed.losses);
  assert.deepEqual(cli(file).final, run.final);
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad links show a notice and never an error', async () => {
  const { page, errors } = await openPage(browser, server.url + '#hidden_size=99999&input_size=abc&colour=red&learning_rate=-1&training=adam&seed=x');
  await page.locator('#notices').waitFor();
  const notices = await page.locator('#notices').textContent();
  for (const word of ['hidden_size', 'input_size', 'colour', 'learning_rate', 'training', 'seed']) assert.match(notices, new RegExp(word));
  await eventually(async () => assert.equal(await page.locator('#out-hidden').textContent(), '128'));
  await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^Epoch 2/);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.locator('#notices').waitFor({ state: 'hidden' });
  // A hash typed by hand later is applied too.
  await page.evaluate(() => { location.hash = '#seq_length=7&input_size=0'; });
  await page.waitForFunction(() => document.getElementById('out-seq').textContent === '7');
  assert.equal(await page.locator('#out-input').textContent(), '1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a few seconds of Play with Full BPTT on the seed setup lower the loss', async () => {
  const { page, errors } = await openPage(browser, server.url + '#training=bptt&learning_rate=0.1&speed=6');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(3000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const { run } = await downloadRun(page);
  assert.ok(run.losses.length > 50, `epochs advanced (${run.losses.length})`);
  assert.ok(run.losses.at(-1) < 0.8 * run.losses[0], `loss fell from ${run.losses[0]} to ${run.losses.at(-1)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the downloaded run file gives the same numbers on the command line, across live changes', async () => {
  const { page, errors } = await openPage(browser, server.url);
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
  await drag(page, 'in-lr', 0.75);
  await page.locator('#status').click(); // arrows on a focused slider move the slider, as they should
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
  const { file, run } = await downloadRun(page);
  assert.equal(run.config.epochs, 5, 'the run began at the change of learning rate');
  assert.ok(run.h0, 'seed training carried its hidden state into the run');
  const replayed = cli(file);
  assert.deepEqual(replayed.losses, run.losses);
  assert.deepEqual(replayed.grads, run.grads);
  assert.deepEqual(replayed.final, run.final);
  assert.deepEqual(errors, []);
  await page.close();
});

test('divergence pauses, names the first bad number and offers Reset', async () => {
  const { page, errors } = await openPage(browser, server.url);
  const spec = {
    format: 'rnn-playground.run/1',
    config: { seq_length: 4, input_size: 2, hidden_size: 3, learning_rate: 0.01, epochs: 10, seed: 1, task: 'random-target', training: 'bptt' },
    x: [[0.1, 0.2], [1, 2], [3, 4], [5, 6]],
    init: { wx: [[1e308, 1e308], [1e308, 1e308], [1e308, 1e308]], wh: [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]], b: [0, 0, 0] },
  };
  const file = path.join(ARTIFACTS, 'diverging.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  await page.locator('#file-open').setInputFiles(file);
  await page.locator('#notices').waitFor();
  assert.match(await page.locator('#notices').textContent(), /Opened diverging\.json/);
  await page.getByRole('button', { name: 'Play' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Training stopped' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /a_2 became NaN or infinite in epoch 1, forward step at t = 2/);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'divergence.png') });
  await page.getByRole('button', { name: 'Reset weights' }).click();
  await alert.waitFor({ state: 'hidden' });
  await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^Epoch 2/);

  // A broken file is a notice, and the run goes on untouched.
  const bad = path.join(ARTIFACTS, 'broken.json');
  fs.writeFileSync(bad, '{"format": "rnn-playground.run/1", "config": {"seq_length": -1}}');
  await page.locator('#file-open').setInputFiles(bad);
  await page.locator('#notice-list li', { hasText: 'broken.json was not opened' }).waitFor();
  await statusIs(page, /^Epoch 2/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('New data after Reset still draws new inputs', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.keyboard.press('Shift+ArrowRight');
  await page.getByRole('button', { name: 'Reset' }).click();
  const x = await pixels(page, 'canvas-x');
  await page.getByRole('button', { name: 'New data' }).click();
  await eventually(async () => assert.notEqual((await pixels(page, 'canvas-x')).hash, x.hash));
  assert.deepEqual(errors, []);
  await page.close();
});

test('one drag of a slider is one change: the run, its log and its marker hold the value let go at', async () => {
  const { page, errors } = await openPage(browser, server.url + '#speed=5');
  await page.keyboard.press('Shift+ArrowRight');
  await page.getByRole('button', { name: 'Play' }).click();
  const el = page.locator('#in-hidden');
  const box = await el.boundingBox();
  const { min, max } = await el.evaluate((e) => ({ min: +e.min, max: +e.max }));
  const y = box.y + box.height / 2;
  const xAt = (v) => box.x + 8 + ((v - min) / (max - min)) * (box.width - 16);
  await page.mouse.move(xAt(10), y);
  await page.mouse.down();
  // A slow drag through many sizes while the run plays on.
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(xAt(10 + 2 * i), y);
    await page.waitForTimeout(60);
  }
  const during = await page.locator('#out-hidden').textContent();
  assert.notEqual(during, '10', 'the value beside the slider follows the drag');
  assert.equal((await hashParams(page)).hidden_size, '10', 'the run has not changed yet');
  await page.mouse.up();
  await page.getByRole('button', { name: 'Pause' }).click();
  const params = await eventually(async () => {
    const p = await hashParams(page);
    assert.notEqual(p.hidden_size, '10');
    return p;
  });
  assert.equal(await page.locator('#out-hidden').textContent(), params.hidden_size);
  const sizes = (params.log ?? '').split('~').slice(1).filter((e) => /_H\d+$/.test(e));
  assert.equal(sizes.length, 1, `one change in the log: ${params.log}`);
  assert.match(sizes[0], new RegExp(`_H${params.hidden_size}$`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('hovering while the sizes shrink under the pointer never breaks the page', async () => {
  const { page, errors } = await openPage(browser, server.url + '#hidden_size=40&input_size=20');
  const box = await page.locator('#canvas-weights').boundingBox();
  await page.locator('#in-hidden').focus();
  for (let i = 0; i < 12; i++) {
    await page.mouse.move(box.x + 40 + 8 * i, box.y + box.height * 0.4);
    await page.keyboard.press('PageDown'); // the focused slider jumps down
    await page.mouse.move(box.x + 44 + 8 * i, box.y + box.height * 0.42);
  }
  await page.locator('#status').click();
  await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^Epoch 2/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('hovering a cell shows its name and value', async () => {
  const { page, errors } = await openPage(browser, server.url);
  const box = await page.locator('#canvas-weights').boundingBox();
  const tooltip = page.locator('#tooltip');
  let found = '';
  for (let dx = 30; dx < 200 && !found; dx += 6) {
    await page.mouse.move(box.x + dx, box.y + 60);
    if (await tooltip.isVisible()) found = await tooltip.textContent();
  }
  assert.match(found, /^W[xh]\[unit \d+, (input|from unit) \d+\] = -?\d\.\d{6}/);
  await page.mouse.move(5, 5);
  await page.locator('#canvas-x').hover();
  assert.match(await tooltip.textContent(), /^x\[t = \d+, feature \d+\] = /);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Line view switches the inputs to the seed\'s line chart and back', async () => {
  const { page, errors } = await openPage(browser, server.url);
  const heatmap = await pixels(page, 'canvas-x');
  const toggle = page.getByRole('button', { name: 'Line view' });
  await toggle.click();
  await eventually(async () => assert.equal(await toggle.getAttribute('aria-pressed'), 'true'));
  await eventually(async () => assert.notEqual((await pixels(page, 'canvas-x')).hash, heatmap.hash));
  await page.locator('#canvas-x').hover();
  await eventually(async () => assert.match(await page.locator('#tooltip').textContent(), /^x at t = \d+: \[/));
  await toggle.click();
  await eventually(async () => assert.equal((await pixels(page, 'canvas-x')).hash, heatmap.hash));
  assert.deepEqual(errors, []);
  await page.close();
});

// Also with the twin run on: a second session trained in lockstep, its distances kept per epoch.
for (const [name, hash] of [['', '#speed=5'], ['-twin', '#speed=5&twin=true']]) test(`10,000 steps of Play grow wasm memory and the JS heap by at most 2 MB${name && ', with the twin run on'}`, async () => {
  const { page, errors } = await openPage(browser, server.url + hash);
  const steps = async () => page.evaluate(() => {
    const m = document.getElementById('status').textContent.match(/Epoch (\d+)/);
    return (Number(m[1]) - 1) * 13; // 10 forward + loss + 1 backward + update per epoch
  });
  const memory = async () => page.evaluate(() => {
    globalThis.gc?.();
    return { wasm: Number(document.body.dataset.wasmBytes), heap: performance.memory.usedJSHeapSize };
  });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.getElementById('status').textContent.match(/Epoch (\d+)/)[1]) > 8);
  const early = await memory();
  await page.waitForFunction(() => Number(document.getElementById('status').textContent.match(/Epoch (\d+)/)[1]) > 10000 / 13 + 9, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  const late = await memory();
  const grown = { wasm: late.wasm - early.wasm, heap: late.heap - early.heap, steps: await steps() };
  fs.writeFileSync(path.join(ARTIFACTS, `memory-growth${name}.json`), JSON.stringify({ early, late, grown }, null, 1));
  assert.ok(grown.steps >= 10000);
  assert.ok(grown.wasm <= 2 * 1024 * 1024, `wasm memory grew ${grown.wasm} bytes`);
  assert.ok(grown.heap <= 2 * 1024 * 1024, `JS heap grew ${grown.heap} bytes`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('full-page screenshots at desktop, laptop and phone widths', async () => {
  for (const [name, width, height] of [['desktop', 1440, 900], ['laptop', 1366, 768], ['phone', 390, 844]]) {
    const { page, errors } = await openPage(browser, server.url + '#training=bptt', { width, height, scale: 2 });
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: path.join(ARTIFACTS, `page-${name}.png`), fullPage: true });
    if (name !== 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
      assert.ok(overflow <= 0, `${name}: the main view fits without scrolling (overflow ${overflow}px)`);
    }
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `${name}: no sideways scrolling`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('on a touch screen no keyboard hint shows, and on a desktop they do, in either language', async () => {
  for (const locale of ['en-US', 'ja-JP']) {
    const { page, errors } = await openPage(browser, server.url, { width: 390, height: 844, scale: 3, touch: true, locale });
    assert.equal(await page.evaluate(() => matchMedia('(hover: none)').matches), true, 'a touch screen cannot hover');
    for (const hint of await page.locator('.keys, .key-hint').all()) assert.equal(await hint.isVisible(), false);
    assert.doesNotMatch(await page.locator('#equation').innerText(), /\(→\)|Space/, 'the arrows of the epoch stay, the keys go');
    assert.deepEqual(errors, []);
    await page.close();
  }
  const { page } = await openPage(browser, server.url);
  assert.match(await page.locator('#equation').innerText(), /\(→\).*\(Space\)/s);
  assert.equal(await page.locator('.keys').isVisible(), true);
  await page.close();
});
