import { markup } from "../../html.ts";

/**
 * The registrant's pages (manage, thank-you): the session in a card whose edge takes the event's
 * accent colour (`--accent`, set by the layout), the status as a strong first line, the actions
 * as buttons and links of 44px. Logical properties only, so the card mirrors in Arabic. A template
 * without interpolation, so nothing in it is escaped.
 */
export const cardStyles = markup`<style>
.card{margin:0 0 2rem;padding:1rem 1.25rem;border:1px solid #d0d7de;border-inline-start:6px solid var(--accent,#0b4f9c);border-radius:8px}
.card h2{margin-top:1rem}
.status{margin:0 0 .5rem;font-size:1.125rem}
.status strong{display:block}
.status-cancelled,.status-sessionCancelled{border-inline-start-color:#b00020}
.done{margin:0 0 1.5rem;padding:.75rem 1rem;border-inline-start:6px solid #00703c;background:#f0f7f3}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;list-style:none;margin:0 0 1rem;padding:0}
.actions a{display:inline-flex;align-items:center;min-height:2.75rem}
.steps li{margin:0 0 .5rem}
</style>`;
