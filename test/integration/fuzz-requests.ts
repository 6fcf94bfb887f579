import fc from "fast-check";

/**
 * Random requests against the public routes, for the fuzz test (`fuzz-public-routes.test.ts`) and
 * `scripts/fuzz-public-routes.ts`: paths with malformed percent-encodings, `//`, dot segments and
 * odd characters; queries and tokens altered; headers of every shape, one oversized; bodies as
 * JSON, forms and multipart, valid registrations with one field replaced by something else.
 */
export interface FuzzTarget {
  /** An event that exists, with a session `fr`. */
  eventId: string;
  /** A registration of that event and its manage token. */
  registrationId: string;
  manageToken: string;
  unsubscribeToken: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Strings that have broken parsers before: malformed escapes, control characters, separators. */
const nasty = fc.constantFrom(
  "%",
  "%f",
  "%ff",
  "%zz",
  "%c3%28",
  "%e2%82",
  "%00",
  "%0a",
  "%2F",
  "%2e%2e",
  "..",
  ".",
  "",
  "/",
  "//",
  "\u0000",
  "\u2028",
  "\u0085",
  "é",
  "💥",
  "\ud800",
  "a".repeat(300),
  "[object Object]",
  "__proto__",
  "constructor",
  "toString",
  "null",
  "-1",
  "1e999",
  "=",
  "&",
  "?",
  "#",
  "+",
  " ",
);

/** Text of any kind: printable, full Unicode, or one of the nasty strings, sometimes repeated. */
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  nasty,
  fc.array(nasty, { maxLength: 4 }).map((parts) => parts.join("")),
);

/** `encodeURIComponent`, except that a lone surrogate (which it refuses) goes as the bytes Node would send. */
const encode = (text: string) => text.replace(/[^\w.~-]/gu, (character) => percentBytes(character));
const percentBytes = (character: string) =>
  [...Buffer.from(character, "utf8")]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");

/** Node refuses control characters, spaces and non-ASCII in a request line: those go percent-encoded, the rest as is. */
const requestLine = (path: string) => path.replace(/[^!-~]/gu, percentBytes);

/** Raw text put into a URL: percent-encoded or not, so both the gateway and the handlers see it. */
const urlPiece = fc.oneof(
  anyText.map(encode),
  nasty,
  anyText.map((text) => text.replace(/[\s#?]/g, "")),
);

/** A path segment: the real one, or a random one. */
const segment = (real: string) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(real) }, { weight: 3, arbitrary: urlPiece });

/** A value that is not a string where a string is expected, or a string that breaks rules. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.constant({}),
  fc.constant({ toString: 1 }),
  fc.constant({ toString: "x", valueOf: null }),
  fc.constant([]),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  anyText,
  fc.string({ minLength: 2_000, maxLength: 3_000 }),
);

const registrationFields = [
  "sessionId",
  "email",
  "firstName",
  "lastName",
  "organisation",
  "organisationType",
  "country",
  "consent",
  "language",
  "jobTitle",
  "department",
  "city",
  "questions",
  "practice",
  "updates",
  "website",
  "startedAt",
] as const;

/**
 * A registration body: valid, with up to three fields replaced by odd values or removed. Emails
 * are fresh addresses at example.org (some altered), so what does get registered mails nobody real.
 */
const registrationBody = fc
  .record({
    base: fc.record({
      sessionId: fc.constantFrom("fr", "en", "nope"),
      email: fc.uuid().map((id) => `fuzz-${id}@example.org`),
      firstName: fc.constant("Amina"),
      lastName: fc.constant("Benali"),
      organisation: fc.constant("Ville de Tunis"),
      organisationType: fc.constant("local-government"),
      country: fc.constant("TN"),
      consent: fc.constant(true as unknown),
      language: fc.constantFrom("fr", "en", "ar"),
    }),
    changes: fc.array(
      fc.tuple(fc.constantFrom(...registrationFields), fc.option(oddValue, { nil: undefined })),
      { maxLength: 3 },
    ),
  })
  .map(({ base, changes }) => {
    const body: Record<string, unknown> = { ...base };
    for (const [field, value] of changes) {
      if (value === undefined) delete body[field];
      else body[field] = value;
    }
    return body;
  });

const asForm = (body: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(body).map(([key, value]): [string, string] => [
      key,
      typeof value === "string" ? value : (JSON.stringify(value) ?? ""),
    ]),
  ).toString();

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=x",
  "text/plain",
  "application/xml",
  "",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "\u00e9/\u00e9",
);

/** A body: JSON of a registration (valid or altered), the same as a form, random JSON, random text. */
const body = fc.oneof(
  fc.record({
    kind: fc.constant("application/json"),
    text: registrationBody.map((value) => JSON.stringify(value)),
  }),
  fc.record({ kind: fc.constant("application/x-www-form-urlencoded"), text: registrationBody.map(asForm) }),
  fc.record({ kind: contentTypes, text: fc.json({ maxDepth: 3 }) }),
  fc.record({ kind: contentTypes, text: anyText }),
  fc.record({
    kind: fc.constant("application/x-www-form-urlencoded"),
    text: fc.constantFrom("List-Unsubscribe=One-Click", "List-Unsubscribe=%ff", "%=%", "a=%zz&&=&"),
  }),
  fc.record({
    kind: fc.constant("multipart/form-data; boundary=b"),
    text: fc.constantFrom(
      '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
      "--b\r\nContent-Disposition: form-data\r\n\r\n",
      "--b",
      "garbage",
    ),
  }),
);

