// End-to-end: the twin run as a person uses it: turn it on, play until the verdict, read it, hover the chart, reload, turn it off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ARTIFACTS, eventually, hashParams, launch, openPage, pixels, serveDist } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const verdict = (page) => page.locator('#twin-verdict');

/** Plays until the verdict shows, then pauses; returns its text. */
async function playUntilVerdict(page, play, pause) {
  await page.getByRole('button', { name: play }).click();
  await eventually(async () => assert.ok(await verdict(page).isVisible(), 'the verdict shows'), 20000);
  await page.getByRole('button', { name: pause }).click();
  return verdict(page).textContent();
}

/** The command line's `twin` on the seed's settings at H = 32. */
function cliTwin() {
  const spec = {
    format: 'rnn-playground.run/1',
    config: { seq_length: 10, input_size: 5, hidden_size: 32, learning_rate: 0.01, epochs: 200, seed: 42, task: 'random-target', training: 'seed' },
  };
  const file = path.join(ARTIFACTS, 'twin-h32.spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  const bin = process.env.RNN_CLI ?? path.resolve(import.meta.dirname, '../../target/release/rnn-playground');
  const out = spawnSync(bin, ['twin', file], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

test('the twin run: on by its checkbox, the seed at H = 32 turns chaotic, the chart draws and tells its values, Reset starts a new twin, a reload keeps it, off hides it', async () => {
  const { page, errors } = await openPage(browser, server.url + '#hidden_size=32');
  const box = page.getByRole('checkbox', { name: 'Twin run' });
  assert.equal(await page.locator('#canvas-twin').isVisible(), false, 'no twin chart while it is off');
  await box.check();
  await eventually(async () => assert.equal((await hashParams(page)).twin, 'true'));
  await eventually(async () => assert.ok(await page.locator('#canvas-twin').isVisible()));
  assert.match(await page.locator('#twin-caption').textContent(), /^Twin run: ‖h_T − h′_T‖ per epoch/);

  const text = await playUntilVerdict(page, 'Play', 'Pause');
  assert.match(text, /^Chaotic: the twins' distance grew a millionfold in (\d+) epochs\. Two correct programs that differ only in rounding give different runs here; /);
  assert.match(text, /N\(0, 1\) weights above H ≈ 10 are the classic case\.$/);
  // The same measurement as the command line's, to the epoch.
  const cli = cliTwin();
  assert.equal(cli.chaotic, true);
  assert.equal(Number(text.match(/in (\d+) epochs/)[1]), cli.at_epoch, 'the page and the command line call it at the same epoch');
  assert.ok((await pixels(page, 'canvas-twin')).ink > 300, 'the distance chart is drawn');

  // Hovering the chart tells the epoch and the distance.
  const chart = await page.locator('#canvas-twin').boundingBox();
  await page.mouse.move(chart.x + chart.width * 0.3, chart.y + chart.height * 0.5);
  await eventually(async () => assert.match(await page.locator('#tooltip').textContent(), /^\d+ epochs after the split: ‖h_T − h′_T‖ = \d\.\d{2}e[-\d]+$/));
  await page.locator('#panel-loss').screenshot({ path: path.join(ARTIFACTS, 'twin-panel.png') });

  // Reset starts a new twin: the verdict goes, and comes back after as many epochs (same weights, same data).
  await page.getByRole('button', { name: 'Reset' }).click();
  await eventually(async () => assert.equal(await verdict(page).isVisible(), false));
  for (let i = 0; i < cli.at_epoch; i++) await page.getByRole('button', { name: 'Step epoch' }).click();
  await eventually(async () => assert.equal(await verdict(page).textContent(), text));

  // A reload keeps it on; turning it off hides the chart and leaves the link.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.firstFrameMs !== undefined);
  await eventually(async () => assert.equal(await page.getByRole('checkbox', { name: 'Twin run' }).isChecked(), true));
  assert.ok(await page.locator('#canvas-twin').isVisible());
  await page.getByRole('checkbox', { name: 'Twin run' }).uncheck();
  await eventually(async () => assert.equal((await hashParams(page)).twin, undefined));
  await eventually(async () => assert.equal(await page.locator('#canvas-twin').isVisible(), false));
  assert.equal(await verdict(page).isVisible(), false);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a change of setting starts the twin anew, and a calm network is never called chaotic', async () => {
  const { page, errors } = await openPage(browser, server.url + '#hidden_size=4&training=bptt&init=scaled&init_scale=0.5&twin=true&speed=8');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.getElementById('status').textContent.match(/Epoch (\d+)/)[1]) > 300, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await verdict(page).isVisible(), false, 'g = 0.5 at H = 4 is not chaotic');
  const before = await pixels(page, 'canvas-twin');
  assert.ok(before.ink > 300);
  await page.getByRole('button', { name: 'Reset' }).click();
  // A new twin: no distance until its first epoch.
  await eventually(async () => assert.notEqual((await pixels(page, 'canvas-twin')).hash, before.hash));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the Japanese page says the verdict in Japanese; screenshots at 1440×900 and 390×844 in both languages (and 1920×1080)', async () => {
  for (const lang of ['en', 'ja']) {
    for (const [width, height] of [[1440, 900], [390, 844], ...(lang === 'en' ? [[1920, 1080]] : [])]) {
      const { page, errors } = await openPage(browser, server.url + `#hidden_size=32&twin=true&lang=${lang}`, { width, height });
      const text = await playUntilVerdict(page, lang === 'ja' ? '再生' : 'Play', lang === 'ja' ? '一時停止' : 'Pause');
      if (lang === 'ja') {
        assert.match(text, /^カオス的です: 2 つの実行の距離は \d+ エポックで 100 万倍になりました。/);
        assert.match(await page.locator('#twin-caption').textContent(), /^ツイン実行/);
        assert.equal(await page.locator('#in-twin').isChecked(), true); // behind Settings on a phone
        // No English words in what the twin run shows (Wh is the matrix's name; h_T maths).
        const shown = await page.evaluate(() => {
          const label = document.querySelector('label[for="in-twin"]');
          const canvas = document.getElementById('canvas-twin');
          return [label.textContent, label.title, canvas.getAttribute('aria-label'), ...['twin-caption', 'twin-verdict'].map((id) => document.getElementById(id).textContent)].join(' ');
        });
        const latin = shown.split(/[^A-Za-z0-9_]+/).filter((w) => (w.match(/[A-Za-z]/g) ?? []).length >= 2 && !/^[A-Za-z]_/.test(w));
        assert.deepEqual(latin.filter((w) => w !== 'Wh'), [], shown);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, `twin-${lang}-${width}.png`), fullPage: width < 700 });
      await page.locator('#panel-loss').screenshot({ path: path.join(ARTIFACTS, `twin-${lang}-${width}-loss.png`) });
      assert.deepEqual(errors, []);
      await page.context().close();
    }
  }
});
