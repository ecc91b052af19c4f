// Japanese and English: the browser's language decides, the switch changes it live without losing the run, the link keeps it, and the Japanese page shows no English words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, eventually, status, statusIs, hashParams } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** Latin words of two or more letters a Japanese page may show: names, maths and code. */
const NOT_ENGLISH = new Set([
  'RNN', 'GRU', 'LSTM', 'ReLU', 'ds', 'Playground', 'BPTT', 'SGD', 'NaN', 'Python', 'numpy', 'python3', 'run', 'py', 'Space', 'Shift', 'Esc', 'Deep',
  'Learning', 'tanh', 'Wx', 'Wh', 'Wy', 'by', 'dW', 'db', 'da', 'dh', 'mean', 'ja', 'en', 'English',
  // the link's keys and values, quoted in hints and notices
  'seq_length', 'input_size', 'hidden_size', 'init_scale', 'truncation', 'training', 'task', 'bptt', 'adding', 'colour',
  'red', 'abc',
  // the blog's backward: the two gradients whose names it swapped
  'dx', 'dh_prev',
]);

/** The Latin words the page shows, in its text and its accessible names and tooltips (code listings left out). */
async function latinWords(page) {
  const text = await page.evaluate(() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el.closest('pre, kbd, #bench-result, [hidden]')) continue;
      parts.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[aria-label], [title]')) parts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
    parts.push(document.title);
    return parts.join(' ');
  });
  return latinIn(text);
}

/** The English words in `text`: Latin words that are not names, maths or code. */
function latinIn(text) {
  const words = text.replace(/"[^"]*"/g, ' ').split(/[^A-Za-z0-9_]+/).filter((w) => (w.match(/[A-Za-z]/g) ?? []).length >= 2);
  // A subscripted symbol (h_T) is maths.
  return [...new Set(words.filter((w) => !/^[A-Za-z]_/.test(w) && !NOT_ENGLISH.has(w)))];
}

/** Runs in the page before its scripts: keeps every text drawn on a canvas. */
function recordCanvasText() {
  window.__drawn = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__drawn.push(String(text));
    return fill.call(this, text, ...rest);
  };
}

test('the loss curve\'s markers are in Japanese too: init, its scale, clipping and a task', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=ja&training=bptt', { init: recordCanvasText });
  await page.getByRole('button', { name: '1 エポック進む' }).click();
  await page.getByLabel('初期化', { exact: true }).selectOption('scaled');
  await page.getByRole('button', { name: '1 エポック進む' }).click();
  await page.getByRole('slider', { name: '初期化のスケール' }).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await page.getByRole('slider', { name: '勾配クリッピング' }).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.locator('#status').click();
  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForTimeout(300);
  const drawn = await page.evaluate(() => window.__drawn.join(' '));
  assert.match(drawn, /初期化/, 'a marker for the init was drawn');
  assert.deepEqual(latinIn(drawn), [], 'no English on the charts');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a Japanese browser gets the Japanese page; the switch turns it English live, keeping the run, and the link keeps the choice', async () => {
  const { page, errors } = await openPage(browser, server.url, { locale: 'ja-JP' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  assert.match(await page.title(), /リカレントネットワーク/);
  await page.getByRole('button', { name: '1 エポック進む' }).click();
  await page.getByRole('button', { name: 'ステップ', exact: true }).click();
  await statusIs(page, /^エポック 2 · 次: 順伝播 t = 2\/10 · 損失 /);
  for (const name of ['再生', 'リセット', '新しいデータ', '実行記録を保存', 'Python で保存', '勾配を確認']) {
    await page.getByRole('button', { name, exact: true }).waitFor();
  }
  for (const name of ['系列長', '入力サイズ', '隠れ状態のサイズ', '学習率', '速さ']) await page.getByRole('slider', { name }).waitFor();
  assert.equal((await hashParams(page)).lang, 'ja');
  const x = await page.getByRole('img', { name: '入力行列 x（1 行が 1 時刻）' }).count()
    + await page.locator('canvas[aria-label="入力行列 x（1 行が 1 時刻）"]').count();
  assert.ok(x > 0, 'the canvases have Japanese names');

  await page.getByRole('button', { name: 'English' }).click();
  await statusIs(page, /^Epoch 2 · next: forward t = 2\/10 · loss /);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('button', { name: 'Step epoch' }).waitFor();
  await page.getByRole('slider', { name: 'Learning rate' }).waitFor();
  assert.equal((await hashParams(page)).lang, 'en');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('button', { name: '日本語' }).getAttribute('aria-pressed'), 'false');

  // The link carries the choice over the browser's language.
  const link = await page.evaluate(() => location.href);
  const again = await openPage(browser, link, { locale: 'ja-JP' });
  await statusIs(again.page, /^Epoch 2 · next: forward t = 2\/10/);
  assert.deepEqual([...errors, ...again.errors], []);
  await page.context().close();
  await again.page.context().close();
});

