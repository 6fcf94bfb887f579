import { Annotations, CfnOutput, Stack } from "aws-cdk-lib";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";

export interface MailProps {
  /** Stage-suffixed base of physical names. */
  baseName: string;
  senderEmail: string;
  /**
   * An SES identity that already exists (a domain or an address, e.g. verified for another stage of
   * the same account), used instead of the domain identity the stack creates.
   */
  sesIdentity?: string;
  /** An existing configuration set; when absent, the stack creates one. */
  sesConfigurationSet?: string;
  /** The account's default bus, the only one SES can put its events on. */
  defaultBus: IEventBus;
}

/** The subdomain of the sender's domain used as custom MAIL FROM (bounces return there; SPF aligns). */
export const mailFromSubdomain = "bounce";

/**
 * Where mail is sent from: the sender's domain identity with Easy DKIM and a custom MAIL FROM
 * domain (so SPF and DKIM both align with the From domain, as bulk-sender rules require), and a
 * configuration set with reputation metrics that publishes sends, bounces and complaints to the
 * default bus, where `record-feedback` marks sent deliveries and puts bounced and complaining
 * addresses on the suppression list. The DNS records to add are stack outputs. (An imported
 * configuration set needs that destination, SEND included, added by hand; see the README.)
 */
export class Mail extends Construct {
  readonly configurationSetName: string;
  /** ARNs `ses:SendRawEmail` is granted on: the sender identity and the configuration set. */
  readonly sendingResources: string[];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const domain = props.senderEmail.split("@")[1];
    if (!domain) throw new Error(`senderEmail "${props.senderEmail}" is not an email address`);

    let configurationSet: ConfigurationSet | undefined;
    if (props.sesConfigurationSet) {
      this.configurationSetName = props.sesConfigurationSet;
      // Nothing in a template can check another stack's set: `cdk synth` and `cdk deploy` say it.
      Annotations.of(this).addWarningV2(
        "convene:imported-configuration-set",
        `The SES configuration set "${props.sesConfigurationSet}" is used as it is: it must publish SEND, BOUNCE and COMPLAINT events to the account's default event bus (an EventBridge event destination). Without SEND, a mail whose sender died right after SES took it may go out twice; without BOUNCE and COMPLAINT, those addresses are never suppressed. See the README, "Mail: the DNS records to add".`,
      );
    } else {
      configurationSet = new ConfigurationSet(this, "ConfigurationSet", {
        configurationSetName: props.baseName,
        reputationMetrics: true,
      });
      configurationSet.addEventDestination("Feedback", {
        destination: EventDestination.eventBus(props.defaultBus),
        // SEND: the event that records a mail as sent when its sender died before it could
        // (`record-feedback`, by the message's `convene-delivery` tag).
        events: [EmailSendingEvent.SEND, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
      });
      this.configurationSetName = configurationSet.configurationSetName;
    }

    const identityName = props.sesIdentity ?? domain;
    if (!props.sesIdentity) {
      const mailFromDomain = `${mailFromSubdomain}.${domain}`;
      const identity = new EmailIdentity(this, "Identity", {
        identity: Identity.domain(domain),
        mailFromDomain,
        configurationSet,
      });
      const records = [
        ...identity.dkimRecords.map((record) => `${record.name} CNAME ${record.value}`),
        `${mailFromDomain} MX 10 feedback-smtp.${stack.region}.amazonses.com`,
        `${mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
        `_dmarc.${domain} TXT "v=DMARC1; p=none;" (unless the domain already has a DMARC record)`,
      ];
      new CfnOutput(stack, "SesDnsRecords", {
        description: "DNS records that verify the sending domain (Easy DKIM), its MAIL FROM domain and DMARC",
        value: records.join(" | "),
      });
    }
    this.sendingResources = [
      stack.formatArn({ service: "ses", resource: "identity", resourceName: identityName }),
      stack.formatArn({
        service: "ses",
        resource: "configuration-set",
        resourceName: this.configurationSetName,
      }),
    ];
  }
}
