import { App } from "aws-cdk-lib";
import { ConveneStack } from "./stack.ts";

const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) || undefined;

new ConveneStack(
  app,
  "Convene",
  {
    senderEmail: context("senderEmail") ?? "webinars@example.org",
    publicUrl: context("publicUrl"),
    sesConfigurationSet: context("sesConfigurationSet"),
  },
  { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } },
);
