/** Worker entry of {@link planInWorker}: synthesizes the stage and posts the plan back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type PlanOptions, planSandbox } from './plan.ts';

try {
  parentPort?.postMessage({ plan: planSandbox(workerData as PlanOptions) });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
