/** Types of load-companies.cjs (plain CommonJS for Artillery), for the scripts and tests that use it. */

/** A synthetic company of the stage's register, claimed by one load-test account. */
export interface LoadCompany {
  /** 10 digits, valid check digits, starting with 1. */
  enterpriseNumber: string;
  name: string;
}

export const DEFAULT_RUN: string;
export function runLabel(value: string | undefined): string;
export function loadCompanyOf(insz: string, run: string | undefined): LoadCompany;
