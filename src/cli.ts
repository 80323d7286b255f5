#!/usr/bin/env node
// The CLI's entry (bundled as dist/cli.js, the `perfgate` bin): the program is src/cli/index.ts.
import { main } from './cli/index.ts';

export { buildProgram, formatProgress, main, type ProgressEvent } from './cli/index.ts';

const invokedDirectly = process.argv[1] && /(?:^|[\\/])(cli\.(?:js|ts)|perfgate)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
