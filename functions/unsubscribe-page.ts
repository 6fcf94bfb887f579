import * as z from "zod";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { pickPageLanguage } from "#shared/pages/language";
import { renderUnsubscribePage } from "#shared/pages/unsubscribe-pages";
import { pathTo } from "#shared/paths";
import { unsubscribeStatus } from "#shared/suppression/unsubscribe";

/** The page behind an unsubscribe link: the address and a button. Opening it unsubscribes nobody. */
export const handler = httpRoute({
  query: z.object({ token: z.string().max(2_000).optional(), lang: z.string().max(35).optional() }),
  renderError: htmlErrorPage,
  async handle({ query, headers }) {
    const { email, suppression } = await unsubscribeStatus(query.token);
    const language = pickPageLanguage(query.lang, headers["accept-language"]);
    const action = pathTo("unsubscribe", {}, { token: query.token ?? "", lang: language });
    return html(
      200,
      renderUnsubscribePage({ language, email, action, alreadyUnsubscribed: suppression !== undefined }),
    );
  },
});
