// Synthesizes corpus/photoshare-cdk/cdk.out with the real aws-cdk-lib: a
// user pool, an identity pool with guests, its two roles, and a bucket in a
// nested stack with per-identity folders. `node app.mjs` needs no AWS
// credentials: the environment is fixed, and nothing is looked up.
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, UserPoolAuthenticationProvider } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

const ACCOUNT = '111122223333';
const SUB = '${cognito-identity.amazonaws.com:sub}';

class Storage extends NestedStack {
  constructor(scope, id, { authenticatedRole, unauthenticatedRole }) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Photos', {
      bucketName: `photoshare-cdk-photos-${ACCOUNT}`,
      enforceSSL: true,
    });
    // A policy of the nested stack, attached to a role of the parent: the
    // CDK passes the role's name down as a parameter.
    new iam.Policy(this, 'OwnFolder', {
      roles: [authenticatedRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [this.bucket.arnForObjects(`private/${SUB}/*`)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.bucket.arnForObjects('public/*')],
        }),
      ],
    });
    // A grant to a role of the parent: the policy goes to the parent, and
    // the bucket's ARN comes up as an output of this stack.
    this.bucket.grantRead(unauthenticatedRole, 'public/*');
  }
}

const app = new App({ outdir: '../../corpus/photoshare-cdk/cdk.out', analyticsReporting: false });
const stack = new Stack(app, 'PhotoshareCdk', { env: { account: ACCOUNT, region: 'us-east-1' } });

const userPool = new cognito.UserPool(stack, 'Users', {
  selfSignUpEnabled: true,
  signInAliases: { email: true },
  autoVerify: { email: true },
});
const userPoolClient = userPool.addClient('Web');
const identityPool = new IdentityPool(stack, 'Identities', {
  identityPoolName: 'photoshare_cdk',
  allowUnauthenticatedIdentities: true,
  authenticationProviders: {
    userPools: [new UserPoolAuthenticationProvider({ userPool, userPoolClient })],
  },
});
new Storage(stack, 'Storage', {
  authenticatedRole: identityPool.authenticatedRole,
  unauthenticatedRole: identityPool.unauthenticatedRole,
});

app.synth();
