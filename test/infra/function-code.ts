import { build } from "esbuild";
import { entryOf, type FunctionSpec, type TableAction } from "../../infra/wiring.ts";

/**
 * What a function's code does with AWS, read from its bundle: the project's own modules as esbuild
 * bundles them (tree-shaken, dependencies left out), so only code a function can reach counts.
 * Each module of the output starts with a `// path/to/module.ts` comment, which lets a command be
 * attributed to the module that sends it.
 */
export interface FunctionCode {
  /** The project's modules in the bundle (metafile inputs), e.g. `shared/aws/dynamo.ts`. */
  modules: ReadonlySet<string>;
  /** The DynamoDB actions sent by modules other than the token signer and its key store. */
  tableActions: ReadonlySet<TableAction | "Scan">;
  /** `sign` when the bundle signs tokens (and may create the key), `verify` when it only checks them. */
  signingKey: "sign" | "verify" | undefined;
}

/** The DynamoDB commands (document client's and low-level client's) and the IAM action each needs. */
const commandActions: Record<string, readonly (TableAction | "Scan")[]> = {
  Get: ["GetItem"],
  Put: ["PutItem"],
  Update: ["UpdateItem"],
  Delete: ["DeleteItem"],
  Query: ["Query"],
  Scan: ["Scan"],
  BatchGet: ["BatchGetItem"],
  BatchWrite: ["BatchWriteItem"],
  TransactGet: ["GetItem"],
  // The low-level client's names, should a module use it.
  GetItem: ["GetItem"],
  PutItem: ["PutItem"],
  UpdateItem: ["UpdateItem"],
  DeleteItem: ["DeleteItem"],
  BatchGetItem: ["BatchGetItem"],
  BatchWriteItem: ["BatchWriteItem"],
  TransactGetItems: ["GetItem"],
};

/** A transaction needs the action of each kind of item it holds (IAM has no TransactWriteItems). */
const transactionItemActions: Record<string, TableAction> = {
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  ConditionCheck: "ConditionCheckItem",
};

/** Sends the transactions other modules build: their items are counted where they are built. */
const transactModule = "shared/aws/transact.ts";

/** The token signer and the store of its key: their reads and writes are the signing key's grant. */
const signingModules = "shared/security/";

export async function functionCode(spec: FunctionSpec): Promise<FunctionCode> {
  const { metafile, outputFiles } = await build({
    entryPoints: [entryOf(spec)],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    packages: "external",
    metafile: true,
    logLevel: "silent",
  });
  const text = outputFiles[0]?.text ?? "";
  const tableActions = new Set<TableAction | "Scan">();
  for (const [module, code] of modulesOf(text)) {
    if (module.startsWith(signingModules)) continue;
    for (const [, command = ""] of code.matchAll(/new (\w+?)Command\d*\(/g)) {
      for (const action of commandActions[command] ?? []) tableActions.add(action);
    }
    // The items of a transaction, in the module that hands them to `transact` or `transactEach`
    // (shared/aws/transact.ts, which sends whatever it is given, holds none).
    if (
      module !== transactModule &&
      /new TransactWrite(?:Items)?Command\d*\(|\btransact(?:Each)?\d*\(/.test(code)
    ) {
      const kinds = [...code.matchAll(/\b(Put|Update|Delete|ConditionCheck):\s/g)].map(
        ([, kind = ""]) => kind,
      );
      // A transaction whose items this scan cannot see would leave their actions out of the grants.
      if (kinds.length === 0) throw new Error(`${module}: a transaction with no item this scan recognises`);
      for (const kind of kinds) {
        const action = transactionItemActions[kind];
        if (action) tableActions.add(action);
      }
    }
  }
  return {
    modules: new Set(Object.keys(metafile.inputs)),
    tableActions,
    signingKey: /\bfunction signToken\d*\(/.test(text)
      ? "sign"
      : /\bfunction verifyToken\d*\(/.test(text)
        ? "verify"
        : undefined,
  };
}

/** The bundle cut at esbuild's `// <module path>` headers, imports renamed on collision (`PutCommand2`) included. */
function modulesOf(text: string): Map<string, string> {
  const modules = new Map<string, string>();
  const headers = [...text.matchAll(/^\/\/ ((?:shared|functions|infra)\/\S+\.ts)$/gm)];
  headers.forEach((header, index) => {
    const end = headers[index + 1]?.index ?? text.length;
    const module = header[1] as string;
    // A module can have several sections (its hoisted imports, then its body).
    modules.set(module, (modules.get(module) ?? "") + text.slice(header.index, end));
  });
  return modules;
}

/** Every function's code, bundled in parallel once per test file. */
export async function allFunctionCode(specs: readonly FunctionSpec[]): Promise<Map<string, FunctionCode>> {
  const codes = await Promise.all(specs.map(async (spec) => [spec.name, await functionCode(spec)] as const));
  return new Map(codes);
}
