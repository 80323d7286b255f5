// Errors for malformed harness output: they name the file, where in it (a line number for text
// formats, a field path for JSON) and what was expected.

export class IngestError extends Error {
  readonly file: string;
  /** `line 12` or a JSON field path such as `benchmarks[3].real_time`. */
  readonly where: string;

  constructor(file: string, where: string, message: string) {
    super(`${file}: ${where ? `${where}: ` : ''}${message}`);
    this.name = 'IngestError';
    this.file = file;
    this.where = where;
  }
}

/** A short, quoted rendering of a bad value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
