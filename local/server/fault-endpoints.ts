/**
 * `/local/faults` (ARCHITECTURE.md section 6, contract): the operator's side of the fault switchboard.
 *
 * | method and path | body | answer |
 * |---|---|---|
 * | POST /local/faults | `{ target, operation?, error, count?, probability?, action?, phase? }` | 201 `{ faultId }` |
 * | GET /local/faults | | 200 `{ items: [{ faultId, target, operation?, error, count?, probability?, hits, createdAt }] }` |
 * | DELETE /local/faults | | 204; every rule removed |
 *
 * Rules and their meaning: local/aws/faults.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultSwitchboard, faultRuleBody } from '#local/aws/faults';
import { ValidationError } from '#shared/errors';
import { validationErrorFromZod } from '#shared/http/problem';
import { BodyTooLargeError, readBody, sendError, sendJson, sendProblem } from './http.ts';

/** The path of the switchboard. */
export const FAULTS_PATH = '/local/faults';

const MAX_BODY_BYTES = 16 * 1024;

/** Answers `/local/faults`; resolves `false` for other paths. */
export async function handleFaults(
  faults: FaultSwitchboard,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path !== FAULTS_PATH && path !== `${FAULTS_PATH}/`) return false;
  try {
    switch (req.method) {
      case 'GET':
        sendJson(res, 200, { items: faults.list() });
        return true;
      case 'DELETE':
        faults.clear();
        res.writeHead(204);
        res.end();
        return true;
      case 'POST': {
        const parsed = faultRuleBody.safeParse(await readJson(req));
        if (!parsed.success) throw validationErrorFromZod(parsed.error);
        const rule = faults.add(parsed.data);
        sendJson(res, 201, { faultId: rule.faultId });
        return true;
      }
      default:
        res.setHeader('Allow', 'GET, POST, DELETE');
        sendProblem(res, {
          type: 'about:blank',
          title: 'Method not allowed',
          status: 405,
          detail: 'Use GET, POST or DELETE here.',
        });
        return true;
    }
  } catch (error) {
    sendError(res, error);
    return true;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ValidationError('The request body is too large.');
    throw error;
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('The request body is not valid JSON.', [{ path: '', message: 'Invalid JSON' }]);
  }
}
