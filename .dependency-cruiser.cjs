/**
 * The layers of Convene, checked on every `npm test` (dependency-cruiser). Each rule says why it
 * exists; a violation fails the run naming the rule, the importing file and the imported one.
 *
 *   infra/ (CDK, wiring list)  →  functions/ (thin entries)  →  shared/<capability>/ (use cases, stores)
 *                                                                 →  shared/aws, shared/bus (adapters)
 *                                                                 →  shared/domain (schemas, rules)
 *   infra/local/ (the local emulators) is used by `npm start` and the tests only.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-the-core",
      comment:
        "shared/domain holds the schemas and rules everything else builds on: it imports no other part of Convene, no AWS SDK and no CDK, so it can be read, tested and shared (with the console) alone.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: {
        path: [
          "^shared/(?!domain/)",
          "^functions/",
          "^infra/",
          "^bin/",
          "@aws-sdk/",
          "aws-cdk-lib",
          "@middy/",
        ],
      },
    },
    {
      name: "use-cases-speak-no-http",
      comment:
        "Use cases and stores say what went wrong with the domain's errors (shared/domain/errors.ts) and return data; only the HTTP edge (shared/http) and the pages (shared/pages) know about status codes and HTML, so a bus consumer's bundle never carries them.",
      severity: "error",
      from: { path: "^shared/", pathNot: "^shared/(http|pages)/" },
      to: { path: "^shared/(http|pages)/" },
    },
    {
      name: "production-never-imports-the-emulators",
      comment:
        "infra/local/ stands in for AWS on one machine. What is deployed (functions, shared code, the CDK stack and wiring list, the CLI) must not depend on it, or AWS would run emulator code.",
      severity: "error",
      from: { path: "^(shared|functions|bin)/|^infra/(?!local/)" },
      to: { path: "^infra/local/" },
    },
    {
      name: "functions-are-thin-entries",
      comment:
        "A Lambda entry in functions/ composes shared/ code (a wrapper and one use case); it never imports another entry, the infrastructure or the CLI.",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^(functions|infra|bin|console|test|scripts)/" },
    },
    {
      name: "shared-code-stays-below-its-callers",
      comment:
        "shared/ is imported by functions, the CLI and the infrastructure, never the other way round: otherwise a Lambda bundle would pull in CDK or CLI code.",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^(functions|infra|bin|console|test|scripts)/" },
    },
    {
      name: "no-import-cycles",
      comment:
        "A cycle (type-only imports included) means two modules are one in disguise: no layer can be read or changed without the other. Break it by moving the shared part down a layer.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: a cycle of types still ties two modules together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
