import { createHash } from "node:crypto";
import { type Language, locales } from "../domain/languages.ts";
import { type Markup, markup, renderedHtml } from "../html.ts";
import { summaryTexts } from "./texts/summary.ts";

/**
 * The registrant's own time zone is known only to their browser: each `localTime` element is
 * hidden until this script writes the instant in it as the server writes a session's start
 * (`formatSessionTime`: full date, short time, then the zone's long name), and shows it. Without
 * JavaScript the page keeps the session's zone and UTC, which anyone can convert. Nothing is shown
 * to a registrant who is in the session's zone already. `dateStyle`/`timeStyle` cannot be combined
 * with `timeZoneName` (a TypeError), hence the zone's name from a second format. Static, so the
 * pages' policy allows it by its hash (`localTimeScriptHash`) and no other script can run.
 */
const script = `for(const e of document.querySelectorAll("[data-local-time]")){try{const z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z===e.dataset.zone)continue;const d=new Date(e.dataset.localTime);const l=e.dataset.locale;const t=new Intl.DateTimeFormat(l,{dateStyle:"full",timeStyle:"short",timeZone:z}).format(d);const n=new Intl.DateTimeFormat(l,{timeZone:z,timeZoneName:"long"}).formatToParts(d).find((p)=>p.type==="timeZoneName");e.querySelector("[data-value]").textContent=t+" ("+(n?n.value:z)+")";e.hidden=false}catch{}}`;

/** The script's hash as a CSP source (`script-src`). */
export const localTimeScriptHash = `'sha256-${createHash("sha256").update(script).digest("base64")}'`;

/** The script's element: the layout puts it at the end of a page that has `localTime` elements. */
export const localTimeScript: Markup = markup`<script>${renderedHtml(script)}</script>`;

/** Where the browser writes an instant in the registrant's zone ("Your time: …"); hidden without JavaScript. */
export function localTime(startsAt: string, sessionZone: string, language: Language): Markup {
  const at = new Date(startsAt).toISOString();
  return markup`<span class="yours" data-local-time="${at}" data-zone="${sessionZone}" data-locale="${locales[language]}" hidden>${summaryTexts[language].yourTime} <span data-value></span></span>`;
}

/** Whether a page's content has a `localTime` element (and so needs the script). */
export const needsLocalTime = (content: Markup): boolean => content.toString().includes("data-local-time=");
