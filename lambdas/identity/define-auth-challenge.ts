/**
 * Cognito define auth challenge trigger: the state machine of a native login in the CUSTOM_AUTH flow
 * with SRP. Pure (no table, no clock): it only reads the session Cognito passes.
 *
 * 1. `[SRP_A ✓]` → `PASSWORD_VERIFIER` (Cognito checks the password by SRP);
 * 2. `[…, PASSWORD_VERIFIER ✓]` → `CUSTOM_CHALLENGE` (the code card). A user with TOTP (or SMS MFA)
 *    enabled never gets here: after PASSWORD_VERIFIER Cognito asks SOFTWARE_TOKEN_MFA itself and
 *    issues the tokens without calling this trigger again. So "the card or TOTP" is the person's
 *    choice at enrolment, not per login;
 * 3. `[…, CUSTOM_CHALLENGE ✓]` after a successful PASSWORD_VERIFIER → tokens;
 * 4. `[…, CUSTOM_CHALLENGE ✗]` → another CUSTOM_CHALLENGE (a new position) until
 *    {@link MAX_ANSWERS_PER_LOGIN} wrong answers, then the login fails.
 * Everything else fails: a start without SRP_A (no passwordless login), a failed SRP step, a
 * federated user or any user that is not a registration-office account.
 */
import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { MAX_ANSWERS_PER_LOGIN } from '#shared/code-card';
import { isNativeCognitoUser } from '#shared/native-user';

type Session = DefineAuthChallengeTriggerEvent['request']['session'];
type Step = { challengeName: string; failAuthentication: boolean; issueTokens: boolean };

const fail: Step = { challengeName: '', failAuthentication: true, issueTokens: false };
const challenge = (challengeName: string): Step => ({
  challengeName,
  failAuthentication: false,
  issueTokens: false,
});

/**
 * The next step of a login. `native` is false for federated users and users of other names: they
 * never get a challenge. Unknown users (`userNotFound`, with PreventUserExistenceErrors) follow the
 * same steps, so the answers do not reveal whether an account exists; SRP fails them.
 */
export function nextStep(session: Session, native: boolean): Step {
  if (!native) return fail;
  const last = session.at(-1);
  if (last === undefined) return fail;
  // A failed built-in step (SRP, password) ends the login; a wrong card code may be retried.
  if (!last.challengeResult && last.challengeName !== 'CUSTOM_CHALLENGE') return fail;
  switch (last.challengeName) {
    case 'SRP_A':
      return session.length === 1 ? challenge('PASSWORD_VERIFIER') : fail;
    case 'PASSWORD_VERIFIER':
      return session.some((step) => step.challengeName === 'CUSTOM_CHALLENGE')
        ? fail
        : challenge('CUSTOM_CHALLENGE');
    case 'CUSTOM_CHALLENGE': {
      const passwordChecked = session.some(
        (step) => step.challengeName === 'PASSWORD_VERIFIER' && step.challengeResult,
      );
      if (!passwordChecked) return fail;
      if (last.challengeResult) return { challengeName: '', failAuthentication: false, issueTokens: true };
      const wrong = session.filter(
        (step) => step.challengeName === 'CUSTOM_CHALLENGE' && !step.challengeResult,
      );
      return wrong.length < MAX_ANSWERS_PER_LOGIN ? challenge('CUSTOM_CHALLENGE') : fail;
    }
    default:
      return fail;
  }
}

/** The Lambda entry point. */
export const handler = async (
  event: DefineAuthChallengeTriggerEvent,
): Promise<DefineAuthChallengeTriggerEvent> => {
  const native =
    event.request.userNotFound === true || isNativeCognitoUser(event.userName, event.request.userAttributes);
  const step = nextStep(event.request.session, native);
  event.response.failAuthentication = step.failAuthentication;
  event.response.issueTokens = step.issueTokens;
  if (step.challengeName) event.response.challengeName = step.challengeName;
  return event;
};
