import * as z from "zod";
import { built } from "./built.ts";
import type { Language, LocalizedText } from "./languages.ts";
import { localizedLineSchema, missingLanguages } from "./localized-line.ts";

/**
 * The WCAG 2 contrast ratio of two sRGB colours written `#rrggbb`, from 1 (none) to 21 (black on
 * white): (L1 + 0.05) / (L2 + 0.05) with L the relative luminance.
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
 */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/** https://www.w3.org/TR/WCAG22/#dfn-relative-luminance (with sRGB's own 0.04045 threshold). */
function relativeLuminance(colour: string): number {
  const [red, green, blue] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(colour.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** WCAG 2.2 AA for normal text (1.4.3): links in the accent colour, white text on accent buttons. */
export const minimumContrast = 4.5;

/** Rounded down, so a colour at 4.497:1 is never reported as "4.50:1" while refused for being under 4.5. */
const formatRatio = (ratio: number) => `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;

/**
 * The event's accent colour: its links, buttons, focus rings and the selected choice, on white.
 * Refused unless white text on it and it as text on white reach WCAG AA, with a message that
 * names the ratio, so the organiser knows how far off a brand colour is.
 */
export const accentColourSchema = /* @__PURE__ */ built(() =>
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour written #rrggbb, such as #0b4f9c")
    .transform((colour) => colour.toLowerCase())
    .superRefine((colour, context) => {
      const ratio = contrastRatio(colour, "#ffffff");
      if (ratio < minimumContrast) {
        context.addIssue({
          code: "custom",
          message: `${colour} has a contrast ratio of ${formatRatio(ratio)} against white; text and buttons need at least ${minimumContrast}:1 (WCAG AA): choose a darker shade`,
        });
      }
    }),
);

/**
 * The accent when the event sets none: a neutral dark blue (8:1 on white), the colour the pages
 * and mails had before events had their own.
 */
export const defaultAccentColour = "#0b4f9c";

/**
 * An image the pages and mails reference by URL and never fetch (a registrant's browser or mail
 * client loads it from its host). https only: a page served over https may not show http images,
 * and the pages' Content-Security-Policy allows exactly the origins of these URLs.
 */
const imageUrlSchema = /* @__PURE__ */ built(() =>
  z
    .url({ protocol: /^https$/, error: "must be an https URL" })
    .max(2_000)
    // zod runs refinements even after the URL check failed: each parses only what can be parsed.
    .refine((url) => {
      if (!URL.canParse(url)) return true;
      const { username, password } = new URL(url);
      return username === "" && password === "";
    }, "must not carry a user name or password")
    // The host goes into the pages' Content-Security-Policy: a `;` or a space there would end the
    // image directive and start another (a URL parser keeps some such characters in a host).
    .refine(
      (url) => !URL.canParse(url) || /^[a-z0-9.-]+(:[0-9]+)?$/.test(new URL(url).host),
      "the host may hold only letters, digits, dots and hyphens",
    ),
);

/** Alt texts and names are short: they are read by screen readers and shown when images are off. */
const altTextSchema = /* @__PURE__ */ built(() => localizedLineSchema(200));

export const logoSchema = /* @__PURE__ */ built(() =>
  z.object({
    url: imageUrlSchema,
    /** The organisation's name as a screen reader reads it ("UNICEF"), per language. */
    alt: altTextSchema,
    /** Where the logo leads (the organisation's site); a logo without one is just an image. */
    link: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .max(2_000)
      .optional(),
  }),
);
export type Logo = z.infer<typeof logoSchema>;

/**
 * How an event looks on its registrants' pages and in their mails: the organisers' logos (1 to
 * 4, in the order shown), an accent colour and a banner. Everything is optional: an event without
 * branding gets neutral defaults (no image, the default accent).
 */
export const brandingSchema = /* @__PURE__ */ built(() =>
  z
    .object({
      logos: z.array(logoSchema).min(1).max(4).optional(),
      accentColour: accentColourSchema.optional(),
      /** A wide image above the event's title (about 4:1; shown at most 40rem wide, 10rem high). */
      bannerUrl: imageUrlSchema.optional(),
      /** What the banner shows, for those who cannot see it; required with a banner. */
      bannerAlt: altTextSchema.optional(),
    })
    .superRefine((branding, context) => {
      if (branding.bannerUrl && !branding.bannerAlt) {
        context.addIssue({ code: "custom", path: ["bannerAlt"], message: "describe the banner (alt text)" });
      }
    }),
);
export type Branding = z.infer<typeof brandingSchema>;

/** The event's alt texts lacking one of its languages, as issues under `branding`. */
export function brandingLanguageIssues(branding: Branding, eventLanguages: readonly Language[]) {
  const texts: [path: (string | number)[], text: LocalizedText | undefined][] = [
    ...(branding.logos ?? []).map((logo, index): [(string | number)[], LocalizedText] => [
      ["logos", index, "alt"],
      logo.alt,
    ]),
    [["bannerAlt"], branding.bannerAlt],
  ];
  return texts.flatMap(([path, text]) =>
    text
      ? missingLanguages(text, eventLanguages).map((language) => ({
          path: [...path, language],
          message: `give the alt text in "${language}"`,
        }))
      : [],
  );
}

/** The accent of an event's pages and mails. */
export const accentOf = (branding: Branding | undefined) => branding?.accentColour ?? defaultAccentColour;

/**
 * The origins the event's images load from (`https://cdn.example.org`), each once, for the pages'
 * `img-src`: exactly these and the pages' own origin, nothing wider.
 */
export function imageOrigins(branding: Branding | undefined): string[] {
  const urls = [...(branding?.logos ?? []).map((logo) => logo.url), branding?.bannerUrl];
  return [...new Set(urls.filter((url) => url !== undefined).map((url) => new URL(url).origin))];
}
