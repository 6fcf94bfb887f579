import type { MailingTexts } from "./mailing-texts.ts";

/** French puts a no-break space before « : ; ! ? » and inside guillemets, so lines never break there. */
const nb = "\u00a0";

export const fr: MailingTexts = {
  reason: ({ title }) => `Vous recevez ce message à la suite de votre inscription à «${nb}${title}${nb}».`,
  unsubscribe: "Se désabonner de ces envois",
  manage: "Consulter ou annuler votre inscription",
  colon: `${nb}: `,
};