test('the Japanese page shows no English words apart from code, symbols, units and names', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=ja');
  assert.deepEqual(await latinWords(page), [], 'at the start');
  // Each panel's ⓘ open in turn (opening one closes the one before), then closed again.
  for (const button of await page.locator('.about-btn:visible').all()) {
    await button.click();
    assert.deepEqual(await latinWords(page), [], `with ${await button.getAttribute('aria-label')} open`);
  }
  await page.keyboard.press('Escape');
  // Through an epoch, with every kind of step shown, the notices of a bad link, and a task's panels.
  for (let i = 0; i < 12; i++) {
    await page.getByRole('button', { name: 'ステップ', exact: true }).click();
    assert.deepEqual(await latinWords(page), [], `after step ${i + 1}: ${await status(page)}`);
  }
  await page.getByRole('button', { name: '勾配を確認' }).click();
  await page.getByRole('button', { name: '再生' }).click();
  await page.waitForTimeout(300);
  assert.deepEqual(await latinWords(page), [], 'playing, with the gradient check');
  await page.evaluate(() => { location.hash = 'lang=ja&seq_length=abc&colour=red&task=adding&training=seed'; });
  await eventually(async () => assert.match(await page.locator('#notices').textContent(), /数ではありません/));
  assert.deepEqual(await latinWords(page), [], 'with notices and the adding task');
  await page.locator('#btn-about-output').click();
  assert.deepEqual(await latinWords(page), [], 'with the adding task\'s output explained');
  // The next-value task's data controls: the pad, the paste box, a refusal and the ⓘ.
  await page.getByLabel('タスク', { exact: true }).selectOption('sine-next');
  await page.getByLabel('データ', { exact: true }).selectOption('paste');
  await page.getByRole('button', { name: 'この数値を使う' }).click();
  await page.getByLabel('データ', { exact: true }).selectOption('draw');
  await page.locator('#btn-about-series').click();
  assert.deepEqual(await latinWords(page), [], 'with the data controls, a refused paste and their ⓘ');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('in Japanese a blow-up is told without English: the loss in scientific notation and the divergence banner', async () => {
  // The sine task at η = 1 (seed 42): the loss grows to about 1e306 and overflows at epoch 122.
  const { page, errors } = await openPage(browser, server.url + '#lang=ja&task=sine-next&learning_rate=1');
  await page.locator('#status').click();
  for (let i = 0; i < 121; i++) await page.keyboard.press('Shift+ArrowRight');
  await statusIs(page, /^エポック 122 /);
  const loss = (await status(page)).match(/損失 (\S+)/)[1];
  assert.ok(loss.length < 12 && /e\d+$/.test(loss), `a huge loss in scientific notation, not hundreds of digits: ${loss}`);
  await page.keyboard.press('Shift+ArrowRight');
  const banner = page.locator('#divergence');
  await banner.waitFor();
  assert.match(await banner.textContent(), /の損失の計算で 損失 が NaN か無限大/, "the loss said in Japanese");
  assert.deepEqual(await latinWords(page), [], 'with the divergence banner');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('tooltips and chart notes follow the language', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=ja');
  await page.getByRole('button', { name: '1 エポック進む' }).click();
  const box = await page.locator('#canvas-weights').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await eventually(async () => assert.match(await page.locator('#tooltip').textContent(), /ユニット/));
  await page.getByRole('button', { name: 'English' }).click();
  await page.mouse.move(box.x + box.width * 0.3 + 1, box.y + box.height * 0.3);
  await eventually(async () => assert.match(await page.locator('#tooltip').textContent(), /unit/));
  assert.deepEqual(errors, []);
  await page.context().close();
});

/**
 * The sum of the layout shifts while the page starts (what Lighthouse scores as CLS), and what
 * moved. index.html's text is English; a Japanese page is hidden until the wasm has written its
 * own, and the status and the task's hint line keep their room from the first paint.
 */
async function shiftsWhileStarting(size, locale, hash = '') {
  const init = () => {
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.shifts.push({ value: e.value, moved: e.sources.map((s) => `${s.node?.id || s.node?.className || s.node?.nodeName}`) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  };
  const { page, context } = await openPage(browser, server.url + hash, { ...size, locale, firstVisit: true, init });
  // The first frames draw one panel each: wait until every panel has drawn.
  await page.waitForTimeout(1000);
  const shifts = await page.evaluate(() => window.shifts);
  const lang = await page.evaluate(() => document.documentElement.lang);
  await context.close();
  return { total: shifts.reduce((sum, s) => sum + s.value, 0), moved: shifts.flatMap((s) => s.moved), lang };
}

test('nothing moves while the page starts, in Japanese or English, on a projector, a desktop or a phone', async () => {
  const sizes = [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
    { width: 1920, height: 1080 },
    { width: 412, height: 823, touch: true, scale: 1.75 },
  ];
  for (const size of sizes) {
    for (const locale of ['ja-JP', 'en-US']) {
      const { total, moved, lang } = await shiftsWhileStarting(size, locale);
      assert.equal(lang, locale.slice(0, 2));
      assert.ok(total < 0.001, `${size.width}×${size.height} ${locale}: layout shift ${total.toFixed(3)} (${moved.join(', ')})`);
    }
  }
  // The link's language wins over the browser's, before the wasm starts as after.
  const projector = { width: 1280, height: 720 };
  for (const [locale, hash, expected] of [['ja-JP', '#lang=en', 'en'], ['en-US', '#task=adding&training=bptt&lang=ja', 'ja']]) {
    const { total, moved, lang } = await shiftsWhileStarting(projector, locale, hash);
    assert.equal(lang, expected, `${locale} ${hash}`);
    assert.ok(total < 0.001, `${locale} ${hash}: layout shift ${total.toFixed(3)} (${moved.join(', ')})`);
  }
});
