import { describe, expect, it } from 'vitest';
import { BIS_API_TABLE_ACTIONS } from '#lib/constructs/bis-registration';
import { IDENTITY_API_TABLE_ACTIONS } from '#lib/constructs/identity-api';
import { NATIVE_API_TABLE_ACTIONS } from '#lib/constructs/native-accounts';
import { ORGANISATIONS_API_TABLE_ACTIONS } from '#lib/constructs/organisations';
import { RIGHTS_API_TABLE_ACTIONS } from '#lib/constructs/rights';
import { IDEMPOTENCY_TABLE_ACTIONS } from '#shared/http/idempotency';

describe('IDEMPOTENCY_TABLE_ACTIONS', () => {
  it.each([
    ['identity', IDENTITY_API_TABLE_ACTIONS],
    ['bis', BIS_API_TABLE_ACTIONS],
    ['organisations', ORGANISATIONS_API_TABLE_ACTIONS],
    ['rights', RIGHTS_API_TABLE_ACTIONS],
    ['native', NATIVE_API_TABLE_ACTIONS],
  ])('are granted to the %s API function when it serves POST routes', (_, actions) => {
    expect(actions).toEqual(expect.arrayContaining([...IDEMPOTENCY_TABLE_ACTIONS]));
  });
});
