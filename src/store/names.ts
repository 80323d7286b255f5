// Safe, reversible file names for branch and suite names.
// Keeps [A-Za-z0-9._-] and percent-encodes every other UTF-8 byte (so `release/1.x` becomes
// `release%2F1.x`); a leading dot is encoded too, so no name is hidden, `.` or `..`.
// Different names always give different file names (on case-sensitive file systems).

const SAFE = /[A-Za-z0-9._-]/;

export function encodeName(name: string): string {
  if (name === '') throw new Error('A branch or suite name is empty; expected a non-empty name.');
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte);
    const safe = byte < 0x80 && SAFE.test(ch) && !(out === '' && ch === '.');
    out += safe ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeName(encoded: string): string {
  return decodeURIComponent(encoded);
}

/** `2025-01-02T03:04:05.678Z` → `20250102T030405678Z`: sortable and safe in file names and keys. */
export function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}
