// Test data: OpenMetrics written line by line to a file, never held whole in memory.
import { openSync, writeSync, closeSync } from 'node:fs';

/**
 * A counter per series (Kubernetes-like labels, about 200 bytes a line), one sample a minute from
 * 2026-10-01, interleaved by time as a scrape writes them, until the file reaches `bytes`.
 * Returns the number of samples written.
 */
export function writeLargeOpenMetrics(file: string, bytes: number, seriesCount = 50): number {
  const fd = openSync(file, 'w');
  const start = Date.UTC(2026, 9, 1) / 1000;
  const texts = Array.from(
    { length: seriesCount },
    (_, i) =>
      `http_server_requests_seconds_count{cluster="prod-eu-west-1",namespace="payments",pod="checkout-api-7d9f8b6c5-${String(i).padStart(5, 'x')}",container="checkout",method="POST",route="/api/v1/checkout/{id}",code="${200 + (i % 5)}"}`,
  );
  let written = 0;
  let samples = 0;
  let out = `# TYPE http_server_requests_seconds summary\n`;
  for (let step = 0; written < bytes; step++) {
    for (let i = 0; i < seriesCount; i++) {
      out += `${texts[i]} ${step * (i + 1)} ${start + step * 60}\n`;
      samples++;
    }
    if (out.length > 1 << 20) {
      written += writeSync(fd, out);
      out = '';
    }
  }
  writeSync(fd, `${out}# EOF\n`);
  closeSync(fd);
  return samples;
}
