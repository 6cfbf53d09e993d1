/**
 * Builds the {@link SandboxPlan} in a worker thread, so that the infrastructure code (and the
 * handlers' shared modules it imports) is evaluated there, not in the sandbox's main thread, where
 * the handlers must first see their environment. It also lets the synthesis run while DynamoDB Local
 * starts.
 */
import { Worker } from 'node:worker_threads';
import type { PlanOptions, SandboxPlan } from './plan.ts';

/** Runs `planSandbox(options)` in a worker thread. */
export function planInWorker(options: PlanOptions): Promise<SandboxPlan> {
  return new Promise((resolvePlan, reject) => {
    const worker = new Worker(new URL('./synth-worker.mjs', import.meta.url), { workerData: options });
    worker.once('message', (message: { plan?: SandboxPlan; error?: string }) => {
      if (message.plan) resolvePlan(message.plan);
      else reject(new Error(`Synthesizing the stage failed: ${message.error ?? 'unknown error'}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The synthesis worker exited with code ${code}`));
    });
  });
}
