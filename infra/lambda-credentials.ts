import { fromEnv } from "@aws-sdk/credential-provider-env";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias of
 * `bundleSettings`). Lambda always hands a function its role's credentials in the environment;
 * the default chain's other providers (SSO, INI files, web identity, instance metadata, with the
 * nested STS/SSO clients they bring) were ~90 KiB of every bundle that no Lambda ever runs.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): AwsCredentialIdentityProvider =>
  fromEnv(init);
