declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement;
}
// Components import htl as npm:htl, the one copy Framework's Inputs load on every page: a bare "htl"
// would add node_modules' copy beside it (6.7 kB more per page). Node and the tests map it back to htl.
declare module "npm:htl" {
  export * from "htl";
}

// Framework's standard library as modules in src/components import it (pages get these as globals).
declare module "observablehq:stdlib" {
  export interface FileAttachment {
    name: string;
    href: string;
    url(): Promise<string>;
    json(): Promise<any>;
  }
  export function FileAttachment(name: string): FileAttachment;
}
declare module "observablehq:stdlib/duckdb" {
  export class DuckDBClient {
    /** The AsyncDuckDB instance of @duckdb/duckdb-wasm. */
    readonly _db: {
      connect(): Promise<{
        query(sql: string): Promise<unknown>;
        insertArrowFromIPCStream(buffer: Uint8Array, options: {name: string; create?: boolean}): Promise<void>;
        close(): Promise<void>;
      }>;
    };
    static of(sources?: Record<string, unknown>): Promise<DuckDBClient>;
    query(sql: string, params?: unknown[]): Promise<any>;
  }
}
