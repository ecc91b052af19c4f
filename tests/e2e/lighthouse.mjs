// Lighthouse's mobile audit of the release build (dist/), served statically with gzip as a static host would: prints one JSON line of scores.
// Run by scripts/bench.sh, which installs lighthouse first (LIGHTHOUSE names its command).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { serveDist } from './harness.mjs';

const { url, close } = await serveDist({ gzip: true });
const report = path.join(os.tmpdir(), `lighthouse-${process.pid}.json`);
const flags = '--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run';
try {
  // Lighthouse runs as a command of its own, asynchronously, so that this process keeps serving.
  await new Promise((resolve, reject) => {
    const args = [url, '--quiet', '--output=json', `--output-path=${report}`,
      '--only-categories=performance,accessibility,best-practices,seo', `--chrome-flags=${flags}`];
    const env = { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' };
    spawn(process.env.LIGHTHOUSE ?? 'lighthouse', args, { stdio: 'inherit', env })
      .on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lighthouse exited with ${code}`))));
  });
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  const score = (k) => r.categories[k].score;
  const audit = (k) => r.audits[k]?.numericValue;
  console.log(JSON.stringify({
    performance: score('performance'), accessibility: score('accessibility'),
    best_practices: score('best-practices'), seo: score('seo'),
    lcp_ms: audit('largest-contentful-paint'), fcp_ms: audit('first-contentful-paint'), tbt_ms: audit('total-blocking-time'),
  }));
} finally {
  close();
  fs.rmSync(report, { force: true });
}
