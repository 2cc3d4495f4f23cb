#!/usr/bin/env node
// Packages the extension into a .vsix with @vscode/vsce and checks what went in.
//   node client/scripts/package-vsix.mjs [--out pace.vsix]
// vsce is the devDependency pinned in package.json (3.x: it runs on Node 20, as the README promises;
// vsce 4 needs Node 22), run from node_modules with this Node: nothing is downloaded here.
// The bundles must exist first (`npm run build` or `node esbuild.mjs`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const MAX_BYTES = 3 * 1024 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const out = path.resolve(root, outIdx >= 0 ? argv[outIdx + 1] : 'pace.vsix');

function fail(msg) { console.error(`package-vsix: ${msg}`); process.exit(1); }

const required = [
  'client/out/extension.cjs', 'server/out/server.cjs', 'server/out/preview-worker.cjs', 'client/snippets/pace.json',
  'grammar/language-configuration.json', 'grammar/syntaxes/pace.tmLanguage.json', 'schemas/pace-config.schema.json',
];
const missing = required.filter((f) => !fs.existsSync(path.join(root, f)));
if (missing.length) fail(`missing ${missing.join(', ')} (run "npm run build" first)`);

// The installed vsce (npm install puts it in node_modules), its bin script run by this Node.
let vsce;
try {
  const req = createRequire(path.join(root, 'package.json'));
  const manifestPath = req.resolve('@vscode/vsce/package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.vsce;
  vsce = { path: path.join(path.dirname(manifestPath), bin), version: manifest.version };
} catch {
  fail('@vscode/vsce is not installed (run "npm install")');
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.rmSync(out, { force: true });
console.log(`package-vsix: @vscode/vsce ${vsce.version} on Node ${process.versions.node}`);
const r = spawnSync(process.execPath, [vsce.path, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
  // No repository URL: keep README links relative instead of failing on them.
  '--no-rewrite-relative-links', '-o', out],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
if (r.status !== 0) fail(`vsce failed (exit ${r.status ?? r.signal})`);

// List the archive's entries from the zip central directory and check them.
const buf = fs.readFileSync(out);
let eocd = -1;
for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
  if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
}
if (eocd < 0) fail(`${out} is not a zip file`);
const count = buf.readUInt16LE(eocd + 10);
let p = buf.readUInt32LE(eocd + 16);
const entries = [];
for (let i = 0; i < count; i++) {
  if (buf.readUInt32LE(p) !== 0x02014b50) fail('bad zip central directory');
  const size = buf.readUInt32LE(p + 24), nameLen = buf.readUInt16LE(p + 28);
  const extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
  entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
  p += 46 + nameLen + extraLen + commentLen;
}
const bad = entries.filter((e) => /(^|\/)node_modules\/|\.ts$|\.map$|(^|\/)src\/|(^|\/)test\//.test(e.name));
for (const e of entries) console.log(`  ${String(e.size).padStart(9)}  ${e.name}`);
console.log(`package-vsix: ${path.relative(process.cwd(), out) || out}: ${entries.length} entries, ${(buf.length / 1024).toFixed(0)} KiB`);
if (bad.length) fail(`unexpected files in the VSIX: ${bad.map((e) => e.name).join(', ')} (see .vscodeignore)`);
if (buf.length > MAX_BYTES) fail(`the VSIX is ${buf.length} bytes, over the ${MAX_BYTES}-byte budget`);
