// Preloaded into the soak's server (`node --expose-gc --require test/lsp/soak-probe.cjs server.cjs`),
// never into the product: on SIGUSR2 it runs two full collections and writes process.memoryUsage()
// as JSON to the file named by PACE_SOAK_PROBE (written aside and renamed, so that it is read whole),
// with the heap's spaces and the size of its compiled code (bytecode and machine code, which grows as
// V8 compiles more of the server and is bounded by its size). That gives the soak what the server
// keeps (the live heap after a full collection) apart from how much garbage V8 last let pile up,
// which is most of what VmRSS varies by from one reading to the next. With PACE_SOAK_SNAPSHOT=PREFIX
// it also writes a heap snapshot each time, to see what grew.
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const out = process.env.PACE_SOAK_PROBE;
if (out && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    global.gc();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, x.space_used_size]));
    const code = v8.getHeapCodeStatistics();
    fs.writeFileSync(`${out}.part`, JSON.stringify({ ...process.memoryUsage(), spaces, code: code.code_and_metadata_size + code.bytecode_and_metadata_size }));
    if (process.env.PACE_SOAK_SNAPSHOT) v8.writeHeapSnapshot(`${process.env.PACE_SOAK_SNAPSHOT}-${Date.now()}.heapsnapshot`);
    fs.renameSync(`${out}.part`, out);
  });
}
