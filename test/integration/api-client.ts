import { inject } from "vitest";

/** A small client of the local API for tests, with the admin token where asked. */
export function apiClient() {
  const api = inject("api");
  const adminToken = inject("adminToken");
  return {
    async request(
      method: string,
      path: string,
      options: {
        body?: unknown;
        rawBody?: string | Buffer;
        contentType?: string;
        admin?: boolean;
        /** A token other than the admin one, to prove it is refused. */
        token?: string;
        headers?: Record<string, string>;
      } = {},
    ) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token ?? (options.admin ? adminToken : undefined);
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | Buffer | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] = "application/json";
      }
      if (options.contentType) headers["content-type"] = options.contentType;
      const response = await fetch(`${api}${path}`, { method, headers, body });
      const text = await response.text();
      const json = response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined;
      return { status: response.status, headers: response.headers, text, json };
    },
  };
}
