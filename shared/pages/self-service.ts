import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import * as z from "zod";
import type { Registration } from "../domain/registration.ts";
import { getEvent } from "../events/event-store.ts";
import { type HttpResponse, html } from "../http/responses.ts";
import { seatsLeft } from "../registrations/seats.ts";
import { htmlErrorPage } from "./error-page.ts";
import { pickPageLanguage, registrantPageLanguage } from "./language.ts";
import { pageHeaders } from "./layout.ts";
import { eventLanguages } from "./parts.ts";
import {
  type ManageLink,
  type ManagePageOptions,
  managePath,
  renderManagePage,
  renderMessagePage,
} from "./registration-pages.ts";
import { type ManageTexts, manageTexts } from "./texts/manage.ts";

const errorBody = z.object({ error: z.string().optional() }).catch({});

/** The conflicts of the registrant's own actions, by their error code, and the page that says each. */
const messages = new Map<string, (texts: ManageTexts) => { title: string; message: string }>([
  ["session-cancelled", (texts) => texts.errors.sessionClosed],
  ["registration-closed", (texts) => texts.errors.sessionClosed],
  ["registration-changed", (texts) => texts.errors.changed],
  ["registration-cancelled", (texts) => texts.errors.cancelled],
  ["not-confirmed", (texts) => texts.errors.notConfirmed],
]);

/**
 * Errors of the registrant's actions behind their manage link (switch session, correct details,
 * download the invitation), as a page in their language with the same status and a way back to
 * their registration; anything else as the pages' usual error page (invalid link, rate limit…).
 */
export function selfServiceErrorPage(response: HttpResponse, event: APIGatewayProxyEventV2): HttpResponse {
  const code = errorBody.parse(safeJson(String(response.body ?? ""))).error;
  const pick = code === undefined ? undefined : messages.get(code);
  if (!pick) return htmlErrorPage(response, event);
  const language = pickPageLanguage(event.queryStringParameters?.lang, event.headers["accept-language"]);
  const link = {
    registrationId: event.pathParameters?.registrationId ?? "",
    token: event.queryStringParameters?.token ?? "",
    language,
  };
  const page = renderMessagePage({
    language,
    ...pick(manageTexts[language]),
    status: response.statusCode,
    back: { href: managePath(link), label: manageTexts[language].back },
  });
  return html(response.statusCode, page);
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}

/** After a registrant's action succeeded: back to their manage page, which says what was done. */
export function seeOther(location: string): HttpResponse {
  return { statusCode: 303, headers: { location, "cache-control": "no-store" }, body: "" };
}

type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

/**
 * One Lambda function for several routes, each its own `httpRoute`, chosen by the request's route
 * key (`routeKeyOf`); `main`, the function's first route, answers any other key. The registrant's
 * routes share functions rather than add one each: a stack holds at most 500 resources, and each
 * function brings about six (role, policy, logs, alarms).
 */
export function byRoute(main: RouteHandler, others: Record<string, RouteHandler>): RouteHandler {
  return (event, context) => (others[event.routeKey] ?? main)(event, context);
}

/**
 * The manage page of a registration, its event and seats read now; 400 when a correction comes
 * back. In one of the event's languages: the link's, else the registrant's own (`registrantPageLanguage`).
 */
export async function managePage(
  registration: Registration,
  asked: ManageLink,
  options: Pick<ManagePageOptions, "done" | "correction"> = {},
): Promise<HttpResponse> {
  const event = await getEvent(registration.eventId);
  const language = registrantPageLanguage(asked.language, registration.language, eventLanguages(event));
  const link = { ...asked, language };
  const page = renderManagePage({
    event,
    registration,
    language,
    link,
    seatsLeft: await seatsLeft(event),
    now: new Date(),
    ...options,
  });
  return html(options.correction ? 400 : 200, page, pageHeaders(event.branding));
}

/** The registrant's link back, in the page's language (the link's `lang`, else their own). */
export const linkOf = (
  registration: Registration,
  query: { token?: string | undefined; lang?: string | undefined },
) => ({
  registrationId: registration.registrationId,
  token: query.token ?? "",
  language: pickPageLanguage(query.lang ?? registration.language, undefined),
});
