import { describe, expect, it } from "vitest";
import { pickPageLanguage, registrantPageLanguage } from "../../shared/pages/language.ts";

describe("page language", () => {
  it("follows ?lang= whatever the browser says", () => {
    expect(pickPageLanguage("fr", "en-US,en;q=0.9")).toBe("fr");
    expect(pickPageLanguage("en", "fr-FR,fr;q=0.9")).toBe("en");
  });

  it("reads a French browser as French, region and q-values included", () => {
    expect(pickPageLanguage(undefined, "fr-FR,fr;q=0.9")).toBe("fr");
    expect(pickPageLanguage(undefined, "fr-MA")).toBe("fr");
  });

  it("picks the best-rated language Convene speaks, skipping the others", () => {
    expect(pickPageLanguage(undefined, "en;q=0.5, fr;q=0.8")).toBe("fr");
    expect(pickPageLanguage(undefined, "de-CH, it;q=0.9, fr;q=0.3, en;q=0.2")).toBe("fr");
    expect(pickPageLanguage(undefined, "ar-TN, fr;q=0.8, en;q=0.5")).toBe("ar");
    expect(pickPageLanguage(undefined, "fr;q=0, en;q=0.1")).toBe("en");
  });

  it("falls back on the header when ?lang= names a language Convene does not speak", () => {
    expect(pickPageLanguage("de", "fr-FR")).toBe("fr");
  });

  it("is English when nothing names a known language, or the header is malformed", () => {
    expect(pickPageLanguage(undefined, undefined)).toBe("en");
    expect(pickPageLanguage("", "")).toBe("en");
    expect(pickPageLanguage(undefined, "de-DE,*;q=0.5")).toBe("en");
    expect(pickPageLanguage(undefined, "fr;q=abc")).toBe("en");
  });

  describe("for an event that offers some languages", () => {
    const frenchAndEnglish = ["fr", "en"] as const;

    it("takes the browser's next choice the event offers: French for an Arabic-first phone", () => {
      expect(pickPageLanguage(undefined, "ar, fr;q=0.5", frenchAndEnglish)).toBe("fr");
      expect(pickPageLanguage(undefined, "ar-TN, en;q=0.8, fr;q=0.5", frenchAndEnglish)).toBe("en");
      expect(pickPageLanguage(undefined, "ar", ["ar", "fr"])).toBe("ar");
    });

    it("follows ?lang= only to a language the event offers", () => {
      expect(pickPageLanguage("ar", "fr-FR", frenchAndEnglish)).toBe("fr");
      expect(pickPageLanguage("en", "fr-FR", frenchAndEnglish)).toBe("en");
    });

    it("is English when offered and nothing else matches, else the event's first language", () => {
      expect(pickPageLanguage(undefined, "ar, de;q=0.5", frenchAndEnglish)).toBe("en");
      expect(pickPageLanguage("ar", undefined, ["fr"])).toBe("fr");
      expect(pickPageLanguage(undefined, "en-GB", ["fr", "ar"])).toBe("fr");
    });
  });

  it("shows a registrant's own pages in the link's language if offered, else in theirs, else the event's", () => {
    expect(registrantPageLanguage("en", "fr", ["fr", "en"])).toBe("en");
    expect(registrantPageLanguage("ar", "fr", ["fr", "en"])).toBe("fr");
    expect(registrantPageLanguage(undefined, "fr", ["fr", "en"])).toBe("fr");
    // Registered in Arabic before the event dropped it.
    expect(registrantPageLanguage(undefined, "ar", ["fr", "en"])).toBe("en");
  });
});
