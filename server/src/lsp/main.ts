// Entry of the bundled language server (server/out/server.cjs). The transport comes from the command
// line: --stdio, --node-ipc (VS Code) or --socket=PORT. The preview worker has a bundle of its own
// (server/out/preview-worker.cjs, preview/worker-main.ts), started by the server in a worker thread.
import { startServer } from './server.js';

startServer();
