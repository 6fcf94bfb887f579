import * as z from "zod";
import { enforceRateLimits, rateLimitsFromEnv } from "../abuse/rate-limits.ts";
import { ValidationError } from "../domain/errors.ts";
import { slugSchema } from "../domain/event.ts";
import { clientIpOf } from "../http/client.ts";
import { httpRoute } from "../http/route.ts";
import { manageLinkRequest, registrationForToken } from "../registrations/manage-link.ts";
import { correctDetails, switchSession } from "../registrations/self-service.ts";
import { managePath } from "./registration-pages.ts";
import { linkOf, managePage, seeOther, selfServiceErrorPage } from "./self-service.ts";

const limits = rateLimitsFromEnv();

/**
 * "Change session" on the manage page: a form post whose URL carries the signed token (as the
 * cancel button's), limited per client like cancelling; then back to the manage page (303), which
 * says whether the new session gave a seat or its waiting list.
 */
export const switchSessionRoute = httpRoute({
  ...manageLinkRequest,
  body: { schema: z.object({ sessionId: slugSchema }), limitBytes: 1024, accepts: ["form"] },
  renderError: selfServiceErrorPage,
  async handle({ params, query, body, event }) {
    await enforceRateLimits("cancel", { ip: clientIpOf(event) }, limits);
    const registration = await switchSession(params.registrationId, query.token, body.sessionId);
    return seeOther(managePath(linkOf(registration, query), { done: "switched" }));
  },
});

/**
 * "Correct your details" on the manage page: a form post (token in its URL, limited like cancel),
 * checked as the registration form is; then back to the manage page (303), or the manage page
 * again with the problems next to their fields and what was typed kept (400).
 */
export const correctDetailsRoute = httpRoute({
  ...manageLinkRequest,
  body: { schema: z.record(z.string(), z.string()), limitBytes: 64 * 1024, accepts: ["form"] },
  renderError: selfServiceErrorPage,
  async handle({ params, query, body, event }) {
    await enforceRateLimits("cancel", { ip: clientIpOf(event) }, limits);
    try {
      const registration = await correctDetails(params.registrationId, query.token, body);
      return seeOther(managePath(linkOf(registration, query), { done: "details" }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const registration = await registrationForToken(params.registrationId, query.token);
      const errors = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
      return managePage(registration, linkOf(registration, query), { correction: { values: body, errors } });
    }
  },
});
