"use client";
// Makes one urql client (pointed at the runtime API URL from the server) available to every page, and
// exposes the URL itself so error messages can say which endpoint could not be reached.
import { createContext, useContext, useState, type ReactNode } from "react";
import { Provider } from "urql";
import { createApiClient } from "../lib/graphql-client";

const ApiUrlContext = createContext<string>("");

export function ApiProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [client] = useState(() => createApiClient(apiUrl));
  return (
    <ApiUrlContext.Provider value={apiUrl}>
      <Provider value={client}>{children}</Provider>
    </ApiUrlContext.Provider>
  );
}

export function useApiUrl(): string {
  return useContext(ApiUrlContext);
}
