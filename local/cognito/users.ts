/**
 * The user actions of the API. AdminCreateUser runs pre sign-up (`PreSignUp_AdminCreateUser`)
 * first — a throwing trigger answers `UserLambdaValidationException` and no user exists; the
 * temporary password must meet the pool's policy; status `FORCE_CHANGE_PASSWORD`; the temporary
 * password expires after the policy's validity. Only a salt and an SRP verifier are kept, never a
 * password. Post confirmation is not called for administrator-created users (Cognito calls it after
 * self sign-up confirmations only). The other admin actions get, delete, disable/enable, group and
 * set the password of a user; GetUser, UpdateUserAttributes and ChangePassword act with the user's
 * own access token.
 */
import { randomUUID } from 'node:crypto';
import { CognitoIdpError } from './errors.ts';
import { checkLockout, passwordOutcome } from './lockout.ts';
import { usesTotp } from './mfa.ts';
import {
  attributeList,
  invalidParameter,
  type NativeState,
  notAuthorized,
  type PoolAccess,
  requireString,
  stringMap,
  toAttributeList,
} from './native-state.ts';
import { checkPolicy, generatePassword, passwordMatches, setPassword } from './passwords.ts';
import type { LocalCognitoTriggers, StoredUser } from './pool-model.ts';
import { adminCreateUserPreSignUpEvent } from './trigger-events.ts';

const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

