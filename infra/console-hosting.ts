import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  AllowedMethods,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { acknowledge } from "./acknowledge.ts";

export interface ConsoleHostingProps {
  /** The built console (`console/dist`): `index.html` and its assets. */
  assetsDir: string;
}

/** The path the console is built for (Vite's `base`) and served at, locally and on AWS. */
export const consolePath = "/console/";

/**
 * The organiser console as static files: a private S3 bucket (TLS only, reachable only by the
 * distribution through origin access control) behind a CloudFront distribution over HTTPS. A
 * CloudFront Function sends `/` to `/console/` and answers the app's own routes
 * (`/console/events/…`) with its `index.html`, so a reload or a shared link works. Files and a
 * `config.json` (how this deployment signs in, where its API is) are deployed by `deploy`.
 */
export class ConsoleHosting extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** `https://<distribution>`: the console's origin, for CORS and Cognito's URLs. */
  readonly origin: string;
  /** `https://<distribution>/console/`. */
  readonly url: string;
  private readonly assetsDir: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    this.assetsDir = props.assetsDir;
    const logs = new Bucket(this, "Logs", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, [
      { id: "AwsSolutions-S1", reason: "This is the access-log bucket; logging it to itself would loop." },
    ]);
    this.bucket = new Bucket(this, "Files", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: "console-bucket/",
      // Emptying a bucket on deletion takes one more custom-resource function; a retained bucket of static files costs cents.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const routing = new EdgeFunction(this, "Routing", {
      runtime: FunctionRuntime.JS_2_0,
      comment: "Sends / to the console and the console's own routes to its index.html",
      code: FunctionCode.fromInline(`function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === "/" || uri === "${consolePath.slice(0, -1)}") {
    return { statusCode: 302, statusDescription: "Found", headers: { location: { value: "${consolePath}" } } };
  }
  var last = uri.substring(uri.lastIndexOf("/") + 1);
  if (uri.indexOf("${consolePath}") === 0 && last.indexOf(".") === -1) request.uri = "${consolePath}index.html";
  return request;
}`),
    });
    this.distribution = new Distribution(this, "Distribution", {
      comment: "Convene organiser console",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: routing, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: "cloudfront/",
    });
    acknowledge(this.distribution, [
      {
        id: "AwsSolutions-CFR1",
        reason:
          "Organisers of an international webinar series sign in from anywhere; no country is excluded.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "The distribution serves static files only; every organiser action goes to the API behind Cognito's JWT authorizer and API Gateway throttling. A web ACL (from about 5 USD a month) can be attached later.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "The distribution uses CloudFront's default *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol; a custom domain with its own certificate would allow TLSv1.2_2021.",
      },
    ]);
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}${consolePath}`;
  }

  /** Deploys the built console and its `config.json`, and invalidates CloudFront's copies. */
  deploy(config: Record<string, unknown>): BucketDeployment {
    const deployment = new BucketDeployment(this, "Deployment", {
      sources: [Source.asset(this.assetsDir), Source.jsonData("config.json", config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: consolePath.slice(1),
      distribution: this.distribution,
      distributionPaths: [`${consolePath}*`],
      memoryLimit: 512,
    });
    acknowledgeBucketDeployment(Stack.of(this), this.bucket);
    return deployment;
  }
}

/**
 * CDK's own singleton function that copies the files to the bucket during deployment: its runtime,
 * role and grants are CDK's, each finding acknowledged by name so that a new one still fails.
 */
function acknowledgeBucketDeployment(stack: Stack, bucket: Bucket) {
  const bucketArn = `<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>`;
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith("Custom::CDKBucketDeployment")) continue;
    acknowledge(child, [
      { id: "AwsSolutions-L1", reason: "CDK's BucketDeployment handler: CDK picks its runtime." },
      {
        id: "Serverless-LambdaLatestVersion",
        reason: "CDK's BucketDeployment handler: CDK picks its runtime.",
      },
      {
        id: "Serverless-LambdaTracing",
        reason: "CDK's BucketDeployment handler runs only during deployment; there is no request to trace.",
      },
      {
        id: "Serverless-LambdaDLQ",
        reason:
          "CDK's BucketDeployment handler is invoked synchronously by CloudFormation, which reports its failure.",
      },
      {
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "CDK's BucketDeployment handler writes its logs with the basic execution role; it runs only during deployment.",
      },
      ...["s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          "CDK's BucketDeployment handler reads the staged console and replaces the console bucket's files: CDK's grant of read and write on those two buckets.",
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/*]`,
        reason: "CDK's BucketDeployment handler replaces every file of the console bucket, and only of it.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]",
        reason:
          "CDK's BucketDeployment handler reads the staged console from the CDK bootstrap asset bucket.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "cloudfront:CreateInvalidation (CDK's grant to the BucketDeployment handler) has no resource-level permissions.",
      },
    ]);
  }
}
