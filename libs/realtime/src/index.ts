// Public API of @mmatlas/realtime: the PubSub contract for live events, in-process or cross-node over Redis,
// the REDIS_URL setting and Redis connection options (test support: @mmatlas/realtime/testing).
export { createInMemoryPubSub, type PubSub } from "./pubsub";
export { createRedisPubSub, type RedisPubSub, type RedisPubSubOptions } from "./redis-pubsub";
export { redisUrlFromEnv } from "./redis-url";
export { redisConnectionOptions, type RedisConnectionOptions } from "./redis-options";
