// The guided tour and slow motion: a first visit is offered the tour once; the tour is taken to its end by doing what each stop asks (English) and with Next (Japanese); Skip and Escape end it; slow motion lights the panels each micro-step changes and survives the link; screenshots at three sizes in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, launch, openPage, eventually, status, statusIs, hashParams, ARTIFACTS } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const STOPS = 7;

/** What the page shows of the tour: the card's count and title, the outlined target and the button to press. */
const tourState = (page) => page.evaluate(() => {
  const card = document.getElementById('tour');
  const box = card.getBoundingClientRect();
  return {
    open: !card.hidden,
    count: document.getElementById('tour-count').textContent,
    title: document.getElementById('tour-title').textContent,
    targets: [...document.querySelectorAll('.tour-target')].map((e) => e.id || e.className.split(' ')[0]),
    press: [...document.querySelectorAll('.tour-press')].map((e) => e.id),
    onScreen: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
    focused: document.activeElement?.id,
  };
});

/** Waits until the tour shows stop `n` titled `title`, outlining `target` and asking to press `press`. */
async function atStop(page, n, title, target, press) {
  await eventually(async () => {
    const s = await tourState(page);
    assert.ok(s.open, 'the card is open');
    assert.equal(s.count, `${n} / ${STOPS}`);
    assert.equal(s.title, title);
    assert.deepEqual(s.targets, [target]);
    assert.deepEqual(s.press, press ? [press] : []);
    assert.ok(s.onScreen, `stop ${n}: the card is on screen`);
  });
}

/** The ids of the panels slow motion has lit, with the status line, read in one go. */
const litNow = (page) => page.evaluate(() => ({
  status: document.getElementById('status').textContent,
  lit: [...document.querySelectorAll('.panel.lit')].map((e) => e.id).sort(),
}));

