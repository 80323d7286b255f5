import pkg from '../package.json' with { type: 'json' };

/** perfgate's own version, recorded in every results file. */
export const VERSION: string = pkg.version;
