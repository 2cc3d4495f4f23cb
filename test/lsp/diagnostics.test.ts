// Diagnostics over the protocol: conversion (UTF-16 positions, codes, related information, fixes in
// `data`), cross-file re-publishing, pace.yaml reloads, watched-file creates and deletes, one-file
// projects for files outside every project.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, pos } from '../helpers/lsp-harness.js';
import { writeFile } from '../helpers/fixture.js';

const CHECKOUT = `service checkout {
  tier       = critical
  depends_on = [payments]
  sli availability = ratio {
    good  = http_requests_total{job="checkout", code!~"5.."}
    total = http_requests_total{job="checkout"}
  }
  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 30d
  }
}
`;

const PAYMENTS = `service payments {
  sli ok = ratio {
    good  = g
    total = t
  }
  slo ok {
    sli       = ok
    objective = 99.95%
    window    = 30d
  }
}
`;

const OBJECTIVES = `objective growth {
  supported_by = [checkout.availability, payments.ok]
}
`;

const FIXTURE = `
//- shop/pace.yaml
version: 1
name: shop
//- shop/checkout.pace
${CHECKOUT}
//- shop/payments.pace
${PAYMENTS}
//- shop/objectives.pace
${OBJECTIVES}
`;

const codes = (d: Diagnostic[] | undefined) => (d ?? []).map((x) => x.code);

