import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SQSClient } from "@aws-sdk/client-sqs";
import { type Environment, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import type { IConstruct, Node } from "constructs";
import * as z from "zod";
import type { ConveneSettings } from "./stack.ts";

/**
 * The deploy-time settings of the README's table, from CDK context (`-c key=value` or cdk.json),
 * validated at the edge: a mistyped address or stage stops the synth with the key it concerns.
 */
const contextSchema = z.object({
  stage: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,19}$/, "lower-case letters, digits and dashes, at most 20")
    .optional(),
  senderEmail: z.email().default("webinars@example.org"),
  senderName: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\r\n"<>]*$/, "one line, no quotes or angle brackets")
    .default("Convene"),
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  sesConfigurationSet: z.string().min(1).optional(),
  sesIdentity: z.string().min(1).optional(),
  alarmEmail: z.email().optional(),
  /** Public POSTs per client IP and hour (registration, cancel, unsubscribe); 0 turns the limits off. */
  registrationRateLimit: z.coerce.number().int().min(0).optional(),
  logLevel: z
    .string()
    .toUpperCase()
    .pipe(z.enum(["DEBUG", "INFO", "WARN", "ERROR"]))
    .default("INFO"),
  /** Comma-separated, e.g. `https://console.webinars.example.org/console/`. */
  callbackUrls: z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https$/ })))
    .optional(),
  cognitoDomainPrefix: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/)
    .optional(),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .optional(),
});

const keys = Object.keys(contextSchema.shape) as (keyof typeof contextSchema.shape)[];

/** The context keys of the README, read from a construct tree's context; empty strings count as absent. */
export function contextOf(node: Node) {
  const raw = Object.fromEntries(
    keys.map((key) => [key, node.tryGetContext(key) === "" ? undefined : node.tryGetContext(key)]),
  );
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid CDK context:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

export type Context = ReturnType<typeof contextOf>;

export function settingsOf(context: Context, consoleAssets: string): ConveneSettings {
  const { account: _account, region: _region, ...settings } = context;
  return { ...settings, consoleAssets };
}

/** `Convene` or `Convene-<stage>`. */
export const stackIdOf = (stage: string | undefined) => (stage ? `Convene-${stage}` : "Convene");

/**
 * Account and region: from context, else from the AWS CLI's own configuration (environment,
 * profile). Never from `CDK_DEFAULT_REGION` alone, which the CDK CLI sets to us-east-1 when nothing
 * is configured: with no region known, the stack is environment-agnostic and its ARNs carry
 * `${AWS::Region}`, resolved by CloudFormation in the region it is deployed to.
 */
export async function deploymentEnvironment(
  context: Pick<Context, "account" | "region">,
  env = process.env,
): Promise<Environment> {
  const region = context.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await profileRegion());
  // CDK_DEFAULT_ACCOUNT is only set when the CLI found credentials: it is the CLI's configuration.
  const account = context.account ?? env.CDK_DEFAULT_ACCOUNT;
  return { ...(account && { account }), ...(region && { region }) };
}

/** The region of the AWS profile in use, as the SDK resolves it (config files, no network). */
async function profileRegion(): Promise<string | undefined> {
  const client = new SQSClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

const projectDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where Vite writes the organiser console (`npm run console:build`). */
export const consoleDistDir = join(projectDir, "console", "dist");

/**
 * The built console, built now: a deploy must ship the console of the working tree, and Vite builds
 * offline in seconds, so `cdk synth` and `cdk deploy` work from a fresh clone with nothing to
 * remember. A failed build stops the synth with the command to run by hand.
 */
export function buildConsole(): string {
  try {
    execFileSync("npm", ["run", "--silent", "console:build"], {
      cwd: projectDir,
      // The synth's stdout is the template: the build talks on stderr.
      stdio: ["ignore", process.stderr, process.stderr],
    });
  } catch (error) {
    throw new Error(
      `Building the organiser console failed (${error instanceof Error ? error.message : String(error)}); run \`npm run console:build\` to see why.`,
    );
  }
  if (!existsSync(join(consoleDistDir, "index.html")))
    throw new Error(`\`npm run console:build\` wrote no ${join(consoleDistDir, "index.html")}`);
  return consoleDistDir;
}

/**
 * cdk-nag's AWS Solutions and Serverless packs on every construct: a finding is an error of the
 * synth, unless suppressed next to its construct with a reason.
 */
export function checkCompliance(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
