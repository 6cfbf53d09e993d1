import type { IdentityProvider } from '#shared/keys';
import type { FederatedIdentity, PersonProfileFields } from './federated-identity.ts';

/**
 * The person profile as stored in `PERSON#<personId>` / `PROFILE` (without the key attributes).
 * See docs/data-model.md, identity section.
 */
export interface PersonProfile extends PersonProfileFields {
  type: 'person';
  /** ULID. */
  personId: string;
  /** Verified INSZ (11 digits): from itsme, or from the checked "I know my number" form. */
  insz?: string;
  /** Providers the person has logged in with (a string set in the table). */
  providers: IdentityProvider[];
  createdAt: string;
  updatedAt: string;
}

/** The profile a first login creates. */
export function newPersonProfile(identity: FederatedIdentity, personId: string, now: Date): PersonProfile {
  const timestamp = now.toISOString();
  return {
    type: 'person',
    personId,
    ...identity.profile,
    ...(identity.insz ? { insz: identity.insz } : {}),
    providers: [identity.provider],
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}
