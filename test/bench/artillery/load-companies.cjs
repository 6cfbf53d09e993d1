/**
 * The company each load-test account claims on a deployed (non-production) stage, derived from the
 * account's national number and the run's label: `npm run load:companies` writes these companies for
 * `npm run register:seed -- --register companies` (the stage's company register stand-in), and
 * processor.cjs derives the same enterprise number during the run, so that nothing but `users.csv`'s
 * `insz` column and `LOAD_RUN` connects the two.
 *
 * The number: `1`, seven digits of SHA-256(`<run>:<insz>`), then the two check digits
 * (97 − first eight digits mod 97), so the API takes it. Names start with "eid-access load test" so
 * that an operator sees on sight what a run added to a stage's register.
 *
 * Plain CommonJS without dependencies, so that `artillery run-fargate` ships it as it is.
 */
const { createHash } = require('node:crypto');

/** The run label when `LOAD_RUN` is not set. */
const DEFAULT_RUN = '1';

/** A run label: letters, digits, `.`, `_`, `-` (it is part of the companies' names). */
const RUN_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

/** The label of this run (`LOAD_RUN`, or `1`). @throws Error when it is not a label. */
function runLabel(value) {
  const run = value === undefined || value === '' ? DEFAULT_RUN : String(value);
  if (!RUN_PATTERN.test(run)) throw new Error('LOAD_RUN must be 1-32 letters, digits, ".", "_" or "-"');
  return run;
}

/**
 * The company of `insz` in run `run`: `{ enterpriseNumber, name }`. Separators in `insz` do not
 * matter (`85.07.30-033.28` is `85073003328`).
 */
function loadCompanyOf(insz, run) {
  const label = runLabel(run);
  const digits = String(insz).replace(/\D/g, '');
  const digest = createHash('sha256').update(`${label}:${digits}`).digest();
  const base = `1${String(digest.readUInt32BE(0) % 10_000_000).padStart(7, '0')}`;
  const check = String(97 - (Number(base) % 97)).padStart(2, '0');
  return {
    enterpriseNumber: `${base}${check}`,
    name: `eid-access load test ${label} ${base.slice(1)}`,
  };
}

module.exports = { DEFAULT_RUN, loadCompanyOf, runLabel };
