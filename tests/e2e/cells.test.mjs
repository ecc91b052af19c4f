// End-to-end: the LSTM and the GRU as a learner meets them on the page (choose one, step, hover the gates, download its
// numpy script and run it), and the Lessons menu as a teacher uses it (one click, Play, the claim's verdict), in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ARTIFACTS, eventually, launch, openPage, pixels, serveDist, statusIs } from './harness.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const SMALL = 'seq_length=6&input_size=3&hidden_size=4&training=bptt&task=remember-first&init=scaled&init_scale=1';
const WORDS = {
  en: { python: 'Download as Python', run: 'Download run' },
  ja: { python: 'Python で保存', run: '実行記録を保存' },
};

/** Presses the button called `name` and saves what it downloads as test-results/`name`; returns its path. */
async function save(page, name, as) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const file = path.join(ARTIFACTS, as);
  await download.saveAs(file);
  return file;
}

/** The tooltip shown when hovering (x, y) as fractions of canvas `id`'s box. */
async function hoverText(page, id, fx, fy) {
  const box = await page.locator(`#${id}`).boundingBox();
  await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  const tooltip = page.locator('#tooltip');
  return (await tooltip.isVisible()) ? tooltip.textContent() : '';
}

for (const lang of ['en', 'ja']) {
  test(`each cell in ${lang}: its equations and gates fill step by step, hover tells each gate's value, and its numpy script prints the page's losses`, async () => {
    for (const [cell, gate, equation] of [['lstm', /^[fio][₀-₉]+\[/, /c3 = f ⊙ c2 \+ g ⊙ i/], ['gru', /^[zr][₀-₉]+\[/, /h3 = \(1 − z\) ⊙ h2 \+ z ⊙ h̃/]]) {
      const { page, errors } = await openPage(browser, `${server.url}#${SMALL}&cell=${cell}&lang=${lang}`);
      assert.equal(await page.locator('#sel-cell').inputValue(), cell);
      assert.ok(await page.locator('#sel-activation').isDisabled(), 'the activation is the plain RNN\'s');
      const drawn = [(await pixels(page, 'canvas-hidden')).hash];
      for (let i = 0; i < 3; i++) {
        await page.locator('#btn-step').click();
        await eventually(async () => assert.ok(!drawn.includes((await pixels(page, 'canvas-hidden')).hash), 'each step fills a column'));
        drawn.push((await pixels(page, 'canvas-hidden')).hash);
      }
      await eventually(async () => assert.match(await page.locator('#equation').textContent(), equation));
      // The gates' map is the right half of panel 2; its first columns are filled.
      await eventually(async () => {
        const told = await hoverText(page, 'canvas-hidden', 0.75, 0.5);
        assert.match(told, gate, told);
        assert.match(told, /= σ\(-?\d/);
      });
      if (cell === 'lstm') {
        // The cell state under h, on the left.
        await eventually(async () => assert.match(await hoverText(page, 'canvas-hidden', 0.25, 0.75), /^c[₀-₉]+\[/));
      }
      await page.locator('#status').click();
      for (let i = 0; i < 30; i++) await page.keyboard.press('Shift+ArrowRight');
      await statusIs(page, lang === 'en' ? /^Epoch 31 / : /^エポック 31 /);
      const run = JSON.parse(fs.readFileSync(await save(page, WORDS[lang].run, `cell-${cell}-${lang}.json`), 'utf8'));
      assert.equal(run.config.cell, cell);
      const file = await save(page, WORDS[lang].python, `cell-${cell}-${lang}.py`);
      const out = spawnSync('/usr/bin/python3', [file], { encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      const losses = out.stdout.trim().split('\n').map(Number);
      assert.equal(losses.length, 30);
      losses.forEach((l, i) => assert.ok(Math.abs(l - run.losses[i]) <= 1e-12 * run.losses[i], `${cell} epoch ${i + 1}: ${l} vs ${run.losses[i]}`));
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
}

test('a gated cell chosen in Seed code switches to full BPTT and says why; ρ(Wh) is the plain RNN\'s; the gradient panel draws ‖∂L/∂c_t‖ for the LSTM', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.locator('#sel-cell').selectOption('lstm');
  await eventually(async () => assert.equal(await page.locator('#sel-training').inputValue(), 'bptt'));
  assert.match(await page.locator('#notice-list').textContent(), /LSTM is trained by full BPTT/);
  assert.ok(await page.locator('#sel-training option[value=seed]').isDisabled());
  assert.ok(await page.locator('#sel-activation').isDisabled() && !(await page.locator('#in-keep-bias').isDisabled()));
  await eventually(async () => assert.equal(await page.locator('#out-rho').textContent(), 'ρ(Wh) –'));
  assert.match(await page.locator('#out-rho').getAttribute('title'), /plain RNN/);
  assert.equal(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('cell'), 'lstm');
  await page.locator('#btn-epoch').click();
  await page.locator('#btn-epoch').click();
  await eventually(async () => assert.match(await hoverText(page, 'canvas-grad', 0.5, 0.7), /‖∂L\/∂h/));
  await page.locator('#sel-cell').selectOption('rnn');
  await eventually(async () => assert.ok(!(await page.locator('#sel-activation').isDisabled())));
  assert.ok(await page.locator('#in-keep-bias').isDisabled());
  await page.locator('#sel-activation').selectOption('relu');
  await eventually(async () => assert.match(await page.locator('#out-rho').textContent(), /^ρ\(Wh\) \d/));
  assert.deepEqual(errors, []);
  await page.close();
});

/** Opens the menu (or uses the lesson's bar) and chooses run `run` of lesson `lesson`. */
async function choose(page, lesson, run) {
  const button = `button[data-lesson="${lesson}"][data-run="${run}"]`;
  const inBar = await page.locator(`#lesson-bar ${button}`).isVisible();
  if (!inBar && !(await page.locator('#lessons-menu').isVisible())) await page.locator('#btn-lessons').click();
  await page.locator(`${inBar ? '#lesson-bar' : '#lessons-menu'} ${button}`).click();
}

test('every lesson sets the page up in one click and, at its speed, shows its claim hold within 60 s (in English; set up in Japanese)', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.locator('#btn-lessons').click();
  await eventually(async () => assert.ok((await page.locator('#lessons-menu .lesson').count()) >= 6));
  const count = await page.locator('#lessons-menu .lesson').count();
  await page.keyboard.press('Escape');
  await eventually(async () => assert.ok(!(await page.locator('#lessons-menu').isVisible()), 'Escape closes the menu'));
  // Each lesson's last run is played to its verdict (tests/lessons.rs pins every run natively).
  for (let lesson = 0; lesson < count; lesson++) {
    const runs = await page.locator(`#lessons-menu .lesson:nth-child(${lesson + 1}) button`).count();
    await choose(page, lesson, runs - 1);
    await eventually(async () => assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'true', 'a lesson plays'));
    const start = Date.now();
    await eventually(async () => assert.match(await page.locator('#lesson-status').textContent(), /✓ the claim holds/), 60_000);
    const took = (Date.now() - start) / 1000;
    assert.ok(took < 60, `lesson ${lesson}: ${took} s`);
    await eventually(async () => assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'false'));
  }
  // Run A of the last lesson: a new run beside the one before, faint.
  await choose(page, count - 1, 0);
  await eventually(async () => assert.match(await page.locator('#lesson-status').textContent(), /^epoch \d+ of 3000/));
  await page.locator('#btn-play').click();
  await page.locator('#sel-task').selectOption('adding');
  await eventually(async () => assert.match(await page.locator('#lesson-status').textContent(), /A setting has changed/));
  await page.locator('#btn-lesson-close').click();
  await eventually(async () => assert.ok(!(await page.locator('#lesson-bar').isVisible())));
  assert.deepEqual(errors, []);
  await page.close();

  // In Japanese, every run of every lesson sets the page up, its bar in Japanese, and the link holds its settings.
  const ja = await openPage(browser, `${server.url}#lang=ja`);
  assert.equal(await ja.page.locator('#btn-lessons').textContent(), 'レッスン');
  await ja.page.locator('#btn-lessons').click();
  await eventually(async () => assert.equal(await ja.page.locator('#lessons-menu .lesson').count(), count));
  for (let lesson = 0; lesson < count; lesson++) {
    const runs = await ja.page.locator(`#lessons-menu .lesson:nth-child(${lesson + 1}) button`).count();
    for (let run = 0; run < runs; run++) {
      await choose(ja.page, lesson, run);
      await eventually(async () => assert.match(await ja.page.locator('#lesson-status').textContent(), /^エポック \d+ \/ \d+/));
      await eventually(async () => assert.equal(
        await ja.page.locator(`#lesson-bar button[data-lesson="${lesson}"][data-run="${run}"]`).getAttribute('aria-pressed'), 'true'));
      const bar = await ja.page.locator('#lesson-bar').textContent();
      assert.doesNotMatch(bar, /\b(the|and|epochs?|learns)\b/i, bar);
    }
  }
  assert.match(await ja.page.locator('#lesson-bar').textContent(), /GRU/);
  assert.deepEqual(ja.errors, []);
  await ja.page.close();
});

test('the gated cells\' panels and the Lessons menu and bar have no accessibility violation', async () => {
  for (const options of [{ width: 1440, height: 900 }, { width: 390, height: 844, scale: 3, touch: true, locale: 'ja-JP' }]) {
    const { page, errors } = await openPage(browser, `${server.url}#${SMALL}&cell=lstm`, options);
    await page.locator('#btn-epoch').click();
    if (options.touch) await page.locator('#btn-settings').click();
    await page.locator('#btn-lessons').click();
    await page.locator('#lessons-menu .lesson').first().waitFor();
    await page.addScriptTag({ content: AXE });
    const audit = () => page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }))
      .then((r) => r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`));
    assert.deepEqual(await audit(), [], 'with the menu open');
    await page.locator('#lessons-menu button[data-lesson="0"][data-run="0"]').click();
    await page.locator('#lesson-bar').waitFor();
    await page.locator('#btn-play').click();
    assert.deepEqual(await audit(), [], 'with a lesson\'s bar');
    assert.deepEqual(errors, []);
    await page.close();
  }
});
