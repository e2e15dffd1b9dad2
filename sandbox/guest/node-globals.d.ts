// Node's globals for TypeScript programs: Debian ships no @types/node, and stdin programs
// need `require` and `process`. Loose on purpose: a program's types are its own business.
declare var require: any;
declare var process: any;
declare var module: any;
declare var exports: any;
declare var Buffer: any;
declare var __dirname: string;
declare var __filename: string;
