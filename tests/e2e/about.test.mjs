// The page explains itself (issue 9, section 4): each panel's ⓘ opens a short explanation in either language, the step captions tell the seed's quirks in Seed code, and the code panel shows the caption too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, eventually, launch, openPage, serveDist, statusIs } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** Each panel's ⓘ by its accessible name, in English and in Japanese. */
const ABOUT = {
  en: ['About the input sequence', 'About the hidden state', 'About the target and the prediction', 'About the loss curve',
    'About the weights and their change', 'About the gradient reaching each timestep', 'About the step just run'],
  ja: ['入力系列について', '隠れ状態について', '目標と予測について', '損失の曲線について', '重みとその変化について',
    '各時刻に届く勾配について', '今実行したステップについて'],
};

/** Sentences in a text: each ends with . ! ? before a space or the end, or with 。 */
const sentences = (text) => (text.match(/[.!?](?=\s|$)|。/g) ?? []).length;

/** The explanation a ⓘ button controls. */
const explanation = async (page, button) => page.locator(`#${await button.getAttribute('aria-controls')}`);

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);

for (const lang of ['en', 'ja']) {
  test(`each panel's ⓘ opens a short explanation (${lang}); Escape and a second press close it, one open at a time`, async () => {
    const { page, errors } = await openPage(browser, `${server.url}#lang=${lang}`);
    let previous = null;
    for (const name of ABOUT[lang]) {
      const button = page.getByRole('button', { name, exact: true });
      assert.equal(await button.textContent(), 'ⓘ', `${name} shows ⓘ`);
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      await button.click();
      const about = await explanation(page, button);
      await about.waitFor();
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      const text = await about.textContent();
      const n = sentences(text);
      assert.ok(n >= 3 && n <= 6, `${name}: ${n} sentences: ${text}`);
      if (lang === 'ja') assert.doesNotMatch(text, /\b(the|and|of)\b/, `${name} is in Japanese`);
      assert.match(text, lang === 'en' ? /Try this:/ : /試してみよう/, `${name} says what to try`);
      // Opening one closed the one before.
      if (previous) {
        assert.equal(await previous.getAttribute('aria-expanded'), 'false');
        assert.equal(await (await explanation(page, previous)).isVisible(), false);
      }
      previous = button;
    }
    // Escape closes it, and the focus stays on its button.
    const last = page.getByRole('button', { name: ABOUT[lang][3], exact: true });
    await last.click();
    assert.equal(await focusedId(page), 'btn-about-loss');
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await last.getAttribute('aria-expanded'), 'false'));
    assert.equal(await (await explanation(page, last)).isVisible(), false);
    assert.equal(await focusedId(page), 'btn-about-loss');
    // The keyboard opens it again (Enter on the focused button) and a second press closes it.
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await last.getAttribute('aria-expanded'), 'true'));
    await last.click();
    assert.equal(await last.getAttribute('aria-expanded'), 'false');
    assert.equal(await (await explanation(page, last)).isVisible(), false);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('the output panel explains the task shown, and an open explanation follows the language', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=en');
  const output = page.getByRole('button', { name: 'About the target and the prediction' });
  await output.click();
  const about = page.locator('#about-output');
  assert.match(await about.textContent(), /no output layer: the prediction is the last hidden state h_T itself/);
  await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Adding' });
  await eventually(async () => assert.match(await about.textContent(), /With an output layer the prediction is ŷ = Wy h \+ by/));
  await page.getByRole('button', { name: '日本語' }).click();
  await eventually(async () => assert.match(await about.textContent(), /出力層のあるタスクでは/));
  assert.equal(await page.getByRole('button', { name: '目標と予測について' }).getAttribute('aria-expanded'), 'true');
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Presses Step `n` times and returns the caption under the equation once it matches `re` (the page redraws on its next frame). */
async function stepTo(page, n, re, stepName = 'Step') {
  for (let i = 0; i < n; i++) await page.getByRole('button', { name: stepName, exact: true }).click();
  const why = page.locator('#equation .why');
  return eventually(async () => {
    const text = await why.textContent();
    assert.match(text, re);
    return text;
  });
}

test('in Seed code the captions explain the seed\'s quirks where they show; Full BPTT has none of them', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=en&training=seed');
  await stepTo(page, 10, /^Forward, t = 10:/);
  // The loss: the floor tanh imposes, and the gradient of the sum (H = 10 times the mean's).
  const loss = await stepTo(page, 1, /^The seed compares the last hidden state itself with y/);
  assert.match(loss, /cannot fall below the blue floor line in panel 4/);
  assert.match(loss, /sum of the squared errors, not of their mean: H = 10 times the mean's, as if the learning rate were 10 times larger/);
  // Backward: one step only, and the blog's swapped, unused dx and dh_prev.
  const backward = await stepTo(page, 1, /^Backward, t = 10: the seed's backward goes through the last step only/);
  assert.match(backward, /dx = Whᵀ da, which is really the gradient for the previous hidden state, and dh_prev = Wxᵀ da, the gradient for the input x: the two names are swapped/);
  assert.match(backward, /the loop uses neither, so training is unaffected/);
  // The carried hidden state: under the loss chart, in Seed code only.
  const carried = page.locator('#loss-caption');
  assert.match(await carried.textContent(), /carries the hidden state across epochs/);
  assert.equal(await carried.isVisible(), true);
  await stepTo(page, 1, /^Plain SGD\. The seed does not reset h/);

  await page.getByLabel('Training').selectOption({ label: 'Full BPTT' });
  await eventually(async () => assert.equal(await carried.isVisible(), false));
  await statusIs(page, /next: forward t = 1\/10/);
  const bpttLoss = await stepTo(page, 11, /^The exact gradient of the mean squared error/);
  assert.doesNotMatch(bpttLoss, /floor|times larger/);
  const bpttBackward = await stepTo(page, 1, /^Backward, t = 10: each step back multiplies/);
  assert.doesNotMatch(bpttBackward, /dh_prev|swapped/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the Japanese captions tell the same quirks', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=ja&training=seed');
  const loss = await stepTo(page, 11, /青い下限の線/, 'ステップ');
  assert.match(loss, /学習率を 10 倍にしたのと同じ/);
  const backward = await stepTo(page, 1, /dx = Whᵀ da/, 'ステップ');
  assert.match(backward, /名前が入れ替わっています/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the code panel shows the caption of the step just run above the listing', async () => {
  const { page, errors } = await openPage(browser, server.url + '#lang=en&training=seed');
  const why = await stepTo(page, 3, /^Forward, t = 3:/);
  const caption = page.locator('#code-why');
  assert.equal(await caption.isVisible(), false, 'hidden with the equation');
  await page.getByRole('button', { name: 'Code', exact: true }).click();
  await caption.waitFor();
  assert.equal(await caption.textContent(), why);
  const listing = await page.locator('#equation').boundingBox();
  const box = await caption.boundingBox();
  assert.ok(box.y + box.height <= listing.y + 1, 'the caption is above the listing');
  // It follows the steps: the loss's quirks show with the code too.
  for (let i = 0; i < 8; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await eventually(async () => assert.match(await caption.textContent(), /cannot fall below the blue floor line/));
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await eventually(async () => assert.match(await caption.textContent(), /the two names are swapped/));
  await page.waitForTimeout(100);
  await page.locator('#panel-eq').screenshot({ path: path.join(ARTIFACTS, 'about-code-caption-backward.png') });
  // Still in sight after the listing scrolled to the lit lines.
  const scrolled = await caption.boundingBox();
  const panel = await page.locator('#panel-eq').boundingBox();
  assert.ok(scrolled.y >= panel.y && scrolled.y + scrolled.height <= panel.y + panel.height, 'the caption stays inside the panel');
  await page.getByRole('button', { name: 'Code', exact: true }).click();
  await eventually(async () => assert.equal(await caption.isVisible(), false));
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Whether two boxes overlap. */
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const [name, options] of [
  ['desktop-1440', { width: 1440, height: 900 }],
  ['projector-1280', { width: 1280, height: 720 }],
  ['projector-1920', { width: 1920, height: 1080 }],
  // 1280×720 at 150 % zoom: 853×480 CSS pixels.
  ['zoom-150', { width: 853, height: 480, scale: 1.5 }],
  ['phone-390', { width: 390, height: 844, scale: 3, touch: true }],
]) {
  test(`an open explanation fits the screen and leaves the controls clear: ${name}, both languages`, async () => {
    for (const lang of ['en', 'ja']) {
      const { page, errors } = await openPage(browser, `${server.url}#lang=${lang}`, options);
      await page.locator('#btn-epoch').click();
      for (const panel of ['x', 'hidden', 'output', 'loss', 'weights', 'grad', 'eq']) {
        await page.locator(`#btn-about-${panel}`).click();
        const about = page.locator(`#about-${panel}`);
        await about.waitFor();
        await page.waitForTimeout(100);
        const box = await about.boundingBox();
        const scroll = await page.evaluate(() => scrollY);
        assert.ok(box.x >= 0 && box.x + box.width <= options.width, `${panel} stays on the screen across: ${JSON.stringify(box)}`);
        assert.ok(box.y >= 0 && box.y + box.height <= options.height, `${panel} is in view: ${JSON.stringify(box)}`);
        // Under its panel's caption (which wraps in a narrow panel), not over it.
        const caption = await about.evaluate((el) => {
          const r = el.previousElementSibling.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        });
        assert.ok(caption.y + caption.height <= box.y + 1, `${panel}'s explanation covers its caption`);
        // No text cut off: none across, and down either all of it shows or it scrolls to its end.
        const reach = await about.evaluate((el) => {
          el.scrollTop = el.scrollHeight;
          return { across: el.scrollWidth <= el.clientWidth + 1, end: el.scrollTop + el.clientHeight >= el.scrollHeight - 1, scrolls: getComputedStyle(el).overflowY };
        });
        assert.ok(reach.across, `${panel}'s text is cut off across`);
        assert.ok(reach.end && ['auto', 'scroll', 'visible'].includes(reach.scrolls), `${panel}'s text cannot be read to its end: ${JSON.stringify(reach)}`);
        // The whole text box is on the screen, and in front of what it covers (nothing is drawn over it).
        const front = await about.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height - 6);
          return hit !== null && el.contains(hit);
        });
        assert.ok(front, `${panel}'s explanation is covered`);
        // Never over the controls; on a phone, never over the step bar fixed to the screen's bottom.
        const controls = await page.locator('.controls').boundingBox();
        assert.ok(!overlap(box, controls), `${panel} covers the controls`);
        if (options.touch) {
          const bar = await page.locator('#btn-step').boundingBox();
          assert.ok(box.y + box.height <= bar.y - 4, `${panel} reaches under the step bar at scroll ${scroll}`);
        }
        await page.screenshot({ path: path.join(ARTIFACTS, `about-${name}-${lang}-${panel}.png`) });
      }
      assert.deepEqual(errors, []);
      await page.context().close();
    }
  });
}