/** The panels a micro-step lights, keyed by what the status line says comes next. */
function expectedLit(line) {
  if (/next: loss/.test(line)) return ['panel-eq', 'panel-hidden', 'panel-x']; // the last forward step ran
  if (/next: backward/.test(line)) return ['panel-loss', 'panel-output'];
  if (/next: update/.test(line)) return ['panel-grad', 'panel-hidden'];
  if (/next: forward t = 1\//.test(line)) return ['panel-weights'];
  return ['panel-eq', 'panel-hidden', 'panel-x'];
}

test('the English tour, taken to its end by doing what each stop asks', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { firstVisit: true });
  const offer = page.getByRole('complementary', { name: 'Tour' });
  await offer.getByRole('button', { name: 'Start' }).click();
  await atStop(page, 1, 'One step in time', 'panel-x', 'btn-step');
  await eventually(async () => assert.equal((await tourState(page)).focused, 'tour', 'focus moves to the card'));
  assert.ok(await offer.isHidden(), 'the offer goes once the tour starts');

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await statusIs(page, /^Epoch 1 · next: forward t = 2\/10/);
  await atStop(page, 2, 'The hidden state fills in', 'panel-hidden', null);
  const card = page.getByRole('dialog', { name: 'The hidden state fills in' });
  await card.getByRole('button', { name: 'Next' }).click();

  await atStop(page, 3, 'Finish the epoch', 'panel-hidden', 'btn-epoch');
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await statusIs(page, /^Epoch 2 · next: forward t = 1\/10 · loss \d/);
  await atStop(page, 4, 'The loss', 'panel-loss', null);
  await page.getByRole('dialog').getByRole('button', { name: 'Next' }).click();

  // Forward through ten steps and the loss: the stop waits for the gradient to go back.
  await atStop(page, 5, 'The gradient goes back', 'panel-grad', 'btn-step');
  for (let i = 0; i < 11; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await statusIs(page, i < 9 ? new RegExp(`next: forward t = ${i + 2}/10`) : i === 9 ? /next: loss/ : /next: backward t = 10\/10/);
    assert.equal((await tourState(page)).count, `5 / ${STOPS}`, 'still waiting for the backward step');
  }
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await statusIs(page, /^Epoch 2 · next: update/);
  await atStop(page, 6, 'The weights change', 'panel-weights', 'btn-step');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await statusIs(page, /^Epoch 3 · next: forward t = 1\/10/);
  await atStop(page, 7, 'Make it yours', 'controls', null);

  await page.getByRole('dialog').getByRole('button', { name: 'Back' }).click();
  await atStop(page, 6, 'The weights change', 'panel-weights', 'btn-step');
  await page.getByRole('dialog').getByRole('button', { name: 'Next' }).click();
  await atStop(page, 7, 'Make it yours', 'controls', null);
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  await eventually(async () => {
    const s = await tourState(page);
    assert.ok(!s.open);
    assert.deepEqual([s.targets, s.press, s.focused], [[], [], 'btn-tour']);
  });
  assert.equal(await page.evaluate(() => localStorage.getItem('rnn-playground.tour')), 'done');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Japanese tour on a phone, taken to its end with Next: in Japanese throughout, each card on screen', async () => {
  const { page, errors, context } = await openPage(browser, server.url + '#lang=ja', { width: 390, height: 844, scale: 2, touch: true });
  await page.getByRole('button', { name: 'ツアー' }).click();
  await atStop(page, 1, '1 時刻ぶん進める', 'panel-x', 'btn-step');
  const titles = [];
  for (let n = 1; n <= STOPS; n++) {
    await eventually(async () => assert.equal((await tourState(page)).count, `${n} / ${STOPS}`));
    assert.ok((await tourState(page)).onScreen, `stop ${n}: the card is on screen`);
    await page.waitForTimeout(100);
    await page.screenshot({ path: path.join(ARTIFACTS, `tour-390x844-touch-ja-stop${n}.png`) });
    const text = await page.locator('#tour').innerText();
    titles.push((await tourState(page)).title);
    const latin = (text.match(/[A-Za-z_]{2,}/g) ?? []).filter((w) => !/^[A-Za-z]_/.test(w) && !['tanh', 'Wx', 'Wh', 'Python'].includes(w));
    assert.deepEqual(latin, [], `stop ${n} is in Japanese`);
    // Nothing has run, so no card may say that something did: it asks for it instead.
    if (n === 2) assert.match(text, /先に「ステップ」/);
    if (n === 4) assert.match(text, /先に「1 エポック進む」/);
    assert.doesNotMatch(text, /列が 1 つ増えました|点が 1 つ増えました/, `stop ${n} claims nothing that did not happen`);
    await page.getByRole('dialog').getByRole('button', { name: n < STOPS ? '次へ' : 'おわり' }).click();
  }
  assert.equal(new Set(titles).size, STOPS, 'seven different stops');
  await eventually(async () => assert.ok(!(await tourState(page)).open));
  assert.match(await status(page), /^エポック 1 · 次: 順伝播 t = 1\/10/, 'Next alone runs nothing');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Skip tour and Escape end the tour; the language switch retells the open card', async () => {
  const { page, errors, context } = await openPage(browser, server.url);
  await page.getByRole('button', { name: 'Tour' }).click();
  await atStop(page, 1, 'One step in time', 'panel-x', 'btn-step');
  await page.getByRole('dialog').getByRole('button', { name: 'Next' }).click();
  await atStop(page, 2, 'The hidden state fills in', 'panel-hidden', null);
  await page.getByRole('button', { name: '日本語' }).click();
  await atStop(page, 2, '隠れ状態が埋まっていく', 'panel-hidden', null);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Skip tour' }).click();
  await eventually(async () => assert.deepEqual(await tourState(page).then((s) => [s.open, s.targets]), [false, []]));
  assert.equal(await page.evaluate(() => localStorage.getItem('rnn-playground.tour')), 'dismissed');

  await page.getByRole('button', { name: 'Tour' }).click();
  await atStop(page, 1, 'One step in time', 'panel-x', 'btn-step');
  // Tab reaches the card's buttons; Escape ends the tour from anywhere.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tour-skip');
  await page.keyboard.press('Escape');
  await eventually(async () => assert.deepEqual(await tourState(page).then((s) => [s.open, s.press, s.focused]), [false, [], 'btn-tour']));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a first visit is offered the tour once, until the visitor starts: not after No thanks, not on a return, not on a link to a moment', async () => {
  const first = await openPage(browser, server.url, { firstVisit: true });
  const offer = first.page.getByRole('complementary', { name: 'Tour' });
  await offer.waitFor();
  assert.match(await offer.innerText(), /New here\? Take the tour/);
  // It covers none of the controls.
  const covers = await first.page.evaluate(() => {
    const o = document.getElementById('tour-offer').getBoundingClientRect();
    return [...document.querySelectorAll('.controls button, .controls input, .controls select')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.left < o.right && r.right > o.left && r.top < o.bottom && r.bottom > o.top;
    }).map((el) => el.id);
  });
  assert.deepEqual(covers, []);
  await offer.getByRole('button', { name: 'No thanks' }).click();
  await offer.waitFor({ state: 'hidden' });
  assert.equal(await first.page.evaluate(() => localStorage.getItem('rnn-playground.tour')), 'dismissed');
  await first.page.reload();
  await first.page.waitForFunction(() => document.body.dataset.firstFrameMs !== undefined);
  await first.page.waitForTimeout(300);
  assert.ok(await offer.isHidden(), 'not after No thanks');

  // A visitor who let it be is not asked again either.
  const ignored = await openPage(browser, server.url, { firstVisit: true });
  await ignored.page.locator('#tour-offer').waitFor();
  await ignored.page.getByRole('button', { name: 'Step', exact: true }).click();
  await statusIs(ignored.page, /next: forward t = 2\/10/);
  await ignored.page.locator('#tour-offer').waitFor({ state: 'hidden' }); // it leaves once the visitor starts
  const moment = await ignored.page.evaluate(() => location.href);
  assert.match(moment, /[#&]log=/);
  await ignored.page.reload();
  await ignored.page.waitForFunction(() => document.body.dataset.firstFrameMs !== undefined);
  await ignored.page.waitForTimeout(300);
  assert.ok(await ignored.page.locator('#tour-offer').isHidden(), 'not on a return');

  // A link to a moment opens that moment, with no offer even on a first visit.
  const linked = await openPage(browser, moment, { firstVisit: true });
  await statusIs(linked.page, /next: forward t = 2\/10/);
  await linked.page.waitForTimeout(300);
  assert.ok(await linked.page.locator('#tour-offer').isHidden(), 'not on a link to a moment');
  assert.deepEqual([...first.errors, ...ignored.errors, ...linked.errors], []);
  for (const p of [first, ignored, linked]) await p.context.close();
});

