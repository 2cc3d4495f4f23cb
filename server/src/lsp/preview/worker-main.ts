// Entry of the preview worker's own bundle (server/out/preview-worker.cjs), which the server starts in
// a worker thread (service.ts). A bundle of its own so that the server's thread never loads what only
// the preview needs (sample data readers, the evaluator, the HTML page with uPlot): the server's
// process holds its bundle's whole source for as long as it runs.
import { runPreviewWorker } from './worker.js';

runPreviewWorker();
