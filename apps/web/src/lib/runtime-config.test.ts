// readRuntimeConfig: the API URL comes from the server's environment at request time, with a default.
import { DEFAULT_API_URL, readRuntimeConfig } from "./runtime-config";

describe("readRuntimeConfig", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ["NEXT_PUBLIC_API_URL", "API_URL"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  test("defaults to the local API on :4000", () => {
    delete process.env.NEXT_PUBLIC_API_URL;
    delete process.env.API_URL;
    expect(readRuntimeConfig().apiUrl).toBe(DEFAULT_API_URL);
    expect(DEFAULT_API_URL).toBe("http://localhost:4000/graphql");
  });

  test("NEXT_PUBLIC_API_URL wins over API_URL; blank values are ignored; whitespace is trimmed", () => {
    process.env.API_URL = "http://api.internal:4100/graphql";
    process.env.NEXT_PUBLIC_API_URL = "  ";
    expect(readRuntimeConfig().apiUrl).toBe("http://api.internal:4100/graphql");
    process.env.NEXT_PUBLIC_API_URL = " http://127.0.0.1:4555/graphql ";
    expect(readRuntimeConfig().apiUrl).toBe("http://127.0.0.1:4555/graphql");
  });

  test("is read at call time, not captured at import", () => {
    process.env.NEXT_PUBLIC_API_URL = "http://a.example/graphql";
    const first = readRuntimeConfig().apiUrl;
    process.env.NEXT_PUBLIC_API_URL = "http://b.example/graphql";
    expect([first, readRuntimeConfig().apiUrl]).toEqual(["http://a.example/graphql", "http://b.example/graphql"]);
  });
});
