// Pace's own requests: pace/check (a project summary), pace/generate and pace/preview (not yet).
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Project } from '../projects.js';
import type { ServerContext } from '../context.js';

export interface CheckResult {
  errors: number;
  warnings: number;
  files: number;
}

export function registerCustom(ctx: ServerContext): void {
  ctx.connection.onRequest(
    'pace/check',
    ctx.guard('pace/check', { errors: 0, warnings: 0, files: 0 } as CheckResult, (params: { uri?: string } | undefined): CheckResult => {
      let projects: Project[] = ctx.projects.all();
      if (params?.uri) {
        const p = ctx.projects.projectOf(ctx.key(params.uri));
        projects = p ? [p] : [];
      }
      const out: CheckResult = { errors: 0, warnings: 0, files: 0 };
      for (const p of projects) {
        if (p.dirty) ctx.publisher.publish(p);
        const a = p.analysis(ctx.open);
        out.files += a.files.size;
        for (const d of a.diagnostics) {
          if (d.severity === 'error') out.errors++;
          else if (d.severity === 'warning') out.warnings++;
        }
      }
      return out;
    }),
  );
  for (const name of ['generate', 'preview'] as const) {
    ctx.connection.onRequest(`pace/${name}`, () => {
      throw new ResponseError(ErrorCodes.MethodNotFound, `Pace: ${name} is not available in this version yet`);
    });
  }
}
