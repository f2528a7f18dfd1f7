// Public API of @mmatlas/realtime: cross-node live events over Redis (PubSub for GraphQL subscriptions),
// the REDIS_URL setting, and a reachability check for tests and tools.
export { createRedisPubSub, type RedisPubSub, type RedisPubSubOptions } from "./redis-pubsub";
export { redisUrlFromEnv } from "./redis-url";
export { DEFAULT_REDIS_URL, isRedisReachable, redisForTests, redisUrlOrDefault } from "./redis-available";
