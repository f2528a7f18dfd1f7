// redisConnectionOptions: every part of the URL lands in the options; bad URLs are refused.
import { redisConnectionOptions } from "../src";

test("defaults, database, credentials (percent-decoded) and TLS", () => {
  expect(redisConnectionOptions("redis://127.0.0.1:6379")).toEqual({ host: "127.0.0.1", port: 6379, db: 0 });
  expect(redisConnectionOptions("redis://cache")).toEqual({ host: "cache", port: 6379, db: 0 });
  expect(redisConnectionOptions("rediss://u%40x:p%2Fw@h.example:6380/3")).toEqual({
    host: "h.example",
    port: 6380,
    db: 3,
    username: "u@x",
    password: "p/w",
    tls: {},
  });
});

test("refuses other schemes and bad database numbers", () => {
  expect(() => redisConnectionOptions("http://h:1")).toThrow(/redis:\/\//);
  expect(() => redisConnectionOptions("redis://h:1/x")).toThrow(/non-negative integer/);
});
