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
