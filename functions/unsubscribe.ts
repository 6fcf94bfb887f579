import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod";
import { ValidationError } from "#shared/domain/errors";
import { formFieldsOf } from "#shared/http/multipart";
import { html, json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { pickPageLanguage } from "#shared/pages/language";
import { renderUnsubscribed } from "#shared/pages/unsubscribe-pages";
import { unsubscribe } from "#shared/suppression/unsubscribe";

/** RFC 8058: the body of a one-click unsubscribe, whoever posts it (a mail provider, the page's button). */
const oneClickSchema = z.object({
  "List-Unsubscribe": z.literal("One-Click", { error: "send List-Unsubscribe=One-Click (RFC 8058)" }),
});

/** The page's button is posted by a browser, which asks for HTML; mail providers get a short JSON answer. */
const fromBrowser = (event: APIGatewayProxyEventV2) => (event.headers.accept ?? "").includes("text/html");

/**
 * One-click unsubscribe: unsubscribes at once, from a mail provider's button or the unsubscribe
 * page. No rate limit by client IP, unlike the other public POSTs: after a mailing, the one-click
 * POSTs of a provider's users come from its few servers, and a refused one is an unsubscribe lost.
 * Only a token signed for the address does anything (checked without a read; anything else is a
 * 403 that writes nothing), and doing it again changes nothing.
 */
export const handler = httpRoute({
  query: z.object({ token: z.string().max(2_000).optional(), lang: z.string().max(35).optional() }),
  upload: {
    limitBytes: 4 * 1024,
    mediaTypes: ["application/x-www-form-urlencoded", "multipart/form-data"],
  },
  renderError: (response, event) => (fromBrowser(event) ? htmlErrorPage(response, event) : response),
  async handle({ query, upload, headers, event }) {
    if (!upload) throw new Error("the upload option is set above");
    const body = oneClickSchema.safeParse(await formFieldsOf(upload.bytes, headers["content-type"] ?? ""));
    if (!body.success) throw ValidationError.fromZod(body.error);
    const email = await unsubscribe(query.token);
    if (!fromBrowser(event)) return json(200, { status: "unsubscribed" });
    const language = pickPageLanguage(query.lang, headers["accept-language"]);
    return html(200, renderUnsubscribed({ language, email }));
  },
});
