import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { contextOf, settingsOf, stackIdOf } from "../../infra/settings.ts";
import { ConveneStack } from "../../infra/stack.ts";

/** A stand-in for the built console: the stack only deploys the folder it is given. */
const consoleStandIn = fileURLToPath(new URL("console-stand-in", import.meta.url));

/**
 * The stack as `infra/app.ts` builds it from CDK context, with bundling skipped (these tests look
 * at the template; `cdk synth` proves the bundles) and a stand-in console build.
 */
export function synthesize(context: Record<string, string> = {}) {
  // CDK's built-in CloudFormation validation (seconds of WebAssembly per synth) runs in `cdk synth`.
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { "aws:cdk:bundling-stacks": [], ...context },
  });
  const settings = contextOf(app.node);
  const stack = new ConveneStack(app, stackIdOf(settings.stage), settingsOf(settings, consoleStandIn));
  return { app, stack, template: Template.fromStack(stack) };
}

/** cdk-nag's AWS Solutions and Serverless packs on a synthesized app: the findings not acknowledged. */
export function nagFindings(app: App) {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (resource) => `${violation.ruleName} ${resource.resourceLogicalId} ${resource.constructPath ?? ""}`,
        ),
      ),
  );
}
