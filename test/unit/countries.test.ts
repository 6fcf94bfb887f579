import countries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import { countryCodes, countryName } from "../../shared/domain/countries.ts";
import { registrationInputSchema } from "../../shared/domain/registration.ts";

describe("the country list of the bundles", () => {
  it("holds exactly the alpha-2 codes of i18n-iso-countries", () => {
    expect([...countryCodes]).toEqual(Object.keys(countries.getAlpha2Codes()).sort());
  });

  it("names every country in the pages' languages", () => {
    for (const code of countryCodes) {
      expect(countryName(code, "en")).not.toBe(code);
      expect(countryName(code, "fr")).not.toBe(code);
    }
    expect(countryName("TN", "fr")).toBe("Tunisie");
    expect(countryName("DE", "en")).toBe("Germany");
  });

  it("accepts a code in any letter case and refuses a code that is no country", () => {
    const country = registrationInputSchema.shape.country;
    expect(country.safeParse(" tn ").data).toBe("TN");
    expect(country.safeParse("ZZ").success).toBe(false);
    expect(country.safeParse("FRA").success).toBe(false);
  });
});
