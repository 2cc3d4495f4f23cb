// Entry of the bundled language server (server/out/server.cjs). The transport comes from the command
// line: --stdio, --node-ipc (VS Code) or --socket=PORT. The same bundle, started in a worker thread
// by the server itself, is the preview worker (preview/worker.ts).
import { isMainThread, workerData } from 'node:worker_threads';
import { runPreviewWorker } from './preview/worker.js';
import { startServer } from './server.js';

if (!isMainThread && (workerData as { paceWorker?: unknown } | undefined)?.paceWorker === 'preview') runPreviewWorker();
else startServer();
