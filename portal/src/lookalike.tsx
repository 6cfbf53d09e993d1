/** The look-alike flag of review queues (issue 19): scripts mixed inside one word of a field. */
import { usePortal } from './context.ts';

/** One flag as the API sends it (`scriptMixing`). */
export interface ScriptMixFlag {
  field: string;
  scripts: string[];
}

/** A warning per flagged field; nothing when the list is empty or absent. */
export function ScriptMixingFlags({ flags }: { flags: ScriptMixFlag[] | undefined }) {
  const { t } = usePortal();
  if (!flags || flags.length === 0) return null;
  return (
    <ul class="lookalike-flags">
      {flags.map((flag) => (
        <li key={flag.field} class="warning" data-flag="script-mixing">
          {t('review.scriptMixing', { scripts: flag.scripts.join(' + '), field: flag.field })}
        </li>
      ))}
    </ul>
  );
}

/** An organisation a registration would join (`existingOrganisation`) or looks like (`lookalikeOrganisations`). */
export interface OrganisationFlag {
  orgCode: string;
  name: string;
  administrators: number;
  /** Look-alikes only: the fields with the same confusable skeleton. */
  matched?: ('name' | 'registrationNumber')[];
}

/**
 * "Existing organisation X" and "looks like existing organisation X (N administrators)": both mean a
 * second security officer must approve. Nothing when there are none.
 */
export function OrganisationFlags({
  existing,
  lookalikes,
}: {
  existing: OrganisationFlag | undefined;
  lookalikes: OrganisationFlag[] | undefined;
}) {
  const { t } = usePortal();
  if (!existing && (!lookalikes || lookalikes.length === 0)) return null;
  const facts = (organisation: OrganisationFlag) => ({
    name: organisation.name,
    orgCode: organisation.orgCode,
    administrators: organisation.administrators,
  });
  return (
    <ul class="lookalike-flags">
      {existing ? (
        <li class="warning" data-flag="existing-organisation">
          {t('review.existingOrganisation', facts(existing))}
        </li>
      ) : null}
      {(lookalikes ?? []).map((organisation) => (
        <li key={organisation.orgCode} class="warning" data-flag="lookalike-organisation">
          {t('review.lookalikeOrganisation', {
            ...facts(organisation),
            matched: (organisation.matched ?? []).map((field) => t(`review.matched.${field}`)).join(', '),
          })}
        </li>
      ))}
    </ul>
  );
}
