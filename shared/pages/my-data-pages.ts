import type { Language } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";
import { pathTo } from "../paths.ts";
import type { RegistrationState } from "../privacy/privacy-store.ts";
import { pickPageLanguage } from "./language.ts";
import { renderLayout } from "./layout.ts";
import { myDataTexts } from "./texts/my-data.ts";

/** What the data pages need to link: the registration and its manage token. */
export interface MyDataLinks {
  registrationId: string;
  token: string;
  language: Language;
}

const eraseAction = ({ registrationId, token, language }: MyDataLinks) =>
  pathTo("eraseRegistration", { registrationId }, { token, lang: language });

/**
 * The manage page's "Your data" section: a link to download it (a GET: reading changes nothing)
 * and a button that only asks for confirmation (a POST without `confirm`), so neither a mail
 * scanner following links nor one click deletes anything.
 */
export function myDataSection(links: MyDataLinks): Markup {
  const texts = myDataTexts[links.language];
  const download = pathTo(
    "registrationData",
    { registrationId: links.registrationId },
    { token: links.token, lang: links.language },
  );
  return markup`<section aria-labelledby="data-title">
<h2 id="data-title">${texts.sectionTitle}</h2>
<p>${texts.downloadIntro}</p>
<p><a class="standalone" href="${download}" download>${texts.downloadLink}</a></p>
<p>${texts.deleteIntro}</p>
<form method="post" action="${eraseAction(links)}"><button type="submit" class="danger">${texts.deleteButton}</button></form>
</section>`;
}

/** The confirmation step: what will be deleted, a button that deletes, a link back that keeps. */
export function renderEraseConfirm(links: MyDataLinks): string {
  const { confirm } = myDataTexts[links.language];
  const manage = pathTo(
    "manageRegistration",
    { registrationId: links.registrationId },
    { token: links.token, lang: links.language },
  );
  return renderLayout({
    language: links.language,
    title: confirm.title,
    content: markup`<h1>${confirm.title}</h1>
<p class="warning">${confirm.message}</p>
<form method="post" action="${eraseAction(links)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">${confirm.button}</button>
</form>
<p><a class="standalone" href="${manage}">${confirm.keep}</a></p>`,
  });
}

/** Says the data is deleted: `erased` right after the erasure, `alreadyErased` on any later visit. */
export function renderErased(language: Language, outcome: "erased" | "already-erased"): string {
  const texts = myDataTexts[language];
  const page = outcome === "erased" ? texts.erased : texts.alreadyErased;
  return renderLayout({
    language,
    title: page.title,
    content: markup`<h1>${page.title}</h1>
<p>${page.message}</p>`,
  });
}

/** The language of the pages about a registration (its own, or the link's `lang`), erased or not. */
export function languageOf(found: RegistrationState, lang: string | undefined) {
  const own =
    found.state === "erased"
      ? found.tombstone.language
      : "registration" in found
        ? found.registration.language
        : undefined;
  return pickPageLanguage(lang ?? own, undefined);
}
