/**
 * The messages between the E-step pool (estepPool.ts, in the thread that runs the fit) and its
 * threads (estepThread.ts): load a family's prepared data and its chunks once, then one E-step
 * request per iteration carrying the parameters and the thread's block of chunks, answered
 * with the block's nodes of the reduction tree (chunkTree.ts): log-likelihoods and sufficient
 * statistics (or the error, as plain data).
 */
import { InputError, type SerializedInputError } from '../shared/errors';
import type { ModelFile } from '../shared/modelSpec';
import type { UnitRange } from '../engine/family';
import type { ReducedNode } from './chunkTree';

/** What a thread needs to rebuild the family (registry.ts familyFor): no functions cross threads. */
export interface FamilyRecipe {
  readonly model: ModelFile;
  /** Gaussian mixtures fitted over a list of K: the K of this fit. */
  readonly components?: number;
}

/** `workerData` of a pool thread. */
export interface EStepThreadData {
  readonly role: 'estep';
  /** Lower the thread's scheduling priority (the pool was started from the extension's fit worker). */
  readonly lowerPriority: boolean;
}

/** Hold `data` (prepared data, its large arrays shared) and its chunks for the E-steps that name `dataId`. */
export interface LoadMessage {
  readonly type: 'load';
  readonly dataId: number;
  readonly recipe: FamilyRecipe;
  readonly data: unknown;
  /** The chunks of units (shardPlan.ts planChunks), the leaves of the reduction tree. */
  readonly chunks: readonly UnitRange[];
}

/** E-step of the chunks [block.start, block.end) of the data `dataId` under `params`. */
export interface EStepRequest {
  readonly type: 'eStep';
  readonly id: number;
  readonly dataId: number;
  readonly params: unknown;
  readonly block: UnitRange;
}

export type ToEStepThread = LoadMessage | EStepRequest;

export interface EStepDone {
  readonly type: 'eStepDone';
  readonly id: number;
  /** The block's cover nodes (chunkTree.ts coverNodes), in chunk order, with their outputs. */
  readonly nodes: readonly ReducedNode<unknown>[];
}

export interface EStepFailed {
  readonly type: 'eStepFailed';
  readonly id: number;
  readonly error: SerializedError;
}

export type FromEStepThread = EStepDone | EStepFailed;

/** An error as plain data: input errors keep their file/line/column; others their message and stack. */
export type SerializedError = { readonly kind: 'input'; readonly error: SerializedInputError } | { readonly kind: 'internal'; readonly name: string; readonly message: string; readonly stack?: string };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof InputError) return { kind: 'input', error: e.toJSON() };
  if (e instanceof Error) return { kind: 'internal', name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  return { kind: 'internal', name: 'Error', message: String(e) };
}

/** The error again, so that a fit fails the same way whether its E-step ran here or in a thread. */
export function deserializeError(s: SerializedError): Error {
  switch (s.kind) {
    case 'input':
      return InputError.fromJSON(s.error);
    case 'internal': {
      const e = new Error(s.message);
      e.name = s.name;
      if (s.stack !== undefined) e.stack = s.stack;
      return e;
    }
    default: {
      const never: never = s;
      throw new Error(`unknown serialized error ${JSON.stringify(never)}`);
    }
  }
}
