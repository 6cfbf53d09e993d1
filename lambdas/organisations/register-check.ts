/**
 * The company-register re-check other contexts run before an administrator action (issue 14): an
 * administrator whose role comes from the register alone (a claim: `registerDerived`, not appointed)
 * must still be listed there. Reads only (membership, profile, register entry); the lapse itself is
 * written by the organisations context (`representative-check.ts`). The port (`RegisterCheck`) and
 * its refusal (`representativeLapsed`) live in `#shared/organisation-access`: the rights context binds
 * this implementation in its composition root only.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { RegisterCheck } from '#shared/organisation-access';
import { type CompanyRegister, createDynamoCompanyRegister } from './company-register.ts';

/** The table-backed {@link RegisterCheck}: three consistent GetItems, only for register-derived roles. */
export function createDynamoRegisterCheck(options: {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  register?: CompanyRegister;
}): RegisterCheck {
  const { tableName: TableName, documentClient } = options;
  const register = options.register ?? createDynamoCompanyRegister(options);
  const get = async (Key: { PK: string; SK: string }) =>
    (await documentClient.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item;
  return {
    async stillAuthorised(personId, orgCode) {
      const { PK, SK } = keys.membership(personId, orgCode);
      const membership = await get({ PK, SK });
      if (membership?.registerDerived !== true || membership.appointedAdministrator === true) return true;
      const [profile, company] = await Promise.all([
        get(keys.person(personId)),
        register.findCompany(orgCode),
      ]);
      const insz = typeof profile?.insz === 'string' ? profile.insz : undefined;
      return company !== undefined && insz !== undefined && company.legalRepresentatives.includes(insz);
    },
  };
}