test('slow motion plays one micro-step a beat, lighting the panels each one changes, and survives the link', async () => {
  const { page, errors, context } = await openPage(browser, server.url);
  await page.getByRole('checkbox', { name: 'Slow motion' }).check();
  await eventually(async () => assert.equal((await hashParams(page)).slow, 'true'));
  const began = Date.now();
  await page.getByRole('button', { name: 'Play' }).click();
  const seen = new Map();
  while (!seen.has('Epoch 2 · next: forward t = 1/10')) {
    const { status: line, lit } = await litNow(page);
    const key = line.split(' · loss')[0];
    if (key !== 'Epoch 1 · next: forward t = 1/10' && !seen.has(key)) seen.set(key, lit);
    assert.ok(Date.now() - began < 40000, 'an epoch in slow motion takes about 13 s');
    await page.waitForTimeout(40);
  }
  const took = (Date.now() - began) / 1000;
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(seen.size, 13, `every micro-step of the epoch was seen: ${[...seen.keys()].join(' | ')}`);
  for (const [line, lit] of seen) assert.deepEqual(lit, expectedLit(line).sort(), line);
  assert.ok(took > 9, `about one micro-step a second: 13 took ${took} s`);
  // The glow fades (an animation), and with reduced motion the outline stays, unmoving.
  const style = () => page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.panel.lit'));
    return { animation: s.animationName, outline: s.outlineStyle };
  });
  assert.match((await style()).animation, /^lit-[ab]$/);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.deepEqual(await style(), { animation: 'none', outline: 'solid' });

  // The link keeps it: a Step there lights the forward step's panels.
  const again = await openPage(browser, await page.evaluate(() => location.href));
  assert.ok(await again.page.getByRole('checkbox', { name: 'Slow motion' }).isChecked());
  await again.page.getByRole('button', { name: 'Step', exact: true }).click();
  await eventually(async () => assert.deepEqual((await litNow(again.page)).lit, ['panel-eq', 'panel-hidden', 'panel-x']));
  await again.page.getByRole('checkbox', { name: 'Slow motion' }).uncheck();
  await eventually(async () => assert.deepEqual((await litNow(again.page)).lit, []));
  assert.equal((await hashParams(again.page)).slow, undefined);
  assert.deepEqual([...errors, ...again.errors], []);
  await context.close();
  await again.context.close();
});

