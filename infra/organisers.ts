import { Duration, RemovalPolicy } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";
import { acknowledge } from "./acknowledge.ts";

export interface OrganisersProps {
  /** Stage-suffixed base of physical names. */
  baseName: string;
  /** The prefix of the managed login domain `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domainPrefix: string;
  /** Where Cognito may send organisers back after signing in and out: the console's URL, and any from context. */
  callbackUrls: string[];
}

/**
 * The organisers' user pool: accounts are created by an administrator only (an invitation mail
 * with a temporary password), TOTP MFA is required, threat protection blocks risky sign-ins (Plus
 * feature plan), and user-existence errors are suppressed. The console's app client signs in
 * through Cognito's managed login with the authorization code flow (the console adds PKCE; it is a
 * public client, without secret), never the implicit flow nor a password flow.
 */
export class Organisers extends Construct {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: OrganisersProps) {
    super(scope, id);
    this.pool = new UserPool(this, "Pool", {
      userPoolName: `${props.baseName}-organisers`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: "Your Convene organiser account",
        emailBody:
          "Your Convene organiser username is {username} and your temporary password is {####}. Sign in to the console, choose a new password and set up an authenticator app.",
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.pool, [
      {
        id: "AwsSolutions-COG3",
        reason:
          "Threat protection is on in full-function mode through the Plus feature plan (StandardThreatProtectionMode ENFORCED), which this rule predates.",
      },
    ]);

    this.domain = this.pool.addDomain("Domain", {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = this.pool.addClient("Console", {
      userPoolClientName: "console",
      generateSecret: false,
      // SRP keeps the password off the wire; no ALLOW_USER_PASSWORD_AUTH, no custom auth.
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.callbackUrls,
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // The newer managed login needs a style, here Cognito's own.
    new CfnManagedLoginBranding(this, "Branding", {
      userPoolId: this.pool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  /** Cognito's sign-out endpoint of the managed login domain. */
  get logoutUrl(): string {
    return `${this.domain.baseUrl()}/logout`;
  }
}
