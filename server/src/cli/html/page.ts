// `pace preview --format html`: the charts of the preview (core) on one self-contained page (core),
// with uPlot inlined (./assets.ts) and a fresh CSP nonce per page.
import { randomBytes } from 'node:crypto';
import pkg from '../../../../package.json';
import { previewCharts, previewHtml, type IssueLocation, type NormalizedModel, type PreviewIssue, type PreviewResult, type SampleData } from '../../core/index.js';
import { uplotAssets } from './assets.js';

/** 128 random bits, base64: a CSP nonce. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function renderPreviewHtml(model: NormalizedModel, data: SampleData, result: PreviewResult, locate?: (i: PreviewIssue) => IssueLocation | undefined, nonce = newNonce()): string {
  const charts = previewCharts(model, data, result);
  const { script, style } = uplotAssets();
  return previewHtml(model, result, charts, { nonce, assets: { script, style }, locate, generator: `pace ${pkg.version}` });
}
