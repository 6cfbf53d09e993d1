/** Types of native-login.cjs (plain CommonJS for Artillery), for the tests that run it. */

/** A registration-office test account: an authenticator app's secret or the code card's 24 codes. */
export interface NativeAccount {
  username: string;
  password: string;
  totpSecret?: string;
  codeCard?: string[];
}

export interface NativeLoginOptions {
  userPoolId: string;
  clientId: string;
  /** @default the region's Cognito IdP endpoint */
  endpoint?: string;
  account: NativeAccount;
  now?: () => number;
}

export interface NativeTokens {
  accessToken: string;
  idToken: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export function nativeLogin(options: NativeLoginOptions): Promise<NativeTokens>;
export function accountOf(vars: Record<string, unknown>): NativeAccount;
export function rememberTotpStep(username: string, step: number): void;
export function totpCode(secretBase32: string, step: number): string;
