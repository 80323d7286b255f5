// Bundles the Action (dist/index.js, from src/main.ts), the CLI (dist/cli.js, from src/cli.ts) and the suite harness (dist/harness.js)
// with esbuild: ESM, source maps, everything inlined except the native loader, which stays in
// native/ beside dist/ so it can find the platform's .node file next to itself.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';



/** Keeps `native/index.js` out of the bundle, imported from dist/ by a relative path. */
const nativeExternal = {
  name: 'native-external',
  setup(b) {
    b.onResolve({ filter: /native\/index\.js$/ }, () => ({ path: '../native/index.js', external: true }));
  },
};

const result = await build({
  metafile: true,
  entryPoints: { index: 'src/main.ts', cli: 'src/cli.ts', harness: 'src/measure/harness.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [nativeExternal],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);",
  },
});

// Remove files of earlier builds that this one did not write (written files are replaced in
// place, so a suite process starting during a rebuild never finds dist/ empty).
const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
for (const name of readdirSync('dist')) {
  const file = path.resolve('dist', name);
  if (!written.has(file)) rmSync(file, { recursive: true, force: true });
}
