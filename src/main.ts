// The Action's entry (bundled as dist/index.js): run the orchestrator in src/action/.
import { run } from './action/index.ts';

await run();
