import { formStamp } from "../abuse/form-stamp.ts";
import { publicView, type WebinarEvent } from "../domain/event.ts";
import type { Language } from "../domain/languages.ts";
import { type HttpResponse, html } from "../http/responses.ts";
import { pathTo } from "../paths.ts";
import type { RegisterResult } from "../registrations/register.ts";
import { seatsLeft } from "../registrations/seats.ts";
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

/** The answer to a form post that registered someone (or found them already registered). */
export function thankYouPage(result: RegisterResult, language: Language): HttpResponse {
  const page = renderThankYou({
    event: publicView(result.event),
    registration: result.registration,
    language,
    outcome: result.outcome === "created" ? "registered" : "already-registered",
  });
  return html(result.outcome === "created" ? 201 : 200, page);
}
