// The part of `node:sqlite` the SQLite example uses. The runtimes have the module (Deno 2.9,
// Node 22.13 or later, Bun 1.4); the Node type declarations this repository compiles against are
// those of its oldest supported Node, 20, which has none. With @types/node 22.13 or later in your
// project, drop this file.
declare module "node:sqlite" {
  type SQLInputValue = null | number | bigint | string | Uint8Array;
  type SQLOutputValue = null | number | bigint | string | Uint8Array;
  interface StatementResultingChanges {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  }
  export class StatementSync {
    run(...parameters: SQLInputValue[]): StatementResultingChanges;
    get(...parameters: SQLInputValue[]): Record<string, SQLOutputValue> | undefined;
    all(...parameters: SQLInputValue[]): Record<string, SQLOutputValue>[];
    setReadBigInts(enabled: boolean): void;
  }
  export class DatabaseSync {
    constructor(path: string, options?: { readOnly?: boolean; timeout?: number });
    exec(sql: string): void;
    prepare(sql: string): StatementSync;
    close(): void;
  }
}
