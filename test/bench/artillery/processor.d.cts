/** Types of processor.cjs (plain CommonJS for Artillery), for the tests that run its functions. */

/** The part of an Artillery virtual user's context the functions use. */
export interface ArtilleryContext {
  vars: Record<string, unknown>;
}

/** Artillery's event emitter, as far as the functions emit metrics. */
export interface ArtilleryEvents {
  emit(kind: 'counter' | 'histogram', name: string, value: number): void;
}

/** A response as Artillery hands it to an `afterResponse` hook. */
export interface ArtilleryResponse {
  statusCode: number;
  body: unknown;
}

type Done = (error?: unknown) => void;

export function logIn(context: ArtilleryContext, events: ArtilleryEvents, next: Done): void;
export function useSession(context: ArtilleryContext, events: ArtilleryEvents, next: Done): void;
export function walletLogIn(context: ArtilleryContext, events: ArtilleryEvents, next: Done): void;
export const MAX_DECISION_ATTEMPTS: number;
export function hasBisApplication(vars: Record<string, unknown>): boolean;
export function decisionWanted(vars: Record<string, unknown>): boolean;
export function bisDecisionWanted(vars: Record<string, unknown>): boolean;
export function notDecided(context: ArtilleryContext, next: (again: boolean) => void): void;
export function bisNotDecided(context: ArtilleryContext, next: (again: boolean) => void): void;
export function companyOfLine(context: ArtilleryContext, events: ArtilleryEvents, next: Done): void;
export function bisApplicationOf(
  profile: Record<string, unknown> | undefined,
  email: string,
): Record<string, unknown> | undefined;
export function bisApplicationFromProfile(
  request: Record<string, unknown>,
  response: ArtilleryResponse,
  context: ArtilleryContext,
  events: ArtilleryEvents,
  next: Done,
): void;
export function withBisApplication(
  request: Record<string, unknown>,
  context: ArtilleryContext,
  events: ArtilleryEvents,
  next: Done,
): void;