/** The fields AdminGetUser and the `UserType` of AdminCreateUser list after the attributes. */
function userState(user: StoredUser) {
  return {
    UserCreateDate: user.createdAt.getTime() / 1000,
    UserLastModifiedDate: user.updatedAt.getTime() / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** The user actions of the API; see the module comment. */
export class Users {
  readonly #state: NativeState;

  constructor(state: NativeState) {
    this.#state = state;
  }

  get #pool(): PoolAccess {
    return this.#state.pool;
  }

  /** AdminCreateUser. */
  async adminCreateUser(input: Record<string, unknown>): Promise<{ User: Record<string, unknown> }> {
    this.#state.requirePool(input);
    const username = requireString(input, 'Username');
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(username)) {
      throw invalidParameter(
        `1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+`,
      );
    }
    const attributes = attributeList(input.UserAttributes, 'UserAttributes');
    this.#checkSchema(attributes);
    const action = input.MessageAction;
    if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') {
      throw invalidParameter(
        `1 validation error detected: Value '${String(action)}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`,
      );
    }
    const temporaryPassword =
      typeof input.TemporaryPassword === 'string' && input.TemporaryPassword !== ''
        ? input.TemporaryPassword
        : generatePassword();
    checkPolicy(this.#pool.passwordPolicy, temporaryPassword);

    const existing = this.#pool.findUser(username);
    if (action === 'RESEND') {
      if (!existing) throw new CognitoIdpError('UserNotFoundException', 'User does not exist.');
      if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new CognitoIdpError(
          'UnsupportedUserStateException',
          'Resend not possible. User is already confirmed.',
        );
      }
      setPassword(this.#state, existing, temporaryPassword, true);
      return { User: this.#userType(existing) };
    }
    if (existing) throw new CognitoIdpError('UsernameExistsException', 'User account already exists');

    if (this.#pool.triggers.preSignUp) {
      await this.#state.trigger(() =>
        this.#pool.run(
          'PreSignUp',
          this.#pool.triggers.preSignUp as NonNullable<LocalCognitoTriggers['preSignUp']>,
          adminCreateUserPreSignUpEvent(
            { region: this.#pool.region, userPoolId: this.#pool.poolId },
            {
              userName: username,
              userAttributes: attributes,
              validationData: attributeList(input.ValidationData, 'ValidationData'),
              ...(input.ClientMetadata
                ? { clientMetadata: stringMap(input.ClientMetadata, 'ClientMetadata') }
                : {}),
            },
          ),
        ),
      );
    }
    if (this.#pool.findUser(username))
      throw new CognitoIdpError('UsernameExistsException', 'User account already exists');

    const now = new Date(this.#pool.now());
    const user: StoredUser = {
      username,
      sub: randomUUID(),
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      attributes,
      identities: [],
      groups: new Set(),
      createdAt: now,
      updatedAt: now,
    };
    this.#pool.insertUser(user);
    setPassword(this.#state, user, temporaryPassword, true);
    return { User: this.#userType(user) };
  }

  /** AdminGetUser. */
  adminGetUser(input: Record<string, unknown>): Record<string, unknown> {
    this.#state.requirePool(input);
    const user = this.#state.adminUser(input);
    const token = this.#state.credentials.get(user.username)?.softwareToken;
    const mfa = usesTotp(this.#state, user) ? ['SOFTWARE_TOKEN_MFA'] : [];
    return {
      Username: user.username,
      UserAttributes: toAttributeList({ sub: user.sub, ...user.attributes }),
      ...userState(user),
      ...(mfa.length > 0 ? { UserMFASettingList: mfa } : {}),
      ...(token?.preferred ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
    };
  }

  /** AdminDeleteUser. */
  adminDeleteUser(input: Record<string, unknown>): Record<string, never> {
    this.#state.requirePool(input);
    const user = this.#state.adminUser(input);
    this.#pool.deleteUser(user.username);
    this.#state.credentials.delete(user.username);
    return {};
  }

  /** AdminDisableUser / AdminEnableUser. */
  adminSetEnabled(input: Record<string, unknown>, enabled: boolean): Record<string, never> {
    this.#state.requirePool(input);
    const user = this.#state.adminUser(input);
    user.enabled = enabled;
    user.updatedAt = new Date(this.#pool.now());
    return {};
  }

  /** AdminAddUserToGroup / AdminRemoveUserFromGroup. */
  adminGroup(input: Record<string, unknown>, add: boolean): Record<string, never> {
    this.#state.requirePool(input);
    const group = requireString(input, 'GroupName');
    if (!this.#pool.groups.includes(group))
      throw new CognitoIdpError('ResourceNotFoundException', 'Group not found.');
    const user = this.#state.adminUser(input);
    if (add) user.groups.add(group);
    else user.groups.delete(group);
    return {};
  }

  /** AdminSetUserPassword: `Permanent` confirms the user, otherwise the password is temporary again. */
  adminSetUserPassword(input: Record<string, unknown>): Record<string, never> {
    this.#state.requirePool(input);
    const user = this.#state.adminUser(input);
    if (user.status === 'EXTERNAL_PROVIDER')
      throw invalidParameter('Cannot set a password for a federated user.');
    const password = requireString(input, 'Password');
    checkPolicy(this.#pool.passwordPolicy, password);
    const permanent = input.Permanent === true;
    setPassword(this.#state, user, password, !permanent);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    return {};
  }

  /** GetUser. */
  async getUser(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const user = await this.#state.userOfAccessToken(requireString(input, 'AccessToken'));
    const token = this.#state.credentials.get(user.username)?.softwareToken;
    return {
      Username: user.username,
      UserAttributes: toAttributeList({ sub: user.sub, ...user.attributes }),
      ...(usesTotp(this.#state, user) ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] } : {}),
      ...(token?.preferred ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
    };
  }

  /**
   * UpdateUserAttributes with the user's own access token (scope `aws.cognito.signin.user.admin`,
   * which only API sign-ins carry). The attributes must be writable by the app client the token was
   * issued to (its `WriteAttributes`): any other answers Cognito's `NotAuthorizedException: A client
   * attempted to write unauthorized attribute` and nothing changes. An empty value deletes the
   * attribute. Verification of a changed e-mail address or phone number is not modelled: no client
   * of the platform that can call this may write them.
   */
  async updateUserAttributes(input: Record<string, unknown>): Promise<Record<string, never>> {
    const { user, clientId } = await this.#state.sessionOfAccessToken(requireString(input, 'AccessToken'));
    if (!Array.isArray(input.UserAttributes)) {
      throw invalidParameter(
        "1 validation error detected: Value at 'userAttributes' failed to satisfy constraint: Member must not be null",
      );
    }
    const attributes = attributeList(input.UserAttributes, 'UserAttributes');
    this.#checkSchema(attributes);
    const writable = this.#pool.client(clientId)?.writeAttributes;
    if (writable !== undefined && Object.keys(attributes).some((name) => !writable.includes(name))) {
      throw notAuthorized('A client attempted to write unauthorized attribute');
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '') delete user.attributes[name];
      else user.attributes[name] = value;
    }
    user.updatedAt = new Date(this.#pool.now());
    return {};
  }

  /** ChangePassword. */
  async changePassword(input: Record<string, unknown>): Promise<Record<string, never>> {
    const user = await this.#state.userOfAccessToken(requireString(input, 'AccessToken'));
    const previous = requireString(input, 'PreviousPassword');
    const proposed = requireString(input, 'ProposedPassword');
    checkLockout(this.#state, user);
    passwordOutcome(this.#state, user, passwordMatches(this.#state, user, previous));
    checkPolicy(this.#pool.passwordPolicy, proposed);
    setPassword(this.#state, user, proposed, false);
    return {};
  }

  #checkSchema(attributes: Record<string, string>): void {
    for (const name of Object.keys(attributes)) {
      if (name === 'sub' || name === 'identities' || name.startsWith('cognito:')) {
        throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
      }
      if (!STANDARD_ATTRIBUTES.has(name) && !name.startsWith('custom:')) {
        throw invalidParameter(
          `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.\n`,
        );
      }
    }
    for (const flag of ['email_verified', 'phone_number_verified']) {
      const value = attributes[flag];
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw invalidParameter(`Invalid value for ${flag}: must be true or false.`);
      }
    }
  }

  #userType(user: StoredUser): Record<string, unknown> {
    return {
      Username: user.username,
      Attributes: toAttributeList({ sub: user.sub, ...user.attributes }),
      ...userState(user),
    };
  }
}
