import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type HttpResponse, html } from "../http/responses.ts";
import { pickPageLanguage } from "./language.ts";
import { renderMessagePage } from "./registration-pages.ts";
import { pageTexts } from "./texts/index.ts";

/**
 * Errors of the pages people open in a browser (form, manage link), as a page in their language
 * instead of JSON: the same status, a message that says what to do.
 */
export function htmlErrorPage(response: HttpResponse, event: APIGatewayProxyEventV2): HttpResponse {
  const language = pickPageLanguage(event.queryStringParameters?.lang, event.headers["accept-language"]);
  const { messages } = pageTexts[language];
  const code = (JSON.parse(String(response.body)) as { error?: string }).error;
  const message =
    code === "registration-closed"
      ? messages.registrationClosed
      : response.statusCode === 403
        ? messages.invalidLink
        : response.statusCode === 404
          ? messages.notFound
          : response.statusCode === 429
            ? messages.rateLimited
            : response.statusCode === 503
              ? messages.busy
              : messages.error;
  // Retry-After (429, 503) is for the browser too.
  const retryAfter = response.headers?.["retry-after"];
  return html(
    response.statusCode,
    renderMessagePage({ language, ...message, status: response.statusCode }),
    retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
  );
}
