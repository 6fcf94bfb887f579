import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** A cdk-nag finding accepted on a construct (and its children), with the reason a reviewer reads. */
export interface Finding {
  /** The rule, e.g. `AwsSolutions-IAM5`, or one finding of it, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  reason: string;
}

/** Acknowledges cdk-nag findings next to the constructs they concern. */
export function acknowledge(scopes: IConstruct | readonly IConstruct[], findings: readonly Finding[]): void {
  for (const scope of [scopes].flat())
    for (const finding of findings) Validations.of(scope).acknowledge(finding);
}
