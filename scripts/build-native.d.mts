// Types of scripts/build-native.mjs for the TypeScript code that reuses it (the Action).
export interface BuildNativeOptions {
  root?: string;
  force?: boolean;
  requireNative?: boolean;
  useNapiCli?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}
export interface BuildNativeResult {
  status: 'built' | 'up-to-date' | 'skipped';
  file: string | null;
  reason?: string;
}
export function buildNative(options?: BuildNativeOptions): BuildNativeResult;
export function findCargo(env?: NodeJS.ProcessEnv): string | null;
