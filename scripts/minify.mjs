// Trunk's post-build hook: minifies the JavaScript of a release build with terser (Trunk minifies HTML and CSS itself).
import fs from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE === 'release') {
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const file = path.join(dir, name);
    const out = await minify(fs.readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
    fs.writeFileSync(file, out.code);
  }
}
