// The thin I/O edge of ingest: reads the files, then hands their text to the pure parsers.
import { readFile } from 'node:fs/promises';
import { findFormat, ingestDetailed, type IngestMeta, type IngestOutput } from './index.ts';

/**
 * Reads harness output files and converts them into one perfgate/results@1 document.
 * Several files of one format are several runs: each contributes rounds in the order given.
 */
export async function readAndIngest(format: string, paths: string[], meta: IngestMeta): Promise<IngestOutput> {
  findFormat(format); // an unknown format is named before any file is read
  const files = await Promise.all(
    paths.map(async (path) => {
      try {
        return { path, text: await readFile(path, 'utf8') };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
        throw new Error(`cannot read ${format} output ${path}: ${why}`);
      }
    }),
  );
  return ingestDetailed(format, files, meta);
}
