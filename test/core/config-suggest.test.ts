// pace.yaml: an unknown key gets the closest known key of its place as a did-you-mean (and a fix),
// located at the key itself.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/src/core/index.js';

const uri = 'file:///p/pace.yaml';
const at = (text: string, word: string) => ({ start: text.indexOf(word), end: text.indexOf(word) + word.length });

describe('pace.yaml unknown keys', () => {
  it("'max_warning' in check: did you mean 'max_warnings'?, at the key, with a fix", () => {
    const text = 'version: 1\ncheck:\n  max_warning: 3\n';
    const { diagnostics } = parseConfig(uri, text);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect([d.code, d.message]).toEqual(['config/invalid', "Unknown key 'max_warning' in 'check'. Did you mean 'max_warnings'?"]);
    expect(d.range).toEqual(at(text, 'max_warning'));
    expect(d.fixes).toEqual([{ title: "Change to 'max_warnings'", edits: [{ uri, range: at(text, 'max_warning'), newText: 'max_warnings' }], preferred: true }]);
  });

  it('every unknown key gets its own diagnostic, with the keys of its own level', () => {
    const text = 'version: 1\nfils: ["*.pace"]\nexclued: []\nnmae: shop\nlabel: {}\ncheck:\n  max_warnigns: 1\n';
    const { diagnostics } = parseConfig(uri, text);
    expect(diagnostics.map((d) => [d.message, text.slice(d.range.start, d.range.end)])).toEqual([
      ["Unknown key 'fils' in pace.yaml. Did you mean 'files'?", 'fils'],
      ["Unknown key 'exclued' in pace.yaml. Did you mean 'exclude'?", 'exclued'],
      ["Unknown key 'nmae' in pace.yaml. Did you mean 'name'?", 'nmae'],
      ["Unknown key 'label' in pace.yaml. Did you mean 'labels'?", 'label'],
      ["Unknown key 'max_warnigns' in 'check'. Did you mean 'max_warnings'?", 'max_warnigns'],
    ]);
  });

  it('no guess for a key that is like none, and keys of another level are not offered', () => {
    const text = 'version: 1\nfrobnicate: true\ncheck:\n  files: []\n';
    const { diagnostics } = parseConfig(uri, text);
    expect(diagnostics.map((d) => d.message)).toEqual(["Unknown key 'frobnicate' in pace.yaml.", "Unknown key 'files' in 'check'."]);
    expect(diagnostics.every((d) => d.fixes === undefined)).toBe(true);
  });
});
