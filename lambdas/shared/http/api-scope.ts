/**
 * The OAuth scope that opens the platform's API (ARCHITECTURE.md section 3): the user pool's resource
 * server `eid-access` with its one scope `api`. Every API method's Cognito authorizer requires it, so
 * API Gateway takes access tokens that carry it and refuses ID tokens (they carry no scope).
 */

/** Identifier of the user pool's resource server. */
export const API_RESOURCE_SERVER = 'eid-access';

/** Name of the resource server's scope. */
export const API_SCOPE_NAME = 'api';

/** The full scope as tokens and authorizers name it. */
export const API_SCOPE = `${API_RESOURCE_SERVER}/${API_SCOPE_NAME}`;
