/** Names instead of codes: what the navigation and pages call organisations. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Me } from './api/client.ts';
import { usePortal } from './context.ts';
import { formatOrgCode } from './format.ts';
import { type CatalogueApplication, displayName } from './pages/request.tsx';

/**
 * The organisation a person administers in their current capacity (at most one: a token acts for
 * one organisation, ARCHITECTURE.md section 2), by name: from `/me` when loaded (current, named),
 * else from the token's `admin_of` with the code formatted until the name arrives. Another
 * organisation's administration is one capacity switch away.
 */
export function administeredOrganisations(
  claims: { org?: string; adminOf: readonly string[] },
  me: Me | undefined,
): { orgCode: string; name: string }[] {
  if (!claims.org) return [];
  if (me) {
    return me.memberships
      .filter((membership) => membership.localAdministrator && membership.orgCode === claims.org)
      .map(({ orgCode, name }) => ({ orgCode, name: name || formatOrgCode(orgCode) }));
  }
  return claims.adminOf
    .filter((orgCode) => orgCode === claims.org)
    .map((orgCode) => ({ orgCode, name: formatOrgCode(orgCode) }));
}

/** The catalogue of `GET /applications`, fetched once per tab: role labels change with a deployment. */
let catalogue: Promise<CatalogueApplication[]> | undefined;

/** Names of the catalogue in the reader's language. */
export interface CatalogueNames {
  application(application: string): string;
  /** The role alone (`Utility manager – administrator`). */
  role(application: string, role: string): string;
  /** The one label of a role wherever it stands alone: `<application> – <role>`. */
  label(application: string, role: string): string;
}

/**
 * One label per role, the same on every screen, from the catalogue in the reader's language
 * (`KLIP – Utility manager – administrator`); the codes until the catalogue has loaded.
 */
export function useCatalogueNames(): CatalogueNames {
  const { api, language } = usePortal();
  const [applications, setApplications] = useState<CatalogueApplication[] | undefined>(undefined);
  useEffect(() => {
    let current = true;
    catalogue ??= api.get<{ items: CatalogueApplication[] }>('/applications').then(
      (answer) => answer.items,
      (error: unknown) => {
        catalogue = undefined;
        throw error;
      },
    );
    catalogue.then(
      (items) => current && setApplications(items),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api]);
  return useMemo(() => {
    const find = (application: string) => applications?.find((c) => c.application === application);
    const names: CatalogueNames = {
      application: (application) => displayName(find(application)?.displayName, language, application),
      role: (application, role) =>
        displayName(find(application)?.roles.find((c) => c.role === role)?.displayName, language, role),
      label: (application, role) => `${names.application(application)} – ${names.role(application, role)}`,
    };
    return names;
  }, [applications, language]);
}
