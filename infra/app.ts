import { App } from "aws-cdk-lib";
import {
  buildConsole,
  checkCompliance,
  contextOf,
  deploymentEnvironment,
  settingsOf,
  stackIdOf,
} from "./settings.ts";
import { ConveneStack } from "./stack.ts";

const app = new App();
const context = contextOf(app.node);
new ConveneStack(app, stackIdOf(context.stage), settingsOf(context, buildConsole()), {
  env: await deploymentEnvironment(context),
});
checkCompliance(app);
