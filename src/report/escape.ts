// Benchmark and suite names are data: whatever they contain, they must render as literal text and
// must not break a table, inject HTML, mention people or move a terminal's cursor.

/** C0/C1 control characters and bidirectional overrides ("trojan source"). */
const UNSAFE_CHARS = /(?: *[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069])+ */g;

/** Longest name shown in a table cell; longer names are cut with "…" (the JSON keeps them whole). */
export const MAX_NAME_CHARS = 160;

/** Cuts `text` to at most `max` characters (code points), ending with "…" when cut. */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Control characters and newlines become single spaces. */
export function flattenText(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ');
}

/** `&`, `<`, `>` as HTML entities. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Literal text for Markdown (GitHub flavour), safe inside a table cell: one line, HTML entities
 * for `& < >`, a backslash before every character that could start emphasis, code, links, tables,
 * strike-through or math (`\ ` * _ [ ] | ~ $`), and a word joiner after `@` so that names like
 * `@scope/pkg` do not mention a user or team.
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(flattenText(text))
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u2060');
}

/** A data string for a Markdown cell: flattened, cut to `max` characters, escaped. */
export function markdownCell(text: string, max = MAX_NAME_CHARS): string {
  return escapeMarkdown(truncateText(flattenText(text).trim(), max));
}

/** A data string for a terminal: no control characters (so no escape sequences), one line. */
export function terminalText(text: string): string {
  return flattenText(text);
}

/** A URL for a Markdown link target: only http(s), with spaces and parentheses percent-encoded. */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  return trimmed.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
