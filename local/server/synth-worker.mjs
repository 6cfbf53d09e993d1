// Worker bootstrap: a worker thread does not inherit tsx's loader, so register it before loading
// the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./synth-worker.ts');
