// Shared by the end-to-end tests: serve dist/ on a free loopback port and drive Debian's Chromium.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const DIST = path.resolve(import.meta.dirname, '../../dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/** Serves dist/ on 127.0.0.1 at a free port; resolves to { url, close }. */
/** With `gzip`, compresses what the browser accepts compressed, as a static host does. */
export function serveDist({ gzip = false } = {}) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(DIST, rel);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' };
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'cache-control': 'max-age=31536000' });
      fs.createReadStream(file).pipe(zlib.createGzip({ level: 9 })).pipe(res);
      return;
    }
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      // For the memory test: exact heap sizes, and gc() to measure after collection.
      '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
}

/**
 * A page that records console errors and page errors into `errors`; `locale` is the browser's language.
 * The visitor has been here before (the tour's first-visit offer stays away) unless `firstVisit`.
 */
export async function openPage(browser, url, { width = 1440, height = 900, scale = 1, touch = false, init, locale = 'en-US', firstVisit = false } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, deviceScaleFactor: scale, acceptDownloads: true, hasTouch: touch, isMobile: touch, locale,
  });
  if (!firstVisit) await context.addInitScript(() => { try { localStorage.setItem('rnn-playground.tour', 'seen'); } catch {} });
  if (init) await context.addInitScript(init); // runs in every page before its own scripts
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.firstFrameMs !== undefined, null, { timeout: 15000 });
  return { page, errors, context };
}

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results');
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** Retries `check` until it passes (the page redraws on its next animation frame). */
export async function eventually(check, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** The status line's text. */
export const status = (page) => page.locator('#status').textContent();
/** Waits until the status line matches `re`. */
export const statusIs = (page, re, ms) => eventually(async () => assert.match(await status(page), re), ms);
/** The epoch the status line shows. */
export const epochOf = async (page) => Number((await status(page)).match(/Epoch (\d+)/)[1]);
/** The URL hash's settings as an object. */
export const hashParams = async (page) => Object.fromEntries(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)));

/** A cheap fingerprint of a canvas's pixels, and how many are not white. */
export async function pixels(page, id) {
  return page.evaluate((id) => {
    // Read a copy, so the page's own canvas is never read back (Chromium warns about that).
    const src = document.getElementById(id);
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let hash = 0, ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) ink++;
      hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2] + 17 * d[i + 3]) >>> 0;
    }
    return { hash, ink };
  }, id);
}

/** Downloads the current run file into test-results/ (its name after `prefix`-) and returns it parsed. */
export async function downloadRun(page, prefix) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download run' }).click()]);
  const name = prefix ? `${prefix}-${download.suggestedFilename()}` : download.suggestedFilename();
  const file = path.join(ARTIFACTS, name);
  await download.saveAs(file);
  return { file, run: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

/** Runs the native command line (RNN_CLI, or the release build) on a run file; returns the completed run. */
export function cli(file) {
  const bin = process.env.RNN_CLI ?? path.resolve(import.meta.dirname, '../../target/release/rnn-playground');
  const out = spawnSync(bin, ['run', file], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}
