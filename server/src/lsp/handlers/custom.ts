// Pace's own requests: pace/check (a project summary), pace/preview (the live preview of a project
// with sample data: its JSON and its page) and pace/generate (not yet).
import { randomBytes } from 'node:crypto';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { PreviewJson } from '../../core/index.js';
import type { Project } from '../projects.js';
import { projectName, type ServerContext } from '../context.js';
import { messagePage, staleBanner, withBanner } from '../preview/page.js';
import { Previews, type PreviewStatus } from '../preview/service.js';

export interface PreviewParams {
  /** A file of the project (or its pace.yaml); else `project`; else the first project with data. */
  readonly uri?: string;
  /** A project's folder, as pace/previewChanged names it. */
  readonly project?: string;
  /** false: the figures only, without the page (default true). */
  readonly html?: boolean;
}

export interface PreviewAnswer {
  /** The project (its folder) and its name (pace.yaml `name`, else the folder's). */
  readonly project: string;
  readonly name: string;
  /** The title of the editor's preview. */
  readonly title: string;
  /** ready; stale (errors now: the last good preview); errors (none yet); no-data; failed; loading. */
  readonly status: PreviewStatus;
  readonly stale: boolean;
  /** Why there is no (fresh) preview. */
  readonly message?: string;
  /** The preview as `pace preview --format json` writes it; null without one. */
  readonly preview: PreviewJson | null;
  /** The data files read. */
  readonly files: readonly string[];
  /** A complete page (the preview's, or one saying why there is none) and its CSP nonce. */
  readonly html?: string;
  readonly nonce?: string;
}

function projectFor(ctx: ServerContext, params: PreviewParams | undefined): Project | undefined {
  if (params?.uri) return ctx.projects.projectOf(ctx.key(params.uri));
  const all = ctx.projects.all();
  if (params?.project) return all.find((p) => p.id === params.project);
  return all.find((p) => Previews.globs(p).length > 0) ?? all[0];
}

async function previewAnswer(ctx: ServerContext, params: PreviewParams | undefined): Promise<PreviewAnswer> {
  const p = projectFor(ctx, params);
  if (!p) throw new ResponseError(ErrorCodes.InvalidParams, params?.uri || params?.project ? 'Pace: no Pace project holds this file' : 'Pace: no Pace project is open');
  const d = await ctx.previews.answer(p);
  const name = projectName(p);
  const title = `Pace Preview: ${name}`;
  const out: PreviewAnswer = { project: p.id, name, title, status: d.status, stale: d.stale, ...(d.message ? { message: d.message } : {}), preview: d.preview, files: d.files };
  if (params?.html === false) return out;
  if (d.snapshot !== null) {
    try {
      const page = await ctx.previews.html(p, d.snapshot);
      return { ...out, html: withBanner(page.html, page.nonce, d.stale ? staleBanner(d.errors) : undefined), nonce: page.nonce };
    } catch (e) {
      // The project changed meanwhile: the next pace/previewChanged brings the new page.
      ctx.log(`Pace: the preview page of ${p.id} is not available: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const nonce = randomBytes(16).toString('base64');
  const message = d.message ?? (d.status === 'loading' ? 'The preview is being computed.' : 'There is no preview of this project yet.');
  return { ...out, html: messagePage(title, message, nonce), nonce };
}

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
  ctx.connection.onRequest('pace/preview', async (params: PreviewParams | undefined): Promise<PreviewAnswer> => {
    try {
      return await previewAnswer(ctx, params);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      ctx.error(`Pace: pace/preview failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `Pace: the preview failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  ctx.connection.onRequest('pace/generate', () => {
    throw new ResponseError(ErrorCodes.MethodNotFound, 'Pace: generate is not available in this version yet');
  });
}
