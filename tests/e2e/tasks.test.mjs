// End-to-end: the task selector and full BPTT's controls, driven as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, cli, downloadRun, epochOf, eventually, hashParams, launch, openPage, pixels, serveDist, status, statusIs } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const hashHas = (page, key, value) => eventually(async () => assert.equal((await hashParams(page))[key], value));

/** Sets a range slider with the keyboard, as a person can: focus, then Home and arrow keys. */
async function slideTo(page, label, steps) {
  const slider = page.getByLabel(label, { exact: true });
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
}

/** Runs `n` epochs with Shift+→ (focus on the page, not a field). */
async function epochs(page, n) {
  await page.locator('#status').click();
  for (let i = 0; i < n; i++) await page.keyboard.press('Shift+ArrowRight');
}

const TASKS = [
  ['sine-next', 'Predict the next value'],
  ['remember-first', 'Remember the first input'],
  ['adding', 'Adding'],
];

test('choosing a task switches to full BPTT, says why Seed code is off, and starts a new loss curve and epoch count', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await epochs(page, 5);
  const loss = await pixels(page, 'canvas-loss');
  await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Predict the next value' });
  await hashHas(page, 'task', 'sine-next');
  assert.equal((await hashParams(page)).training, 'bptt');
  assert.equal(await page.getByLabel('Training').inputValue(), 'bptt');
  assert.equal(await page.locator('#sel-training option[value=seed]').isDisabled(), true);
  const hints = await page.locator('#task-hints').textContent();
  assert.match(hints, /Seed code is off: it runs the blog's task only/);
  assert.match(hints, /Truncation is off: predicting the next value has a loss at every step/);
  assert.match(hints, /New data is off/);
  assert.equal(await page.getByLabel('Truncation').isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'New data' }).isDisabled(), true);
  assert.equal(await page.getByLabel('Input size').isDisabled(), true);
  assert.equal((await hashParams(page)).input_size, '1');
  // A new task starts a new loss curve (the old one faint) and counts its epochs from 1.
  await eventually(async () => assert.equal(await epochOf(page), 1, 'the epoch count starts again with the task'));
  await epochs(page, 5);
  await eventually(async () => assert.equal(await epochOf(page), 6));
  assert.notEqual((await pixels(page, 'canvas-loss')).hash, loss.hash);
  // Back to the blog's task: Seed code is allowed again.
  await page.getByLabel('Task', { exact: true }).selectOption('random-target');
  await eventually(async () => assert.equal(await page.locator('#sel-training option[value=seed]').isDisabled(), false));
  assert.equal(await page.getByRole('button', { name: 'New data' }).isDisabled(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('each task draws its prediction, and screenshots at desktop and phone sizes', async () => {
  for (const [name] of TASKS) {
    for (const [width, height] of [[1440, 900], [390, 844]]) {
      const { page, errors } = await openPage(browser, `${server.url}#task=${name}&speed=11`, { width, height });
      assert.equal(await page.getByLabel('Task', { exact: true }).inputValue(), name, 'a link with a task opens it');
      const before = await pixels(page, 'canvas-output');
      await page.getByRole('button', { name: 'Play' }).click();
      await eventually(async () => assert.ok((await epochOf(page)) > 150), 15000);
      await page.getByRole('button', { name: 'Pause' }).click();
      const after = await pixels(page, 'canvas-output');
      assert.ok(after.ink > 200 && after.hash !== before.hash, `${name}: the prediction panel changed`);
      assert.ok((await pixels(page, 'canvas-wy')).ink > 50, `${name}: Wy and by are drawn`);
      if (name !== 'sine-next') {
        assert.match(await page.locator('#task-score').textContent(), /Mean loss over the last 100 epochs: /);
      }
      if (name === 'adding') {
        assert.match(await page.locator('#task-score').textContent(), /Answers within 0.04 of the sum: \d+ % of the last 100\./);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, `task-${name}-${width}.png`), fullPage: width < 700 });
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test('the BPTT controls are live, labelled, in the hash, and ρ(Wh) follows the init scale', async () => {
  const { page, errors } = await openPage(browser, `${server.url}#task=remember-first&input_size=3`);
  assert.equal(await page.getByLabel('Init', { exact: true }).inputValue(), 'scaled');
  await slideTo(page, 'Init scale', 30);
  await hashHas(page, 'init_scale', '3');
  const rho3 = Number((await page.locator('#out-rho').textContent()).match(/([\d.]+)$/)[1]);
  await slideTo(page, 'Init scale', 5);
  await hashHas(page, 'init_scale', '0.5');
  const rhoHalf = await eventually(async () => {
    const rho = Number((await page.locator('#out-rho').textContent()).match(/([\d.]+)$/)[1]);
    assert.ok(rho < 1, `ρ at g = 0.5 is ${rho}`);
    return rho;
  });
  assert.ok(rho3 > 2 && rho3 < 4.5, `ρ at g = 3 is ${rho3}`);
  // ρ(Wh) follows Wh as training changes it.
  await page.getByLabel('Learning rate').evaluate((el) => { el.value = '300'; el.dispatchEvent(new Event('input')); });
  await page.getByRole('button', { name: 'Play' }).click();
  await eventually(async () => {
    const rho = Number((await page.locator('#out-rho').textContent()).match(/([\d.]+)$/)[1]);
    assert.notEqual(rho, rhoHalf);
  }, 8000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await slideTo(page, 'Clip gradient', 40);
  await hashHas(page, 'clip_norm', '1');
  assert.equal(await page.locator('#out-clip').textContent(), '1');
  await slideTo(page, 'Truncation', 2);
  await hashHas(page, 'truncation', '3');
  await page.getByLabel('Carry h across epochs').check();
  await hashHas(page, 'stateful', 'true');
  await page.getByLabel('Init', { exact: true }).selectOption({ label: 'Unscaled N(0, 1)' });
  await hashHas(page, 'init', 'unscaled');
  assert.equal((await hashParams(page)).init_scale, undefined);
  // The link carries every change and reopens at the same settings.
  const url = await page.evaluate(() => location.href);
  const { page: again, errors: errors2 } = await openPage(browser, url);
  await eventually(async () => assert.deepEqual(await hashParams(again), await hashParams(page)), 8000);
  assert.equal(await again.getByLabel('Carry h across epochs').isChecked(), true);
  assert.equal(await again.locator('#out-trunc').textContent(), '3');
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await again.close();
});

test('switching to full BPTT unticks Carry h, since h starts from 0 every epoch there', async () => {
  const { page, errors } = await openPage(browser, server.url);
  const carry = page.getByLabel('Carry h across epochs');
  assert.equal(await carry.isChecked(), true, 'the seed\'s code carries h');
  await page.getByLabel('Training').selectOption({ label: 'Full BPTT' });
  await eventually(async () => assert.equal(await carry.isChecked(), false));
  assert.equal(await carry.isDisabled(), false, 'and it can be ticked again');
  await page.getByLabel('Training').selectOption({ label: 'Seed code' });
  await eventually(async () => assert.equal(await carry.isChecked(), true));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link asking the impossible is settled with notices', async () => {
  const { page, errors } = await openPage(browser, `${server.url}#task=sine-next&training=seed&input_size=4&truncation=3`);
  const notices = await page.locator('#notice-list').textContent();
  assert.match(notices, /trains with full BPTT/);
  assert.match(notices, /input_size=4 does not fit task=sine-next, whose input has 1; using 1/);
  assert.match(notices, /truncation does not apply to task=sine-next/);
  assert.equal((await hashParams(page)).input_size, '1');
  assert.equal((await hashParams(page)).truncation, undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Check gradients shows each parameter\'s largest relative error and what it means', async () => {
  const { page, errors } = await openPage(browser, `${server.url}#task=adding`);
  await epochs(page, 3);
  await page.getByRole('button', { name: 'Check gradients' }).click();
  const result = page.locator('#check-result');
  await result.waitFor();
  const text = await result.textContent();
  assert.match(text, /Gradient check at epoch 4/);
  assert.deepEqual(await result.locator('th').allTextContents(), ['Wx', 'Wh', 'b', 'Wy', 'by'], 'named as the weights panel names them');
  const numbers = (await result.locator('td').allTextContents()).map(Number);
  assert.equal(numbers.length, 5, text);
  assert.ok(numbers.every((e) => e < 1e-4), `every error is small: ${numbers}`);
  // Every value gets a verdict; the banner closes.
  const verdict = Math.max(...numbers) < 1e-5 ? /^Verdict: backprop agrees/ : /^Verdict: they agree to within 1e-3/;
  assert.match(await result.locator('.verdict').textContent(), verdict, `${numbers}`);
  await result.getByRole('button', { name: 'Dismiss' }).click();
  await eventually(async () => assert.equal(await result.isVisible(), false));
  assert.match(text, /Below 1e-5 they agree; 1e-3 or more would mean a bug/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run of each task downloaded mid-way replays on the command line to the same losses', async () => {
  for (const [name] of TASKS) {
    const { page, errors } = await openPage(browser, `${server.url}#task=random-target`);
    await epochs(page, 4);
    await page.getByLabel('Task', { exact: true }).selectOption(name);
    await epochs(page, 12);
    await slideTo(page, 'Clip gradient', 30);
    await epochs(page, 6);
    const { file, run } = await downloadRun(page, `task-${name}`);
    assert.equal(run.config.task, name);
    assert.equal(run.config.clip_norm, 0.32);
    const replayed = cli(file);
    assert.deepEqual(replayed.losses, run.losses, `${name}: the command line reaches the page's losses`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a moment with task changes replays from its link to the same run', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await epochs(page, 3);
  await page.getByLabel('Task', { exact: true }).selectOption('adding');
  await epochs(page, 4);
  await slideTo(page, 'Init scale', 20);
  await epochs(page, 4);
  // The hash is written in the frame that shows the epoch: wait for both, not just the log.
  // The task change started the count again: 4 + 4 epochs since, the 9th under way.
  await eventually(async () => assert.equal(await epochOf(page), 9));
  await eventually(async () => assert.match((await hashParams(page)).log ?? '', /_g_2$/));
  const url = await page.evaluate(() => location.href);
  assert.match(url, /log=10_5_10_0\.01_seed~\d+_task_adding~\d+_g_2&at=/);
  const { run } = await downloadRun(page, 'moment-task');
  assert.equal(run.epochs_before, 4, 'the run file says it began after the 4th epoch of the task');
  const { page: again, errors: errors2 } = await openPage(browser, url);
  await eventually(async () => assert.equal(await epochOf(again), 9), 8000);
  const { run: replayed } = await downloadRun(again, 'moment-task-again');
  assert.deepEqual(replayed.losses, run.losses);
  assert.deepEqual(replayed.final, run.final);
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await again.close();
});

test('with a loss at every step the gradient bars are cut by source step, and hovering a step traces its gradient back', async () => {
  const { page, errors } = await openPage(browser, server.url + '#task=sine-next&training=bptt&seq_length=12&hidden_size=8');
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await page.waitForTimeout(200);
  const canvas = page.locator('#canvas-grad');
  const box = await canvas.boundingBox();
  const plain = await pixels(page, 'canvas-grad');
  // Over the last bar (t = 12): its own loss's gradient, traced back to t = 1.
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.75);
  await eventually(async () => assert.match(await page.locator('#tooltip').textContent(), /orange: the gradient the loss at t = \d+ sent back/));
  await eventually(async () => assert.notEqual((await pixels(page, 'canvas-grad')).hash, plain.hash, 'the traced bands are lit'));
  await page.mouse.move(box.x - 20, box.y - 20);
  await eventually(async () => assert.equal((await pixels(page, 'canvas-grad')).hash, plain.hash, 'and unlit again'));
  await page.screenshot({ path: `${ARTIFACTS}/gradient-sources.png`, clip: box });
  // The blog's task has one loss: plain bars, no tracing.
  await page.evaluate(() => { location.hash = 'task=random-target&training=bptt'; });
  await eventually(async () => assert.equal((await hashParams(page)).task, undefined));
  const epoch = await epochOf(page);
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await statusIs(page, new RegExp(`^Epoch ${epoch + 1} `));
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.75);
  await eventually(async () => assert.match(await page.locator('#tooltip').textContent(), /‖∂L\/∂h/));
  assert.doesNotMatch(await page.locator('#tooltip').textContent(), /orange/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the sine\'s sequence and the output weights tell their values on hover', async () => {
  const { page, errors } = await openPage(browser, server.url + '#task=sine-next&training=bptt&seq_length=12&hidden_size=8');
  await page.getByRole('button', { name: 'Step epoch' }).click();
  const tip = () => page.locator('#tooltip').textContent();
  const out = await page.locator('#canvas-output').boundingBox();
  await page.mouse.move(out.x + out.width * 0.3, out.y + out.height * 0.5);
  await eventually(async () => assert.match(await tip(), /^t = \d+: x = -?\d\.\d{6}, target y = -?\d\.\d{6}, prediction ŷ = -?\d\.\d{6}$/));
  await page.mouse.move(out.x + out.width * 0.85, out.y + out.height * 0.5);
  await eventually(async () => assert.match(await tip(), /^t = (1[3-9]|2[0-4]), running free: ŷ = -?\d\.\d{6}, fed back as the next x$/));
  const wy = await page.locator('#canvas-wy').boundingBox();
  // Along Wy's one row of cells (O = 1), left to right.
  let seen = '';
  for (let dx = 20; dx < 200 && !seen.startsWith('Wy['); dx += 6) {
    await page.mouse.move(wy.x + dx, wy.y + 38);
    seen = await tip();
  }
  assert.match(seen, /^Wy\[out 1, from unit \d+\] = -?\d\.\d{6}, last update changed it by /);
  assert.deepEqual(errors, []);
  await page.context().close();
});
