// Names a query binds (let statements, function parameters, query parameters) while lowering.
import type { Relation, Scalar } from './nodes.ts';

export type Binding =
  | { kind: 'scalar'; expr: Scalar }
  | { kind: 'table'; plan: Relation };

/** A chain of frames: a function call's parameters shadow the caller's names. */
export class Scope {
  private readonly names = new Map<string, Binding>();
  constructor(private readonly parent?: Scope) {}

  child(): Scope {
    return new Scope(this);
  }

  set(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  get(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.get(name);
  }
}