test('slow motion lets the learner choose the beat, shows it beside the speed, and the link keeps it', async () => {
  for (const lang of ['en', 'ja']) {
    const { page, errors, context } = await openPage(browser, `${server.url}#lang=${lang}`);
    const speed = page.locator('#out-speed');
    const before = await speed.textContent();
    await page.locator('#in-slow').check();
    await eventually(async () => assert.equal(await speed.textContent(), lang === 'en' ? '1 step / 1 s' : '1 秒に 1 ステップ'));
    assert.notEqual(before, await speed.textContent(), 'the speed label says slow motion, not the speed');
    await page.locator('#sel-beat').selectOption('0.5');
    await eventually(async () => assert.equal(await speed.textContent(), lang === 'en' ? '1 step / 0.5 s' : '0.5 秒に 1 ステップ'));
    await eventually(async () => assert.equal((await hashParams(page)).beat, '0.5'));
    // Half a second a beat: the 13 micro-steps of an epoch take about 6.5 s.
    const began = Date.now();
    await page.locator('#btn-play').click();
    await statusIs(page, lang === 'en' ? /^Epoch 2 · next: forward t = 1\// : /^エポック 2 /, 20000);
    const took = (Date.now() - began) / 1000;
    await page.locator('#btn-play').click();
    assert.ok(took > 5 && took < 11, `13 micro-steps at half a second took ${took} s`);
    const again = await openPage(browser, await page.evaluate(() => location.href));
    assert.equal(await again.page.locator('#sel-beat').inputValue(), '0.5', 'the link keeps the beat');
    await again.page.locator('#in-slow').uncheck();
    await eventually(async () => assert.equal((await hashParams(again.page)).beat, undefined, 'no slow motion, no beat in the link'));
    assert.deepEqual([...errors, ...again.errors], []);
    await context.close();
    await again.context.close();
  }
});

for (const [name, options] of [
  ['1440x900', { width: 1440, height: 900 }],
  ['1920x1080', { width: 1920, height: 1080 }],
  ['390x844-touch', { width: 390, height: 844, scale: 2, touch: true }],
]) {
  for (const lang of ['en', 'ja']) {
    test(`screenshots of the offer, a tour stop and slow motion at ${name} in ${lang}: the card on screen, clear of the button it asks for`, async () => {
      const { page, errors, context } = await openPage(browser, `${server.url}#lang=${lang}`, { ...options, firstVisit: true });
      await page.locator('#tour-offer').waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, `tour-offer-${name}-${lang}.png`) });
      await page.locator('#tour-offer-start').click();
      await page.locator('#btn-step').click(); // stop 1 asks for Step
      await page.getByRole('dialog').locator('#tour-next').click(); // stop 2 → 3: Step epoch
      await eventually(async () => assert.equal((await tourState(page)).count, `3 / ${STOPS}`));
      const clear = await page.evaluate(() => {
        const a = document.getElementById('tour').getBoundingClientRect();
        const b = document.getElementById('btn-epoch').getBoundingClientRect();
        return !(a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top);
      });
      assert.ok(clear, 'the card leaves the button it asks for uncovered');
      assert.ok((await tourState(page)).onScreen);
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(ARTIFACTS, `tour-${name}-${lang}.png`) });
      await page.keyboard.press('Escape');

      // On a phone the controls wait behind Settings.
      if (options.width <= 700) await page.locator('#btn-settings').click();
      await page.locator('#in-slow').check();
      await page.emulateMedia({ reducedMotion: 'reduce' }); // a still picture of the outline
      await page.locator('#btn-step').click();
      await eventually(async () => assert.deepEqual((await litNow(page)).lit, ['panel-eq', 'panel-hidden', 'panel-x']));
      if (options.touch) await page.locator('#panel-x').evaluate((el) => el.scrollIntoView());
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(ARTIFACTS, `slow-motion-${name}-${lang}.png`) });
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}
