/**
 * `npm run schema`: writes schema.graphql from the code-first schema (test/schema-artifacts
 * fails when the file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schema } from '../src/schema/index.js';
import { printSchemaSdl } from '../src/schema/sdl.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, printSchemaSdl(schema));
console.log(`wrote ${target}`);
