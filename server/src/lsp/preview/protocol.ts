// Messages between the language server's thread and its preview worker (./worker.ts).
import type { IssueLocation, NormalizedModel, PreviewJson, SlaPreview, SloPreview } from '../../core/index.js';

export type ToWorker =
  | {
      readonly type: 'preview';
      readonly id: number;
      /** The project (its folder). */
      readonly key: string;
      readonly root: string;
      /** pace.yaml `data:` globs, relative to the root. */
      readonly globs: readonly string[];
      /** Numbers the inputs: the HTML of a snapshot is asked for by this number. */
      readonly snapshot: number;
      readonly model: NormalizedModel;
      /** Model id → where it is written (for the issues' locations). */
      readonly locations: Readonly<Record<string, IssueLocation>>;
      readonly at?: number;
    }
  | { readonly type: 'html'; readonly id: number; readonly key: string; readonly snapshot: number }
  | { readonly type: 'forget'; readonly key: string };

/** What the editor shows beside the definitions. */
export interface WorkerFigures {
  readonly at: number;
  readonly slos: readonly SloPreview[];
  readonly slas: readonly SlaPreview[];
  readonly issues: number;
}

export type FromWorker =
  | {
      readonly type: 'preview';
      readonly id: number;
      readonly ok: true;
      /** null: no data (see `message`). */
      readonly figures: WorkerFigures | null;
      readonly json: PreviewJson | null;
      readonly files: readonly string[];
      readonly ms: number;
      readonly message?: string;
    }
  | { readonly type: 'html'; readonly id: number; readonly ok: true; readonly html: string; readonly nonce: string }
  | { readonly type: 'preview' | 'html'; readonly id: number; readonly ok: false; readonly error: string };
