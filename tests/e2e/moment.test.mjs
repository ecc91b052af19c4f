// End-to-end: what a learner and a teacher expect of a moment: between epochs, in a link, in a run file, when training goes wrong.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ARTIFACTS, downloadRun, eventually, hashParams, launch, openPage, pixels, serveDist, status, statusIs } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });


/** Records the text every canvas draws, from before the page loads. */
async function recordCanvasText(page) {
  await page.addInitScript(() => {
    window.__texts = [];
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
      window.__texts.push(`${this.canvas.id}: ${text}`);
      return fill.call(this, text, ...rest);
    };
  });
}
const textsSince = async (page) => page.evaluate(() => window.__texts.splice(0));

test('between epochs the panels show the epoch just completed, marked as the last epoch', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await recordCanvasText(page);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url);
  await statusIs(page, /^Epoch 1 · next: forward t = 1\/10/);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await statusIs(page, /next: forward t = 2\/10/);
  await eventually(async () => {
    const drawn = (await textsSince(page)).join('\n');
    assert.match(drawn, /canvas-output: prediction h_T \(at t = T\)/, 'no state is plotted as a prediction mid-pass');
    assert.doesNotMatch(drawn, /so far/);
  });
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await statusIs(page, /^Epoch 2 · next: forward t = 1\/10/);
  await eventually(async () => {
    const drawn = (await textsSince(page)).join('\n');
    assert.match(drawn, /canvas-hidden: last epoch's h₁ … h_T/);
    assert.match(drawn, /canvas-output: last epoch's prediction h_T/);
  });
  // Every column of the history holds a value, and the tooltip says whose it is.
  // The history's last column sits near the canvas's right edge; how near depends on the
  // panel's height (the cells are square), so look for it from the right.
  const box = await page.locator('#canvas-hidden').boundingBox();
  await eventually(async () => {
    for (const inset of [30, 45, 60, 75, 90]) {
      await page.mouse.move(box.x + box.width - inset, box.y + box.height / 2);
      await page.waitForTimeout(30);
      if ((await page.locator('#tooltip').textContent()).startsWith('h₁₀')) break;
    }
    assert.match(await page.locator('#tooltip').textContent(), /^h₁₀\[unit \d+\] = .*last epoch$/);
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'between-epochs.png') });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await eventually(async () => assert.match((await textsSince(page)).join('\n'), /canvas-hidden: h₁ … h_T: H units × T steps/));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a copied link reopens the same moment: same epoch, same step, same numbers', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.locator('#in-lr').focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight'); // η up, at epoch 1
  await page.locator('#status').click();
  for (let i = 0; i < 40; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.getByRole('button', { name: 'New data' }).click();
  await page.locator('#in-hidden').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // H 10 → 13
  await page.locator('#status').click();
  for (let i = 0; i < 100; i++) await page.keyboard.press('Shift+ArrowRight');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await statusIs(page, /^Epoch 141 · next: forward t = 5\/10/);
  const params = await hashParams(page);
  assert.ok(params.log && params.at, `the link carries the moment: ${JSON.stringify(params)}`);
  const url = await page.evaluate(() => location.href);
  const before = await status(page);
  const equation = await page.locator('#equation').innerHTML();
  const { run: original } = await downloadRun(page, 'moment');

  const { page: again, errors: errors2 } = await openPage(browser, url);
  await statusIs(again, new RegExp(`^${before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), 15000);
  const { run: reopened } = await downloadRun(again, 'moment');
  assert.deepEqual(reopened, original, 'the same run, to the last digit');
  assert.deepEqual(await hashParams(again), params);
  assert.equal(await again.locator('#equation').innerHTML(), equation, 'the equation explains the step just run, not "Press Step"');
  await again.screenshot({ path: path.join(ARTIFACTS, 'link-moment.png') });
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await again.close();
});

test('Copy link puts the moment\'s link on the clipboard and says so, in either language', async () => {
  const { page, errors, context } = await openPage(browser, server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.locator('#status').click();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await eventually(async () => assert.match(await page.locator('#copy-note').textContent(), /^Link copied/));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.evaluate(() => location.href), 'the link now in the address bar');
  assert.match(copied, /&log=.*&at=\d+/, 'with the moment');
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: 'リンクをコピー' }).click();
  await eventually(async () => assert.match(await page.locator('#copy-note').textContent(), /^リンクをコピーしました/));
  assert.deepEqual(errors, []);
  await page.close();
});

test('where the browser refuses the clipboard, Copy link says where the link is', async () => {
  const { page, errors } = await openPage(browser, server.url, {
    init: () => Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } }),
  });
  await page.getByRole('button', { name: 'Copy link' }).click();
  await eventually(async () => assert.match(await page.locator('#copy-note').textContent(), /address bar/));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a moment too long for a link keeps only the settings, and says so', async () => {
  const { page, errors } = await openPage(browser, server.url + '#seq_length=100&input_size=32&hidden_size=128&speed=15');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.locator('#notice-list li', { hasText: 'keeps only the settings' }).waitFor({ timeout: 60000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await eventually(async () => assert.equal((await hashParams(page)).log, undefined));
  assert.equal((await hashParams(page)).hidden_size, '128');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Open run replays the file to its end and checks its losses', async () => {
  const { page, errors } = await openPage(browser, server.url + '#training=bptt');
  await page.locator('#status').click();
  for (let i = 0; i < 30; i++) await page.keyboard.press('Shift+ArrowRight');
  const { file, run } = await downloadRun(page, 'moment');
  const { page: fresh, errors: errors2 } = await openPage(browser, server.url);
  await fresh.locator('#file-open').setInputFiles(file);
  await fresh.locator('#notice-list li', { hasText: 'replayed its 30 epochs, with the same losses as the file' }).waitFor();
  await statusIs(fresh, /^Epoch 31 · next: forward t = 1\/10/);
  const { run: again } = await downloadRun(fresh, 'moment');
  assert.deepEqual(again.losses, run.losses);
  assert.deepEqual(again.final, run.final);
  // A file whose losses were edited is opened, with a warning.
  const edited = { ...run, losses: run.losses.map((l, i) => (i === 7 ? l * 1.5 : l)) };
  const editedFile = path.join(ARTIFACTS, 'edited-run.json');
  fs.writeFileSync(editedFile, JSON.stringify(edited));
  await fresh.locator('#file-open').setInputFiles(editedFile);
  await fresh.locator('#notice-list li', { hasText: 'differ from the file\'s from epoch 8' }).waitFor();
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await fresh.close();
});

test('a run downloaded late, after a change, reopens at the epoch it was saved at, with panel 3 and panel 7 filled', async () => {
  const { page, errors } = await openPage(browser, server.url + '#training=bptt');
  await page.locator('#status').click();
  for (let i = 0; i < 20; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.locator('#in-lr').focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight'); // η up: the run file holds the epochs since
  await page.locator('#status').click();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^Epoch 27 · next: forward t = 1\/10/);
  const { file, run } = await downloadRun(page, 'late');
  assert.equal(run.epochs_before, 20);
  assert.equal(run.config.epochs, 6);
  const { page: fresh, errors: errors2 } = await openPage(browser, server.url);
  await fresh.locator('#file-open').setInputFiles(file);
  await fresh.locator('#notice-list li', { hasText: 'replayed its 6 epochs' }).waitFor();
  await statusIs(fresh, /^Epoch 27 · next: forward t = 1\/10/);
  // Panel 7 explains the update just run (not "Press Step"), and panel 3 shows the last epoch's prediction.
  await eventually(async () => assert.match(await fresh.locator('#equation').textContent(), /W ← W − η dW/));
  assert.doesNotMatch(await fresh.locator('#equation').textContent(), /^Press Step/);
  assert.ok((await pixels(fresh, 'canvas-output')).ink > 200, 'panel 3 is drawn');
  // An old file (no epochs_before) opens at its own count, as before.
  const old = { ...run };
  delete old.epochs_before;
  const oldFile = path.join(ARTIFACTS, 'old-run.json');
  fs.writeFileSync(oldFile, JSON.stringify(old));
  await fresh.locator('#file-open').setInputFiles(oldFile);
  await statusIs(fresh, /^Epoch 7 · next: forward t = 1\/10/);
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await fresh.close();
});

test('weights that run away are named, on the status line and the loss chart, with what to try', async () => {
  const { page, errors } = await openPage(browser, server.url + '#seq_length=100&input_size=32&hidden_size=128&training=bptt&learning_rate=1');
  await page.locator('#status').click();
  await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /weights running away/);
  const note = page.locator('#loss-health');
  await note.waitFor();
  assert.match(await note.textContent(), /running away: W[xh] reached -?\d(\.\d)?e[+-]?\d+.*smaller learning rate/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'runaway.png') });
  // The default network says nothing of the kind.
  const { page: calm, errors: errors2 } = await openPage(browser, server.url);
  await calm.locator('#status').click();
  for (let i = 0; i < 5; i++) await calm.keyboard.press('Shift+ArrowRight');
  await statusIs(calm, /^Epoch 6 · next: forward t = 1\/10 · loss \d\.\d+ · paused$/);
  assert.equal(await calm.locator('#loss-health').isVisible(), false);
  // The learning rate goes up to 10, so divergence can be shown live.
  await calm.locator('#in-lr').focus();
  await calm.keyboard.press('End');
  await eventually(async () => assert.equal(await calm.locator('#out-lr').textContent(), '10'));
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await calm.close();
});

test('a change of size mid-epoch says that the epoch restarted', async () => {
  const { page, errors } = await openPage(browser, server.url);
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await statusIs(page, /next: forward t = 4\/10/);
  await page.locator('#in-hidden').focus();
  await page.keyboard.press('ArrowRight');
  await statusIs(page, /next: forward t = 1\/10 .*H 10→11: the epoch restarted from t = 1/);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await eventually(async () => assert.doesNotMatch(await status(page), /restarted/));
  assert.deepEqual(errors, []);
  await page.close();
});

test('notices quote at most a few dozen characters of a bad link, decoded alike', async () => {
  const long = 'k'.repeat(100000);
  const { page, errors } = await openPage(browser, server.url + `#${long}=1&%3Cimg%20src=2&hidden_size=%3Cb%3E`);
  await page.locator('#notices').waitFor();
  const items = await page.locator('#notice-list li').allTextContents();
  assert.equal(items.length, 3);
  assert.ok(items.every((n) => n.length < 160), items.join('\n'));
  assert.ok(items.some((n) => n.includes('"<img src"')), items.join('\n'));
  assert.ok(items.some((n) => n.startsWith('hidden_size=<b> is not a number')), items.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the dice draw a fresh random seed below 2^53, into the field and the link', async () => {
  const { page, errors } = await openPage(browser, server.url);
  const dice = page.getByRole('button', { name: 'Random seed' });
  const seeds = new Set();
  for (let i = 0; i < 3; i++) {
    await dice.click();
    await eventually(async () => {
      const field = await page.locator('#in-seed').inputValue();
      assert.notEqual(field, '42');
      assert.equal((await hashParams(page)).seed, field);
      assert.ok(!seeds.has(field));
    });
    const seed = await page.locator('#in-seed').inputValue();
    assert.ok(BigInt(seed) < 2n ** 53n, seed);
    seeds.add(seed);
  }
  await statusIs(page, /^Epoch 1 · next: forward t = 1\/10/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Download as Python writes a numpy script that prints the page\'s losses', async () => {
  const { page, errors } = await openPage(browser, server.url + '#hidden_size=5');
  await page.locator('#status').click();
  for (let i = 0; i < 100; i++) await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^Epoch 101 /);
  const { run } = await downloadRun(page, 'moment');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as Python' }).click()]);
  assert.equal(download.suggestedFilename(), 'run.py');
  const file = path.join(ARTIFACTS, 'run.py');
  await download.saveAs(file);
  // Debian's python3 sees Debian's numpy (scripts/test.sh installs it).
  const out = spawnSync('/usr/bin/python3', [file], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const losses = out.stdout.trim().split('\n').map(Number);
  assert.equal(losses.length, 100);
  losses.forEach((l, i) => assert.ok(Math.abs(l - run.losses[i]) <= 1e-12 * run.losses[i], `epoch ${i + 1}: ${l} vs ${run.losses[i]}`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Seed code the listing can be read as a cell class, lit as the learner steps, and Download as Python writes it', async () => {
  for (const lang of ['en', 'ja']) {
    const { page, errors } = await openPage(browser, `${server.url}#hidden_size=5&lang=${lang}`);
    await page.locator('#btn-code').click();
    const asClass = page.locator('#btn-code-class');
    await asClass.click();
    await eventually(async () => assert.match(await page.locator('#equation').textContent(), /class RNNCell:/));
    assert.equal(await asClass.getAttribute('aria-pressed'), 'true');
    const ran = async () => (await page.locator('#equation .line.ran').allTextContents()).map((l) => l.trim()).join(' | ');
    await page.locator('#btn-step').click();
    // The step runs the method and the call: both lit.
    await eventually(async () => assert.match(await ran(), /a = np\.dot\(self\.Wx, x_t\)/));
    assert.match(await ran(), /h = cell\.forward\(/);
    // The blog's quirks are said where they happen.
    assert.match(await page.locator('#equation').textContent(), lang === 'en' ? /only step T's remain/ : /時刻 T の値だけ/);
    await page.locator('#status').click();
    for (let i = 0; i < 99; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await statusIs(page, lang === 'en' ? /^Epoch 101 / : /^エポック 101 /);
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: lang === 'en' ? 'Download run' : '実行記録を保存' }).click()]);
    const runFile = path.join(ARTIFACTS, `run-class-${lang}.json`);
    await saved.saveAs(runFile);
    const run = JSON.parse(fs.readFileSync(runFile, 'utf8'));
    const name = lang === 'en' ? 'Download as Python' : 'Python で保存';
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    const file = path.join(ARTIFACTS, `run-class-${lang}.py`);
    await download.saveAs(file);
    assert.match(fs.readFileSync(file, 'utf8'), /class RNNCell:/);
    const out = spawnSync('/usr/bin/python3', [file], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const losses = out.stdout.trim().split('\n').map(Number);
    losses.forEach((l, i) => assert.ok(Math.abs(l - run.losses[i]) <= 1e-12 * run.losses[i], `epoch ${i + 1}: ${l} vs ${run.losses[i]}`));
    // Full BPTT has no class view.
    await page.locator('#sel-training').selectOption('bptt');
    await eventually(async () => assert.equal(await asClass.isVisible(), false));
    assert.doesNotMatch(await page.locator('#equation').textContent(), /class RNNCell/);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the code panel lights the lines the step just run ran, as its caption says, and marks what runs next', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.getByRole('button', { name: 'Code' }).click();
  const lines = async (cls) => (await page.locator(`#equation .line.${cls}`).allTextContents()).map((l) => l.trim()).join(' | ');
  const caption = () => page.locator('#code-why').textContent();
  await eventually(async () => assert.match(await lines('next'), /a = np\.dot\(Wx, x_t\) \+ np\.dot\(Wh, h\) \+ b/));
  assert.equal(await lines('ran'), '', 'nothing has run yet');
  assert.match(await page.locator('#equation').textContent(), /for t in range\(T\):/);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 10; i++) await step.click();
  // The listing is written by the next frame: wait for what the next step runs, then read the rest.
  await eventually(async () => assert.match(await lines('next'), /^loss = np\.mean/));
  assert.match(await lines('ran'), /a = np\.dot\(Wx, x_t\)/);
  assert.match(await caption(), /^Forward, t = 10/);
  // The loss step: the caption, the title and the lit lines all speak of the loss; backward is only marked next.
  await step.click();
  await eventually(async () => assert.match(await lines('next'), /^da = dh \* \(1 - h \*\* 2\)/));
  assert.match(await lines('ran'), /^loss = np\.mean/);
  assert.match(await caption(), /compares the last hidden state itself with y/);
  assert.doesNotMatch(await lines('ran'), /da = dh/);
  await step.click();
  await eventually(async () => assert.match(await lines('next'), /^Wx -= learning_rate \* dWx/));
  assert.match(await lines('ran'), /^da = dh \* \(1 - h \*\* 2\)/);
  await step.click();
  await eventually(async () => assert.match(await lines('ran'), /^Wx -= learning_rate \* dWx/));
  // The legend stays in view while the listing scrolls to its lit lines.
  const [legend, pane] = [await page.locator('#equation .code-legend').boundingBox(), await page.locator('#equation').boundingBox()];
  assert.ok(legend.y >= pane.y - 1 && legend.y + legend.height <= pane.y + pane.height, 'the legend is in view');
  // No line runs off the pane: long ones wrap.
  assert.ok(await page.locator('#equation').evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'nothing is cut off at the right');
  await page.locator('#sel-training').selectOption('bptt');
  await eventually(async () => assert.match(await page.locator('#equation').textContent(), /for t in reversed\(range\(T - k, T\)\):/));
  await page.screenshot({ path: path.join(ARTIFACTS, 'code-panel.png') });
  // Expand lays the listing over the page, large; Escape puts it back.
  await page.getByRole('button', { name: 'Expand' }).click();
  const big = await page.locator('#panel-eq').boundingBox();
  assert.ok(big.width >= 0.8 * 1440 && big.height >= 0.5 * 900, `expanded: ${JSON.stringify(big)}`);
  // Below the controls: Step is still pressed by a click, and the lit lines follow.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await eventually(async () => assert.match(await lines('ran'), /a = np\.dot\(Wx, x_t\)/));
  await page.screenshot({ path: path.join(ARTIFACTS, 'code-panel-expanded.png') });
  await page.keyboard.press('Escape');
  await eventually(async () => assert.ok((await page.locator('#panel-eq').boundingBox()).width < 0.5 * 1440));
  await page.getByRole('button', { name: 'Code' }).click();
  await eventually(async () => assert.equal(await page.locator('#equation .line').count(), 0));
  assert.deepEqual(errors, []);
  await page.close();
});

test('hovering a variable in the code listing shows its shape and values and outlines its panel, in both languages', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Code' }).click();
  const tooltip = page.locator('#tooltip');
  const hover = async (name) => {
    await page.mouse.move(0, 0);
    await page.locator(`#equation .var[data-var="${name}"]`).first().hover();
    return tooltip.textContent();
  };
  // After the first forward step: h is h_1, a column of H = 10 values in (-1, 1).
  const h = await hover('h');
  assert.match(h, /^h, shape \(10, 1\): \[(-?0\.\d{4}, ){5}-?0\.\d{4}, …\]$/);
  assert.ok(await page.locator('#panel-hidden.linked').count() === 1, 'the hidden-state panel is outlined');
  assert.match(await hover('Wx'), /^Wx, shape \(10, 5\): \[/);
  assert.equal(await page.locator('.panel.linked').getAttribute('id'), 'panel-weights');
  assert.match(await hover('x_t'), /^x_t, shape \(5, 1\): \[/);
  assert.match(await hover('da'), /^da: not computed at this step$/);
  // Comments are not marked: only code names are.
  assert.equal(await page.locator('#equation .var').filter({ hasText: 'tanh' }).count(), 0);
  await page.mouse.move(0, 0);
  await eventually(async () => assert.equal(await page.locator('.panel.linked').count(), 0));
  await page.getByRole('button', { name: '日本語' }).click();
  assert.match(await hover('h'), /^h（形 \(10, 1\)）: \[/);
  assert.deepEqual(errors, []);
  await page.close();
});
