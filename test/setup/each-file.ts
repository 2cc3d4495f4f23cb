// vitest setupFiles: runs in every test file's worker.
//
// Before each test the worker lets its event loop turn once (setImmediate comes after the poll
// phase, where vitest's RPC replies are read). vitest runs a file's tests back to back in microtasks,
// so without this a file of many synchronous tests never reads the replies to its progress reports;
// past vitest's fixed 60 s RPC timeout that ends the run with "Timeout calling onTaskUpdate" and
// exit 1 though every test passed. A single test that computes for long must await
// turnEventLoop() itself, or be split; a long child process is run with `run` (helpers/debian.ts).
import { beforeEach } from 'vitest';
import { turnEventLoop } from '../helpers/yield.js';

beforeEach(turnEventLoop);
