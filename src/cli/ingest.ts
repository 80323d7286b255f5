// `perfgate ingest -f FORMAT FILES -o OUT`: another harness's output as perfgate/results@1
// (the formats live in src/ingest/).
import { Option, type Command } from 'commander';
import { gitInfo } from '../git.ts';
import { FORMATS } from '../ingest/index.ts';
import { readAndIngest } from '../ingest/io.ts';
import { machineInfo } from '../machine.ts';
import { VERSION } from '../version.ts';
import { stderr, writeOut, type CmdOpts, type Wrap } from './common.ts';

async function ingestCommand(files: string[], cmdOpts: CmdOpts): Promise<number> {
  const format = cmdOpts.format as string;
  const cwd = process.cwd();
  const { commit, ref } = gitInfo(cwd);
  const { results, notices } = await readAndIngest(format, files, { machine: machineInfo(), commit, ref, startedAt: new Date().toISOString(), toolVersion: VERSION });
  for (const n of notices) stderr(`perfgate: ${n}`);
  const out = cmdOpts.out as string;
  writeOut(out, JSON.stringify(results, null, 2));
  stderr(`perfgate: ${results.benchmarks.length} benchmarks from ${files.length} ${format} file(s) written to ${out}`);
  return 0;
}

export function register(program: Command, wrap: Wrap): void {
  program
    .command('ingest')
    .description('convert another harness\'s output into perfgate/results@1')
    .argument('<files...>', 'output files of the harness; several files of one format are repeated runs (rounds)')
    .addOption(
      new Option('-f, --format <format>', `the harness format:\n${FORMATS.map((f) => `  ${f.name}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}: ${f.description}`).join('\n')}`).makeOptionMandatory(),
    )
    .requiredOption('-o, --out <file>', 'where to write the results JSON')
    .action(wrap((files: string[], o: CmdOpts) => ingestCommand(files, o)));
}
