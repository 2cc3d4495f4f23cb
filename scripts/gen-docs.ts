// Writes the generated docs: docs/diagnostics.md and the block reference of docs/language.md.
// Run with `npm run docs:gen` (bundled on the fly with esbuild: Node 20 cannot run TypeScript).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { blocksSection, brokenSamples, diagnosticsDoc, replaceGenerated } from './docs.js';

const root = process.cwd();
if (!fs.existsSync(path.join(root, 'samples', 'broken'))) {
  console.error('gen-docs: run from the repository root (npm run docs:gen)');
  process.exit(2);
}

const read = (rel: string) => {
  const file = path.join(root, rel);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
};

function write(rel: string, text: string): void {
  if (read(rel) === text) return void console.log(`${rel}: up to date`);
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`${rel}: written`);
}

write('docs/diagnostics.md', diagnosticsDoc(brokenSamples(read)));
write('docs/language.md', replaceGenerated(read('docs/language.md') ?? '', blocksSection()));
