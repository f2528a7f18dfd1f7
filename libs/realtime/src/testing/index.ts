// @mmatlas/realtime/testing: test support only: the Redis a suite should use (REDIS_URL or 127.0.0.1:6379),
// whether it answers, and redisForTests, which skips outside CI and fails in CI when Redis is unreachable.
export { isRedisReachable, redisForTests, redisUrlOrDefault } from "./redis-available";
