import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod";
import { checkFormTraps } from "#shared/abuse/form-stamp";
import { rateLimitCharge, rateLimitsFromEnv } from "#shared/abuse/rate-limits";
import { ConflictError, ValidationError } from "#shared/domain/errors";
import { slugSchema, type WebinarEvent } from "#shared/domain/event";
import { registrationInputSchemaFor } from "#shared/domain/registration";
import { assertRegistrationOpen, eventLanguages } from "#shared/domain/registration-form";
import { getEvent, getEventForPublic } from "#shared/events/event-store";
import { clientIpOf } from "#shared/http/client";
import type { HttpResponse } from "#shared/http/responses";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { formPage, thankYouPage } from "#shared/pages/form-pages";
import { pickPageLanguage } from "#shared/pages/language";
import { register } from "#shared/registrations/register";

const limits = rateLimitsFromEnv();

/**
 * Each event's input schema, built once per event as read: a warm container reuses the same
 * event object for a few seconds (`getEventForPublic`), and building the schema (zod compiles a
 * parser for each new one) cost ~1 ms of CPU per request, ten times parsing with it. Keyed by the
 * object read, never by the event's id, so a form read anew gets a schema built anew.
 */
const inputSchemas = new WeakMap<WebinarEvent, ReturnType<typeof registrationInputSchemaFor>>();
function inputSchemaOf(event: WebinarEvent) {
  const built =
    inputSchemas.get(event) ?? registrationInputSchemaFor(event.form, eventLanguages(event.title));
  inputSchemas.set(event, built);
  return built;
}

const isFormPost = (event: APIGatewayProxyEventV2) =>
  (event.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");

/** A field's text, or nothing: JSON can send any value where a string belongs (even `{"toString": 1}`, which `String()` throws on). */
const textOf = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * Registration, from scripts (JSON in, JSON out) and from the HTML form (form in, pages out: the
 * form again with errors next to their fields and the values kept, or a thank-you page).
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  query: z.object({ lang: z.string().optional() }),
  // Parsed below rather than here, so that a form post with errors gets the form back, not JSON.
  body: { schema: z.record(z.string(), z.unknown()), limitBytes: 64 * 1024, accepts: ["json", "form"] },
  renderError: (response, event) =>
    isFormPost(event) && response.statusCode !== 400 ? htmlErrorPage(response, event) : response,
  async handle({ params, query, body, bodyKind, headers, event }): Promise<HttpResponse> {
    // The event's form decides what is asked, and its languages what pages and mails may be in.
    const registrationEvent = await getEventForPublic(params.eventId);
    const language = pickPageLanguage(
      query.lang ?? textOf(body.language),
      headers["accept-language"],
      eventLanguages(registrationEvent.title),
    );
    try {
      if (bodyKind === "form") await checkFormTraps(body);
      // Outside its window nothing is checked further (409).
      assertRegistrationOpen(registrationEvent, new Date());
      const input = inputSchemaOf(registrationEvent).safeParse(body);
      if (!input.success) throw ValidationError.fromZod(input.error);
      // Counted once valid, so fixing a form's errors costs nothing; a refused request adds nothing.
      // The counters are items of the registration's own transaction: one round trip for both.
      const rateLimit = rateLimitCharge(
        "register",
        { ip: clientIpOf(event), email: input.data.email },
        limits,
      );
      const result = await register(params.eventId, input.data, { rateLimit });
      if (bodyKind === "form") return thankYouPage(result, language);
      // Nothing more about the registration already stored for this email (its id, its session):
      // anyone may post any address. Its registrant is mailed about it again, with their link.
      if (result.outcome === "already-registered") return json(200, { status: "already-registered" });
      const { registrationId, status, sessionId } = result.registration;
      return json(201, { registrationId, status, sessionId });
    } catch (error) {
      // A form posted after the window closed gets the form page, which says so with the dates.
      if (bodyKind === "form" && error instanceof ConflictError && error.code === "registration-closed") {
        return formPage(await getEvent(params.eventId), language, 409);
      }
      if (bodyKind !== "form" || !(error instanceof ValidationError)) throw error;
      const errors = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
      const values = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, textOf(value)]));
      return formPage(await getEvent(params.eventId), language, 400, { values, errors });
    }
  },
});
