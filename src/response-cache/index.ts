/** Whole query results, answered before any GraphQL work and invalidated by every write to the shared cache. */
export { createResponseStore, type CachedResponse, type ResponseHit, type ResponseStore, type ResponseStoreOptions, type ResponseStoreStats } from './store.js';
export { CACHEABLE_ROOT_FIELDS, RESPONSE_CACHE_HEADER, useResponseCache, type ResponseCacheOptions, type ResponseCacheStatus } from './use-response-cache.js';
