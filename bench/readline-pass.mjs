// The floor for any JavaScript tool reading a text file: one plain `readline` pass over it, counting
// its lines (bench/run.mjs --only preview compares `pace preview` with it, as whole processes).
//   node bench/readline-pass.mjs FILE   → prints the line count
import fs from 'node:fs';
import readline from 'node:readline';

let lines = 0;
for await (const _ of readline.createInterface({ input: fs.createReadStream(process.argv[2]), crlfDelay: Infinity })) lines++;
console.log(lines);
