import { describe, expect, it } from "vitest";
import { functions } from "../../infra/wiring.ts";
import { pathTo, routes } from "../../shared/paths.ts";

const wiredRoutes = functions.flatMap((spec) =>
  (spec.routes ?? []).map((route) => `${route.method} ${route.path}`),
);

describe("path builders", () => {
  it.each(Object.entries(routes))("%s is a route of the wiring list", (_name, route) => {
    expect(wiredRoutes).toContain(`${route.method} ${route.path}`);
  });

  it("fills and encodes the named segments and leaves out undefined query values", () => {
    expect(pathTo("manageRegistration", { registrationId: "a/b c" }, { token: "x.y", lang: undefined })).toBe(
      "/registrations/a%2Fb%20c?token=x.y",
    );
    expect(pathTo("register", { eventId: "mc2cm" }, { lang: "fr" })).toBe(
      "/events/mc2cm/registrations?lang=fr",
    );
  });
});