const headerName = fc.oneof(
  fc.constantFrom(
    "accept",
    "accept-language",
    "x-forwarded-for",
    "origin",
    "referer",
    "user-agent",
    "content-length-x",
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);
/** Header values: what `fetch` can send (visible ASCII, tabs and spaces), sometimes 20 KB of it. */
const headerValue = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/) },
  {
    weight: 8,
    arbitrary: fc.constantFrom("text/html", "fr-FR,fr;q=0.9", "*;q=abc", "en;q=-1", ",,,;", "fr;q=1e999"),
  },
  { weight: 1, arbitrary: fc.integer({ min: 9_000, max: 20_000 }).map((size) => "x".repeat(size)) },
);

/** One request to a public route, about the given target. */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const { eventId, registrationId, manageToken, unsubscribeToken } = target;
  const token = (real: string) =>
    fc.oneof(
      fc.constant(real),
      urlPiece,
      fc
        .tuple(fc.nat(real.length), urlPiece)
        .map(([at, piece]) => real.slice(0, at) + piece + real.slice(at + 1)),
    );
  const query = (real: string | undefined) =>
    fc
      .record({
        token: real === undefined ? fc.constant(undefined) : fc.option(token(real), { nil: undefined }),
        lang: fc.option(fc.oneof(fc.constantFrom("fr", "en", "ar", "de", "FR-fr"), urlPiece), {
          nil: undefined,
        }),
        extra: fc.option(fc.tuple(urlPiece, urlPiece), { nil: undefined }),
      })
      .map(({ token: tokenValue, lang, extra }) => {
        const parts = [
          tokenValue === undefined ? undefined : `token=${tokenValue}`,
          lang === undefined ? undefined : `lang=${lang}`,
          extra === undefined ? undefined : `${extra[0]}=${extra[1]}`,
        ].filter((part) => part !== undefined);
        return parts.length ? `?${parts.join("&")}` : "";
      });
  const eventPath = (suffix: string) => segment(eventId).map((id) => `/events/${id}${suffix}`);
  const registrationPath = (suffix: string) =>
    segment(registrationId).map((id) => `/registrations/${id}${suffix}`);
  const route = fc.oneof(
    fc.record({ method: fc.constant("GET"), path: eventPath(""), query: query(undefined) }),
    fc.record({ method: fc.constant("GET"), path: eventPath("/register"), query: query(undefined) }),
    fc.record({ method: fc.constant("GET"), path: eventPath("/privacy"), query: query(undefined) }),
    fc.record({ method: fc.constant("POST"), path: eventPath("/registrations"), query: query(undefined) }),
    fc.record({ method: fc.constant("GET"), path: registrationPath(""), query: query(manageToken) }),
    fc.record({ method: fc.constant("POST"), path: registrationPath("/cancel"), query: query(manageToken) }),
    fc.record({ method: fc.constant("GET"), path: registrationPath("/data"), query: query(manageToken) }),
    fc.record({ method: fc.constant("POST"), path: registrationPath("/erase"), query: query(manageToken) }),
    fc.record({
      method: fc.constantFrom("GET", "POST"),
      path: fc.constant("/unsubscribe"),
      query: query(unsubscribeToken),
    }),
    // Paths of no route, and routes' paths bent out of shape.
    fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
      path: fc.oneof(
        fc.constantFrom(
          "//x",
          "//events/x",
          "/events//registrations",
          `//events/${eventId}`,
          "/%",
          "/events/%",
          "/registrations/%ff",
        ),
        fc.array(urlPiece, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
        eventPath("/registrations/"),
      ),
      query: query(manageToken),
    }),
  );
  return fc
    .record({
      route,
      body: fc.option(body, { nil: undefined, freq: 4 }),
      headers: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
    })
    .map(({ route: { method, path, query: search }, body: sent, headers }) => {
      const all: Record<string, string> = { ...headers };
      if (sent && method !== "GET") {
        if (sent.kind) all["content-type"] = sent.kind;
        return { method, path: `${path}${search}`, headers: all, body: sent.text };
      }
      return { method, path: `${path}${search}`, headers: all, body: undefined };
    });
}

/**
 * Sends a fuzzed request as it is: the path byte for byte (fetch would normalize it), the headers
 * and body as given. Answers the status, the content type and the body.
 */
export async function sendRaw(
  api: string,
  request: FuzzRequest,
): Promise<{ status: number; contentType: string; text: string }> {
  const { hostname, port } = new URL(api);
  const { request: httpRequest } = await import("node:http");
  const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: hostname,
        port,
        method: request.method,
        path: requestLine(request.path),
        headers: { ...request.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers["content-type"] ?? ""),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
