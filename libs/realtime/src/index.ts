// Public API of @mmatlas/realtime: the PubSub contract for live events, in-process or cross-node over Redis,
// the REDIS_URL setting, and a reachability check for tests and tools.
export { createInMemoryPubSub, createSubscriberQueue, type PubSub, type SubscriberQueue } from "./pubsub";
export { createRedisPubSub, type RedisPubSub, type RedisPubSubOptions } from "./redis-pubsub";
export { redisUrlFromEnv } from "./redis-url";
export { redisConnectionOptions, type RedisConnectionOptions } from "./redis-options";
export { DEFAULT_REDIS_URL, isRedisReachable, redisForTests, redisUrlOrDefault } from "./redis-available";
