// Entry of the bundled language server (server/out/server.cjs). The transport comes from the command
// line: --stdio, --node-ipc (VS Code) or --socket=PORT.
import { startServer } from './server.js';

startServer();
