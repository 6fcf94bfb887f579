/**
 * Every path a page or a mail links to, written once. Each template is a route of the wiring list
 * (`infra/wiring.ts`), which an infra test checks, so a link can never point at a route that does
 * not exist. Builders fill the `{name}` segments, percent-encoded, and append the query.
 */
export const routes = {
  publicEvent: { method: "GET", path: "/events/{eventId}" },
  registrationForm: { method: "GET", path: "/events/{eventId}/register" },
  register: { method: "POST", path: "/events/{eventId}/registrations" },
  privacyNotice: { method: "GET", path: "/events/{eventId}/privacy" },
  manageRegistration: { method: "GET", path: "/registrations/{registrationId}" },
  cancelRegistration: { method: "POST", path: "/registrations/{registrationId}/cancel" },
  registrationData: { method: "GET", path: "/registrations/{registrationId}/data" },
  registrationCalendar: { method: "GET", path: "/registrations/{registrationId}/calendar" },
  switchSession: { method: "POST", path: "/registrations/{registrationId}/switch" },
  correctDetails: { method: "POST", path: "/registrations/{registrationId}/details" },
  eraseRegistration: { method: "POST", path: "/registrations/{registrationId}/erase" },
  unsubscribePage: { method: "GET", path: "/unsubscribe" },
  unsubscribe: { method: "POST", path: "/unsubscribe" },
} as const;
export type RouteName = keyof typeof routes;

/** A route's key as API Gateway names it in each request (`POST /registrations/{registrationId}/cancel`). */
export const routeKeyOf = (name: RouteName) => `${routes[name].method} ${routes[name].path}`;

/** The `{name}` segments of a path template, as the keys of its parameters. */
type ParamsOf<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name | keyof ParamsOf<Rest>]: string }
  : Record<never, string>;

/** Query values; `undefined` ones are left out, so optional parameters need no branching. */
type Query = Record<string, string | undefined>;

/**
 * The root-relative path of a route, e.g. `pathTo("manageRegistration", {registrationId}, {token})`.
 * Root-relative so a page answering a POST (whose URL has no page for a GET) links correctly.
 */
export function pathTo<Name extends RouteName>(
  name: Name,
  params: ParamsOf<(typeof routes)[Name]["path"]>,
  query: Query = {},
): string {
  const values = params as Record<string, string>;
  const path = routes[name].path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name} needs {${key}}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return search ? `${path}?${search}` : path;
}

/** The same, as an absolute URL under the public base URL (links in mails). */
export const urlTo = <Name extends RouteName>(
  publicUrl: string,
  name: Name,
  params: ParamsOf<(typeof routes)[Name]["path"]>,
  query?: Query,
): string => `${publicUrl.replace(/\/+$/, "")}${pathTo(name, params, query)}`;