describe('diagnostics', () => {
  let c: LspClient;
  beforeAll(async () => {
    c = await LspClient.start({ fixture: FIXTURE, waitFor: ['shop/checkout.pace', 'shop/payments.pace', 'shop/objectives.pace'] });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('publishes with UTF-16 positions, code, source, severity and the fixes in data', async () => {
    const text = `/// Ünïcödé 😀😀 doc.\nservice emoji {\n  title = "😀😀"  tier = urgent\n  slo s {\n    sli = missing\n    objective = 0.999\n    window = 30d\n  }\n}\n`;
    await c.open('shop/emoji.pace', text);
    const d = await c.waitForDiagnostics('shop/emoji.pace', { until: (l) => l.length >= 3 });
    const urgent = d.find((x) => x.code === 'check/invalid-value')!;
    // "😀" is two UTF-16 code units: `urgent` starts at character 25 of line 2 (21 code points).
    const at = text.indexOf('urgent');
    expect(urgent.range).toEqual({ start: pos(text, at), end: pos(text, at + 6) });
    expect(urgent.range.start).toEqual({ line: 2, character: 25 });
    expect(urgent).toMatchObject({ severity: 1, source: 'pace', message: expect.stringContaining("found 'urgent'") });
    const wrong = d.find((x) => x.code === 'check/wrong-type')!;
    expect(wrong.data).toEqual({
      fixes: [{ title: 'Change to 99.9%', preferred: true, edits: [{ uri: c.uri('shop/emoji.pace'), range: wrong.range, newText: '99.9%' }] }],
    });
    expect(codes(d)).toContain('link/unresolved-reference');
    await c.close('shop/emoji.pace');
    await c.waitForDiagnostics('shop/emoji.pace', { until: (l) => l.length === 0 });
  });

  it('carries related information', async () => {
    const text = CHECKOUT + '\nservice checkout {\n}\n';
    await c.open('shop/checkout.pace', text);
    const d = await c.waitForDiagnostics('shop/checkout.pace', { until: (l) => codes(l).includes('link/duplicate-name') });
    const dup = d.find((x) => x.code === 'link/duplicate-name')!;
    expect(dup.relatedInformation).toEqual([{ location: { uri: c.uri('shop/checkout.pace'), range: { start: { line: 0, character: 8 }, end: { line: 0, character: 16 } } }, message: "'checkout' is first declared here." }]);
    await c.change('shop/checkout.pace', CHECKOUT);
    await c.waitForDiagnostics('shop/checkout.pace', { until: (l) => l.length === 0 });
  });

  it('re-publishes other files of the project when a rename in one breaks or fixes them', async () => {
    await c.open('shop/payments.pace', PAYMENTS);
    const mark = c.mark();
    // Rename the SLO `ok` (and its SLI reference stays valid): the objective in another file breaks.
    await c.change('shop/payments.pace', PAYMENTS.replace('slo ok', 'slo healthy'));
    const broken = await c.waitForDiagnostics('shop/objectives.pace', { after: mark, until: (l) => l.length > 0 });
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ code: 'link/wrong-kind', message: "'ok' is an SLI, but 'supported_by' expects an SLO." });
    expect(broken[0].range).toEqual({ start: pos(OBJECTIVES, OBJECTIVES.indexOf('ok]')), end: pos(OBJECTIVES, OBJECTIVES.indexOf('ok]') + 2) });
    // Renaming an SLI breaks the SLO that uses it, in the same file, and nothing else.
    const mark2 = c.mark();
    await c.change('shop/payments.pace', PAYMENTS.replace('sli ok', 'sli good_requests'));
    const own = await c.waitForDiagnostics('shop/payments.pace', { after: mark2, until: (l) => l.length > 0 });
    expect(own.map((x) => x.message)).toEqual(["'ok' is an SLO, but 'sli' expects an SLI."]);
    const fixed = await c.waitForDiagnostics('shop/objectives.pace', { after: mark2, until: (l) => l.length === 0 });
    expect(fixed).toEqual([]);
    // Renaming the service breaks `depends_on` in checkout.pace and the objective, which are re-published.
    const mark3 = c.mark();
    await c.change('shop/payments.pace', PAYMENTS.replace('service payments', 'service billing'));
    expect(codes(await c.waitForDiagnostics('shop/checkout.pace', { after: mark3, until: (l) => l.length > 0 }))).toEqual(['link/unresolved-reference']);
    expect(codes(await c.waitForDiagnostics('shop/objectives.pace', { after: mark3, until: (l) => l.length > 0 }))).toEqual(['link/unresolved-reference']);
    // And back: everything is clean again, without re-publishing files whose diagnostics did not change.
    const mark4 = c.mark();
    await c.change('shop/payments.pace', PAYMENTS);
    await c.waitForDiagnostics('shop/checkout.pace', { after: mark4, until: (l) => l.length === 0 });
    await c.waitForDiagnostics('shop/objectives.pace', { after: mark4, until: (l) => l.length === 0 });
    expect(c.publications('shop/payments.pace', mark4)).toHaveLength(0);
    await c.close('shop/payments.pace');
  });

  it('coalesces a burst of edits and publishes the last version', async () => {
    await c.open('shop/payments.pace', PAYMENTS);
    const mark = c.mark();
    for (let i = 0; i < 20; i++) await c.change('shop/payments.pace', PAYMENTS.replace('99.95%', `${i === 19 ? '0.5' : '99.5'}`));
    const d = await c.waitForDiagnostics('shop/payments.pace', { after: mark, until: (l) => l.some((x) => String(x.message).includes('0.5')) });
    expect(codes(d)).toEqual(['check/wrong-type']);
    expect(c.publications('shop/payments.pace', mark).length).toBeLessThan(20);
    const last = c.publications('shop/payments.pace', mark).pop()!;
    expect(last.version).toBe(21);
    await c.change('shop/payments.pace', PAYMENTS);
    await c.waitForDiagnostics('shop/payments.pace', { until: (l) => l.length === 0 });
    await c.close('shop/payments.pace');
  });

  it('reports PromQL syntax errors inside the string', async () => {
    const text = 'service q {\n  sli grpc = promql {\n    good  = `sum(rate(grpc_total{code="OK"}[$window])`\n    total = "sum(rate(grpc_total[$window]))"\n  }\n}\n';
    await c.open('shop/promql.pace', text);
    const d = await c.waitForDiagnostics('shop/promql.pace', { until: (l) => l.length > 0 });
    expect(d).toEqual([expect.objectContaining({ code: 'check/promql-syntax', message: "Invalid PromQL: unexpected end of the expression in 'good'." })]);
    // At the closing backtick: the expression ends there without its ')'.
    const at = text.indexOf(')`') + 1;
    expect(d[0].range).toEqual({ start: pos(text, at), end: pos(text, at + 1) });
    await c.close('shop/promql.pace');
  });

  it('picks up files created and deleted on disk (didChangeWatchedFiles)', async () => {
    const mark = c.mark();
    writeFile(c.dir, 'shop/extra.pace', 'service checkout {\n}\n');
    await c.watched([{ rel: 'shop/extra.pace', type: 1 }]);
    const d = await c.waitForDiagnostics('shop/extra.pace', { after: mark, until: (l) => l.length > 0 });
    expect(codes(d)).toEqual(['link/duplicate-name']);
    // A change on disk.
    fs.writeFileSync(path.join(c.dir, 'shop/extra.pace'), 'service extra {\n  tier = urgent\n}\n');
    await c.watched([{ rel: 'shop/extra.pace', type: 2 }]);
    expect(codes(await c.waitForDiagnostics('shop/extra.pace', { until: (l) => codes(l).includes('check/invalid-value') }))).toEqual(['check/invalid-value']);
    // Deleted: its diagnostics are cleared.
    const mark2 = c.mark();
    fs.rmSync(path.join(c.dir, 'shop/extra.pace'));
    await c.watched([{ rel: 'shop/extra.pace', type: 3 }]);
    expect(await c.waitForDiagnostics('shop/extra.pace', { after: mark2 })).toEqual([]);
    expect(await c.request('pace/check', {})).toMatchObject({ files: 3 });
  });

  it('reloads a project when its pace.yaml changes, with config diagnostics on pace.yaml', async () => {
    const yaml = path.join(c.dir, 'shop/pace.yaml');
    const mark = c.mark();
    fs.writeFileSync(yaml, 'version: 1\nname: shop\nfiles: 12\n');
    await c.watched([{ rel: 'shop/pace.yaml', type: 2 }]);
    const d = await c.waitForDiagnostics('shop/pace.yaml', { after: mark, until: (l) => l.length > 0 });
    expect(d[0]).toMatchObject({ code: 'config/invalid', source: 'pace', severity: 1 });
    expect(d[0].range.start.line).toBe(2);
    // Exclude a file: its diagnostics are cleared and references into it break.
    const mark2 = c.mark();
    fs.writeFileSync(yaml, 'version: 1\nname: shop\nexclude:\n  - payments.pace\n');
    await c.watched([{ rel: 'shop/pace.yaml', type: 2 }]);
    expect(await c.waitForDiagnostics('shop/pace.yaml', { after: mark2 })).toEqual([]);
    const obj = await c.waitForDiagnostics('shop/objectives.pace', { after: mark2, until: (l) => l.length > 0 });
    expect(obj[0].message).toContain("Could not resolve service 'payments'");
    expect(await c.request('pace/check', {})).toMatchObject({ files: 2 });
    // Restore.
    const mark3 = c.mark();
    fs.writeFileSync(yaml, 'version: 1\nname: shop\n');
    await c.watched([{ rel: 'shop/pace.yaml', type: 2 }]);
    await c.waitForDiagnostics('shop/objectives.pace', { after: mark3, until: (l) => l.length === 0 });
    expect(await c.request('pace/check', {})).toEqual({ errors: 0, warnings: 0, files: 3 });
  });

  it('reloads the config from an open, edited pace.yaml', async () => {
    await c.open('shop/pace.yaml', 'version: 1\nname: shop\n');
    await c.change('shop/pace.yaml', 'version: 1\nname: shop\nbogus: true\n');
    const d = await c.waitForDiagnostics('shop/pace.yaml', { until: (l) => l.length > 0 });
    expect(d[0]).toMatchObject({ code: 'config/invalid', message: "Unknown key 'bogus' in pace.yaml." });
    await c.close('shop/pace.yaml');
    await c.waitForDiagnostics('shop/pace.yaml', { until: (l) => l.length === 0 });
  });

  it('analyses a file outside every project on its own', async () => {
    const outside = writeFile(path.dirname(c.dir), `${path.basename(c.dir)}-outside/lone.pace`, '');
    const uri = 'file://' + outside;
    await c.open(uri, 'service lone {\n  depends_on = [checkout]\n}\n');
    const d = await c.waitForDiagnostics(uri, { until: (l) => l.length > 0 });
    // A one-file project: `checkout` of the workspace is not visible.
    expect(d.map((x) => x.message)).toEqual(["Could not resolve service 'checkout'."]);
    const hover = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } });
    expect(hover?.contents.value).toContain('`lone`');
    await c.close(uri);
    expect(await c.waitForDiagnostics(uri, { until: (l) => l.length === 0 })).toEqual([]);
    fs.rmSync(path.dirname(outside), { recursive: true, force: true });
  });
});
