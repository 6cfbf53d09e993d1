/**
 * The `requestContext.identity` of an API Gateway REST proxy event for a caller without IAM or
 * Cognito identity-pool credentials (the user pool authorizer's callers): every field null but the
 * source address and the user agent. The sandbox's gateway and the tests' events both build it here.
 */
import type { APIGatewayEventIdentity } from 'aws-lambda';

export function proxyIdentity(sourceIp: string, userAgent: string | null): APIGatewayEventIdentity {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}
