import { describe, expect, it } from 'vitest';
import { handler } from '#identity/define-auth-challenge';
import {
  defineAuthChallengeEvent,
  eidasAttributes,
  NATIVE_USERNAME,
  nativeUserAttributes,
  step,
} from '#test/helpers/cognito-events';

const PASSWORD_OK = [step('SRP_A'), step('PASSWORD_VERIFIER')];

describe('define-auth-challenge', () => {
  it('asks for the password verifier when the client started with SRP_A', async () => {
    const event = await handler(defineAuthChallengeEvent({ session: [step('SRP_A')] }));

    expect(event.response).toEqual({
      challengeName: 'PASSWORD_VERIFIER',
      failAuthentication: false,
      issueTokens: false,
    });
  });

  it('fails when the session is empty (no passwordless login)', async () => {
    const event = await handler(defineAuthChallengeEvent({ session: [] }));

    expect(event.response).toMatchObject({ failAuthentication: true, issueTokens: false });
  });

  it('asks for a code-card code after a correct password', async () => {
    const event = await handler(defineAuthChallengeEvent({ session: PASSWORD_OK }));

    expect(event.response).toEqual({
      challengeName: 'CUSTOM_CHALLENGE',
      failAuthentication: false,
      issueTokens: false,
    });
  });

  it('fails when the password was wrong', async () => {
    const event = await handler(
      defineAuthChallengeEvent({ session: [step('SRP_A'), step('PASSWORD_VERIFIER', false)] }),
    );

    expect(event.response).toMatchObject({ failAuthentication: true, issueTokens: false });
  });

  it('issues tokens when the code was right after a correct password', async () => {
    const event = await handler(
      defineAuthChallengeEvent({
        session: [...PASSWORD_OK, step('CUSTOM_CHALLENGE', true, 'CODE_CARD_POSITION_4')],
      }),
    );

    expect(event.response).toMatchObject({ failAuthentication: false, issueTokens: true });
  });

  it('asks again after a wrong code while fewer than three answers were wrong', async () => {
    const event = await handler(
      defineAuthChallengeEvent({
        session: [...PASSWORD_OK, step('CUSTOM_CHALLENGE', false), step('CUSTOM_CHALLENGE', false)],
      }),
    );

    expect(event.response).toEqual({
      challengeName: 'CUSTOM_CHALLENGE',
      failAuthentication: false,
      issueTokens: false,
    });
  });

  it('fails the login at the third wrong code', async () => {
    const event = await handler(
      defineAuthChallengeEvent({
        session: [
          ...PASSWORD_OK,
          step('CUSTOM_CHALLENGE', false),
          step('CUSTOM_CHALLENGE', false),
          step('CUSTOM_CHALLENGE', false),
        ],
      }),
    );

    expect(event.response).toMatchObject({ failAuthentication: true, issueTokens: false });
  });

  it('never issues tokens for a right code without a verified password', async () => {
    const event = await handler(
      defineAuthChallengeEvent({ session: [step('SRP_A'), step('CUSTOM_CHALLENGE', true)] }),
    );

    expect(event.response).toMatchObject({ failAuthentication: true, issueTokens: false });
  });

  it('never gives a federated user a custom challenge', async () => {
    const event = await handler(
      defineAuthChallengeEvent({
        userName: 'eIDAS_abc',
        userAttributes: { ...eidasAttributes(), 'cognito:user_status': 'EXTERNAL_PROVIDER' },
        session: PASSWORD_OK,
      }),
    );

    expect(event.response).toMatchObject({ failAuthentication: true, issueTokens: false });
    expect(event.response.challengeName).toBeUndefined();
  });

  it('fails for a user with a native-looking name but a federated status', async () => {
    const event = await handler(
      defineAuthChallengeEvent({
        userName: NATIVE_USERNAME,
        userAttributes: nativeUserAttributes({ 'cognito:user_status': 'EXTERNAL_PROVIDER' }),
        session: PASSWORD_OK,
      }),
    );

    expect(event.response.failAuthentication).toBe(true);
  });

  it('fails for an operator-created user whose name is not a generated one', async () => {
    const event = await handler(defineAuthChallengeEvent({ userName: 'admin', session: [step('SRP_A')] }));

    expect(event.response.failAuthentication).toBe(true);
  });

  it('answers an unknown user like a known one, so existence is not revealed', async () => {
    const event = await handler(
      defineAuthChallengeEvent({ userName: 'nobody', userNotFound: true, session: [step('SRP_A')] }),
    );

    expect(event.response).toMatchObject({ challengeName: 'PASSWORD_VERIFIER', failAuthentication: false });
  });
});
