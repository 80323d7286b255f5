// The reference workload (DESIGN.md section 9): the seed engine's hot paths as real components,
// each in TypeScript and, where native speed matters, in Rust in the workload's own addon
// (workload/native/src/scan.rs, yaml.rs, vector.rs) with identical outputs. bench/*.bench.ts
// measures them. A project of its own: it uses perfgate only through the package's public
// exports (`perfgate/load`, `perfgate/results`, `perfgate/native`), as a user's project would.
export { CircuitBreaker, CircuitOpenError, type BreakerOptions, type BreakerState, type BreakerStats } from './breaker.ts';
export { LruCache, MultiLevelCache, ShardedStore, type CacheStats, type CacheTier, type MultiLevelOptions } from './cache.ts';
export { checkConfigFolder, checkConfigs, ConfigSyntaxError, parseConfigNative, parseConfigTs, validateConfig, type ConfigReport } from './config.ts';
export { ensureCorpus, type CorpusInfo, type CorpusOptions } from './corpus.ts';
export { nativeUnavailableReason, nativeWorkload } from './native.ts';
export { RedisClient, RedisTier, redisTierFromEnv } from './redis.ts';
export { backoffDelay, NonRetryableError, retry, RetryBudget, RetryBudgetExhaustedError, type RetryOptions } from './retry.ts';
export { scanDirectory, scanDirectoryNative, scanTexts, scanTextsNative, RULES, type Finding, type ScanResult } from './scan.ts';
export { startReferenceService, type ReferenceService } from './service.ts';
export { cosine, dot, generateEmbeddings, NativeVectorIndex, VectorIndex, type Neighbour } from './vector.ts';
