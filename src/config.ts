// Finds and reads the configuration file: `perfgate.config.json`, `perfgate.config.mjs` /
// `.js` (default export), or the `perfgate` key of package.json. Keys are the Action's input
// names (kebab-case; camelCase accepted). Validation happens in parseOptions.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OptionsError, type RawOptions } from './options.ts';

export const CONFIG_FILES = ['perfgate.config.json', 'perfgate.config.mjs', 'perfgate.config.js'];

export interface LoadedConfig {
  raw: RawOptions;
  /** Where it came from, for messages ("perfgate.config.json", "package.json#perfgate"), or null. */
  file: string | null;
}

function asRaw(value: unknown, label: string): RawOptions {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new OptionsError(`${label} must hold an object of options (such as {"fail-on": "major"}); got ${JSON.stringify(value)}.`);
  }
  for (const [key, v] of Object.entries(value)) {
    const ok = v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) throw new OptionsError(`${label}: key "${key}" has a value of the wrong kind (${JSON.stringify(v)}); expected a string, number, boolean or list of strings.`);
  }
  return value as RawOptions;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OptionsError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OptionsError(`${file} is not valid JSON: ${(err as Error).message}. Fix the file or remove it.`);
  }
}

/** Loads the config; `explicit` is a path given with --config (must exist). */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const candidates = explicit ? [path.resolve(cwd, explicit)] : CONFIG_FILES.map((f) => path.join(cwd, f));
  if (explicit && !existsSync(candidates[0])) {
    throw new OptionsError(`Config file "${explicit}" does not exist (looked in ${cwd}).`);
  }
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const label = path.relative(cwd, file) || file;
    if (file.endsWith('.json')) return { raw: asRaw(readJson(file), label), file: label };
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (err) {
      throw new OptionsError(`Cannot load ${label}: ${(err as Error).message}`);
    }
    return { raw: asRaw(mod.default, `${label} (default export)`), file: label };
  }
  const pkgFile = path.join(cwd, 'package.json');
  if (!explicit && existsSync(pkgFile)) {
    const pkg = readJson(pkgFile) as { perfgate?: unknown };
    if (pkg && typeof pkg === 'object' && 'perfgate' in pkg) return { raw: asRaw(pkg.perfgate, 'package.json "perfgate" key'), file: 'package.json#perfgate' };
  }
  return { raw: {}, file: null };
}
