// A readable, exact text form of loaded sample data for golden files.
import type { SampleData } from '../../server/src/core/evaluate/series.js';
import { seriesKey } from '../../server/src/core/evaluate/series.js';
import { formatPromFloat } from '../../server/src/node/data/numbers.js';

export function renderSampleData(data: SampleData): string {
  const out: string[] = ['series:'];
  for (const s of data.series) {
    out.push(`  ${seriesKey(s.metric, s.labels)}`);
    for (let i = 0; i < s.t.length; i++) out.push(`    ${s.t[i]} ${new Date(s.t[i]).toISOString()} ${formatPromFloat(s.v[i])}`);
  }
  out.push('issues:');
  for (const i of data.issues) {
    out.push(`  ${i.severity} ${i.code} ${i.file ?? ''}${i.line !== undefined ? `:${i.line}` : ''}${i.series ? ` ${i.series}` : ''}`);
    out.push(`    ${i.message}`);
  }
  return `${out.join('\n')}\n`;
}
