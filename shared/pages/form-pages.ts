import { formStamp } from "../abuse/form-stamp.ts";
import { publicView, type WebinarEvent } from "../domain/event.ts";
import type { Language } from "../domain/languages.ts";
import { type HttpResponse, html } from "../http/responses.ts";
import { pathTo } from "../paths.ts";
import type { RegisterResult } from "../registrations/register.ts";
import { seatsLeft } from "../registrations/seats.ts";
import { signToken } from "../security/tokens.ts";
import { pageHeaders } from "./layout.ts";
import { renderRegistrationForm } from "./registration-form.ts";
import { renderThankYou } from "./registration-pages.ts";

/** Where the form posts: the registration endpoint, keeping the page language for the answer. */
export const formAction = (eventId: string, language: Language) =>
  pathTo("register", { eventId }, { lang: language });

/** The registration form, empty or with the posted values and their errors next to each field. */
export async function formPage(
  event: WebinarEvent,
  language: Language,
  status = 200,
  posted?: { values: Record<string, string>; errors: Record<string, string> },
): Promise<HttpResponse> {
  const page = renderRegistrationForm({
    event: publicView(event),
    seatsLeft: await seatsLeft(event),
    language,
    action: formAction(event.id, language),
    now: new Date(),
    stamp: await formStamp(),
    ...posted,
  });
  return html(status, page, pageHeaders(event.branding));
}

/**
 * The answer to a form post that registered someone (or found them already registered). A new
 * registration's page links to its manage page and invitation, signed as in its mails.
 */
export async function thankYouPage(result: RegisterResult, language: Language): Promise<HttpResponse> {
  const created = result.outcome === "created";
  const { registrationId } = result.registration;
  const token = created ? await signToken("manage-registration", registrationId) : undefined;
  const page = renderThankYou({
    event: publicView(result.event),
    registration: result.registration,
    language,
    outcome: created ? "registered" : "already-registered",
    own: token
      ? { event: result.event, link: { registrationId, token, language }, now: new Date() }
      : undefined,
  });
  return html(created ? 201 : 200, page, pageHeaders(result.event.branding));
}
