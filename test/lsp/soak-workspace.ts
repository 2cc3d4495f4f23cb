// The soak's workspace: 50 `.pace` files in a temporary folder, the six samples/ files and 44 generated
// ones that reference each other and the samples across files (depends_on a service of the previous
// file or of samples/, `alerting =` a policy defined in another file, an objective supported by the
// next file's SLO), so that an edit in one file changes the diagnostics of others.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository (the default; scripts/soak.mjs, which bundles this file, passes its own). */
export const ROOT = path.resolve(__dirname, '..', '..');
export const GENERATED = 44;

const TIERS = ['high', 'medium', 'low'];
const id = (i: number) => `gen_${String(i).padStart(2, '0')}`;

/** The generated file number i (0-based), as text. */
export function generatedFile(i: number, n = GENERATED): string {
  const s = id(i);
  // A dependency in the previous file (a chain across files), the first on the samples' postgres.
  const dep = i === 0 ? 'postgres' : id(i - 1);
  // Every fourth file defines a policy used by the three after it.
  const policy = `policy_${String(i - (i % 4)).padStart(2, '0')}`;
  const own =
    i % 4 === 0
      ? `
/// Paging for the services ${s} to ${id(Math.min(n - 1, i + 3))}.
alerting ${policy} {
  labels { team = "team-${i % 7}" }
  page   when burn_rate > 14.4 over 1h and 5m
  page   when burn_rate > 6    over 6h and 30m
  ticket when burn_rate > 1    over 3d and 6h
}
`
      : '';
  return `// Generated for the language-server soak: file ${i} of ${n}.
/// Service number ${i}, behind ${dep}.
service ${s} {
  title      = "Service ${i}"
  owner      = "team-${i % 7}"
  tier       = ${TIERS[i % 3]}
  depends_on = [${dep}]
  labels     { team = "team-${i % 7}", env = "prod" }

  /// Requests that did not fail on the server side.
  sli requests = ratio {
    good  = http_requests_total{job="${s}", code!~"5.."}
    total = http_requests_total{job="${s}"}
  }

  sli fast = latency {
    histogram = http_request_duration_seconds{job="${s}"}
    under     = 300ms
  }

  slo availability {
    sli       = requests
    objective = 99%
    window    = 30d
    alerting  = ${policy}
  }

  slo fast {
    sli       = fast
    objective = 95%
    window    = 28d
    alerting  = ${i % 2 ? 'burn_rate_default' : 'default'}
  }
}
${own}
/// What service ${id((i + 1) % n)} is for.
objective goal_${String(i).padStart(2, '0')} {
  title        = "Keep ${id((i + 1) % n)} up"
  supported_by = [${id((i + 1) % n)}.availability, checkout.availability]
}
`;
}

export const PACE_YAML = `# The language-server soak's project (test/lsp/soak-driver.ts).
version: 1
name: soak
files:
  - "**/*.pace"
`;

/** Writes the 50-file project into a new temporary folder; returns the folder and its files (relative paths). */
export function writeSoakWorkspace(root = ROOT): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pace-soak-'));
  fs.writeFileSync(path.join(dir, 'pace.yaml'), PACE_YAML);
  const files: string[] = [];
  const samples = path.join(root, 'samples');
  fs.mkdirSync(path.join(dir, 'samples'));
  for (const f of fs.readdirSync(samples).filter((x) => x.endsWith('.pace')).sort()) {
    fs.copyFileSync(path.join(samples, f), path.join(dir, 'samples', f));
    files.push(`samples/${f}`);
  }
  fs.mkdirSync(path.join(dir, 'gen'));
  for (let i = 0; i < GENERATED; i++) {
    const rel = `gen/${id(i)}.pace`;
    fs.writeFileSync(path.join(dir, rel), generatedFile(i));
    files.push(rel);
  }
  return { dir, files };
}
