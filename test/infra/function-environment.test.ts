import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { entryOf, functions } from "../../infra/wiring.ts";

/**
 * The modules that read their settings from the environment at cold start, and the wiring access
 * that sets those variables on AWS. The local runtime gives every function every variable, so only
 * this test can see a function that would fail its cold start once deployed.
 */
const settingsReaders = {
  "shared/aws/dynamo.ts": "table",
  "shared/bus/publish.ts": "bus",
  "shared/mail/settings.ts": "mail",
} as const;

describe("each function's environment", () => {
  it.each(functions.map((spec) => [spec.name, spec] as const))(
    "%s is given every variable its code reads at cold start",
    async (_name, spec) => {
      const { metafile } = await build({
        entryPoints: [entryOf(spec)],
        bundle: true,
        write: false,
        platform: "node",
        format: "esm",
        packages: "external",
        metafile: true,
        logLevel: "silent",
      });
      const needed = Object.entries(settingsReaders)
        .filter(([module]) => module in metafile.inputs)
        .map(([, access]) => access);

      for (const access of needed)
        expect(spec.access[access], `${spec.name} reads ${access} settings`).toBeTruthy();
    },
  );
});
